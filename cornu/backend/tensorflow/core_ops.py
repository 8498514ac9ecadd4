"""TensorFlow structural ops of the ``core`` family: scatter, slices, unstack, saturating casts."""

import builtins

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core_convert import convert_to_tensor, to_tf_dtype


def _indices(indices):
    indices = convert_to_tensor(indices)
    if indices.dtype not in (tf.int32, tf.int64):
        indices = tf.cast(indices, tf.int32)
    return indices


def scatter(indices, values, shape):
    """A zeros tensor of ``shape`` with ``values`` added at ``indices`` (duplicates add up).

    ``indices`` has shape ``(..., d)`` and indexes the first ``d`` axes of ``shape``;
    ``values`` has shape ``indices.shape[:-1] + shape[d:]``.
    """
    indices = _indices(indices)
    values = convert_to_tensor(values)
    depth = indices.shape[-1]
    shape = tuple(int(s) for s in shape)
    if depth > len(shape):
        raise ValueError(
            f"`scatter` indices index {depth} axes but `shape` has {len(shape)}. "
            f"Received: indices.shape={tuple(indices.shape)}, shape={shape}"
        )
    values = tf.reshape(values, tuple(indices.shape[:-1]) + shape[depth:])
    return tf.scatter_nd(indices, values, tf.constant(shape, indices.dtype))


def scatter_update(x, indices, updates):
    """A copy of ``x`` with ``x[indices[i]] = updates[i]``."""
    x = convert_to_tensor(x)
    return tf.tensor_scatter_nd_update(x, _indices(indices), convert_to_tensor(updates, x.dtype))


def _static_ints(values):
    if isinstance(values, (list, tuple)):
        return builtins.all(isinstance(v, (int, np.integer)) for v in values)
    return isinstance(values, np.ndarray) and values.dtype.kind in "iu"


def _starts(start_indices):
    if _static_ints(start_indices):
        return tf.constant([int(s) for s in np.asarray(start_indices).reshape(-1)], tf.int32)
    if tf.is_tensor(start_indices):
        return tf.cast(tf.reshape(start_indices, (-1,)), tf.int32)
    return tf.stack([tf.reshape(convert_to_tensor(s, "int32"), ()) for s in start_indices])


def slice(inputs, start_indices, shape):
    """The block of ``inputs`` that starts at ``start_indices`` and has ``shape``."""
    inputs = convert_to_tensor(inputs)
    sizes = [int(s) for s in np.asarray(shape).reshape(-1)]
    starts = _starts(start_indices)
    if not _static_ints(start_indices):
        # As XLA's dynamic slice: a start that would run past the end is moved back.
        starts = tf.clip_by_value(starts, 0, tf.shape(inputs, tf.int32) - sizes)
    return tf.slice(inputs, starts, sizes)


def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` whose block at ``start_indices`` is replaced by ``updates``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    starts = _starts(start_indices)
    sizes = tf.shape(updates, tf.int32)
    if not _static_ints(start_indices):
        starts = tf.clip_by_value(starts, 0, tf.shape(inputs, tf.int32) - sizes)
    # The indices of every entry of the block: the start plus each position in `updates`.
    grids = tf.meshgrid(*[tf.range(sizes[i]) for i in range(updates.shape.rank)], indexing="ij")
    indices = tf.stack(grids, axis=-1) + starts
    return tf.tensor_scatter_nd_update(inputs, indices, updates)


def unstack(x, num=None, axis=0):
    """The slices of ``x`` along ``axis``, as a list (``num``, when given, must match)."""
    x = convert_to_tensor(x)
    if num is not None and x.shape[axis] is not None and x.shape[axis] != num:
        raise ValueError(
            f"`unstack` got num={num} but the input has {x.shape[axis]} entries along "
            f"axis {axis} (shape {tuple(x.shape.as_list())})"
        )
    return tf.unstack(x, num=num, axis=axis)


def saturate_cast(x, dtype):
    """``x`` cast to ``dtype`` with values clipped to the range ``dtype`` can hold (so
    ``inf`` and out-of-range values saturate instead of wrapping)."""
    x = convert_to_tensor(x)
    target = to_tf_dtype(dtype)
    if x.dtype == tf.bool:
        return tf.cast(x, target)
    if target == tf.bool:
        # The bool range is [0, 1]: negative values saturate to False.
        return x > tf.zeros((), x.dtype)
    return tf.dtypes.saturate_cast(x, target)
