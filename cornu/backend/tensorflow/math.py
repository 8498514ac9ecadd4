"""Math operations on TensorFlow tensors that NumPy does not name: top_k, in_top_k, logsumexp,
segment reductions, the error functions; the signal ops live beside, in signal.py."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor, to_tf_dtype
from cornu.backend.tensorflow.signal import (  # noqa: F401  (bound as math.*)
    extract_sequences,
    fft,
    fft2,
    ifft2,
    irfft,
    istft,
    rfft,
    stft,
)
from cornu.core.config import floatx


def _float(x):
    x = convert_to_tensor(x)
    if x.dtype.is_floating or x.dtype.is_complex:
        return x
    return tf.cast(x, to_tf_dtype(floatx()))


def top_k(x, k, sorted=True):
    """The ``k`` largest values along the last axis, and their indices (int64, as torch's)."""
    x = convert_to_tensor(x)
    work = x
    if x.dtype == tf.bool or x.dtype in (tf.int8, tf.int16, tf.uint8, tf.uint16):
        work = tf.cast(x, tf.int32)
    values, indices = tf.math.top_k(work, k, sorted=sorted)
    return tf.cast(values, x.dtype), tf.cast(indices, tf.int64)


def in_top_k(targets, predictions, k):
    """True where ``targets[i]`` is among the ``k`` largest of ``predictions[i]``."""
    targets = tf.reshape(tf.cast(convert_to_tensor(targets), tf.int32), (-1, 1))
    predictions = convert_to_tensor(predictions)
    target_values = tf.gather(predictions, targets, axis=1, batch_dims=1)
    larger = tf.reduce_sum(tf.cast(predictions > target_values, tf.int32), axis=1)
    return larger < k


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed stably."""
    x = _float(x)
    if axis is None:
        return tf.reduce_logsumexp(tf.reshape(x, (-1,)), axis=0)
    axes = list(axis) if isinstance(axis, (list, tuple)) else axis
    return tf.reduce_logsumexp(x, axis=axes, keepdims=keepdims)


def erf(x):
    """The error function."""
    return tf.math.erf(_float(x))


def erfc(x):
    """The complementary error function ``1 - erf(x)``."""
    return tf.math.erfc(_float(x))


def erfinv(x):
    """The inverse error function."""
    return tf.math.erfinv(_float(x))


def qr(x, mode="reduced"):
    """The QR decomposition ``(q, r)`` of ``x`` (``mode`` is ``"reduced"`` or ``"complete"``)."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")
    q, r = tf.linalg.qr(_float(x), full_matrices=mode == "complete")
    return q, r


def _check_segments(data, segment_ids, op):
    if segment_ids.shape.rank != 1:
        raise ValueError(
            f"`{op}` expects 1-D `segment_ids`. Received: segment_ids with shape "
            f"{tuple(segment_ids.shape)}. Flatten the inputs first, or map over them."
        )
    leading = data.shape[0] if data.shape.rank else None
    if data.shape.rank < 1 or (
        leading is not None and segment_ids.shape[0] is not None and segment_ids.shape[0] != leading
    ):
        raise ValueError(
            f"`{op}` expects `segment_ids` with `data`'s leading dimension. Received: "
            f"segment_ids.shape={tuple(segment_ids.shape)}, data.shape={tuple(data.shape)}"
        )


def _prepared(data, segment_ids, num_segments, op):
    """``data``, the ids (out-of-range ones sent to one extra segment) and the count."""
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids)
    if op != "segment_sum":
        _check_segments(data, segment_ids, op)
    segment_ids = tf.cast(segment_ids, tf.int64)
    if num_segments is None:
        largest = tf.reduce_max(tf.concat([segment_ids, [-1]], 0))
        num_segments = largest + 1
    else:
        num_segments = tf.cast(num_segments, tf.int64)
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    segment_ids = tf.where(valid, segment_ids, num_segments)
    return data, segment_ids, num_segments


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums of the rows of ``data`` that share a segment id (ids out of range are dropped)."""
    data, ids, n = _prepared(data, segment_ids, num_segments, "segment_sum")
    work = data
    if data.dtype == tf.bool or data.dtype in (tf.int8, tf.int16, tf.uint8, tf.uint16):
        work = tf.cast(data, tf.int32)
    out = tf.math.unsorted_segment_sum(work, ids, n + 1)[:n]
    return tf.cast(out, data.dtype)


def _float32_reduction(data, ids, n, reduce, identity):
    # As cornu-on-torch (and Keras's torch backend): computed in float32, empty segments
    # hold the identity, then cast to ``data``'s dtype.
    work = tf.cast(data, tf.float32)
    out = reduce(work, ids, n + 1)[:n]
    count = tf.math.unsorted_segment_sum(tf.ones_like(ids, tf.int32), ids, n + 1)[:n]
    empty = tf.reshape(count == 0, tf.concat([[-1], tf.ones(work.shape.rank - 1, tf.int32)], 0))
    out = tf.where(empty, tf.constant(identity, tf.float32), out)
    if data.dtype.is_integer:
        # torch converts the empty segments' infinities to the lowest int32 (x86's
        # "integer indefinite"), where TensorFlow would saturate: kept as torch gives them.
        lowest = tf.constant(np.iinfo(np.int32).min, tf.int32)
        out = tf.where(tf.math.is_finite(out), tf.cast(out, tf.int32), lowest)
    return tf.cast(out, data.dtype)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maxima of the rows of ``data`` that share a segment id (``-inf`` for empty segments)."""
    data, ids, n = _prepared(data, segment_ids, num_segments, "segment_max")
    return _float32_reduction(data, ids, n, tf.math.unsorted_segment_max, -np.inf)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minima of the rows of ``data`` that share a segment id (``inf`` for empty segments)."""
    data, ids, n = _prepared(data, segment_ids, num_segments, "segment_min")
    return _float32_reduction(data, ids, n, tf.math.unsorted_segment_min, np.inf)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Products of the rows of ``data`` that share a segment id (1 for empty segments)."""
    data, ids, n = _prepared(data, segment_ids, num_segments, "segment_prod")
    return _float32_reduction(data, ids, n, tf.math.unsorted_segment_prod, 1.0)


def cdist(x, y):
    """Euclidean distances between the rows of ``x`` ``(..., N, D)`` and ``y`` ``(..., M, D)``."""
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if x.shape.rank < 2 or y.shape.rank < 2:
        raise ValueError(
            "`cdist` expects inputs of rank >= 2. "
            f"Received: x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(
            "`cdist` expects inputs with the same last dimension. "
            f"Received: x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    diff = x[..., :, None, :] - y[..., None, :, :]
    return tf.sqrt(tf.reduce_sum(diff * diff, axis=-1))


def logdet(x):
    """``log(det(x))`` of each square matrix (NaN for a negative determinant)."""
    x = _float(x)
    sign, logabs = tf.linalg.slogdet(x)
    nan = tf.constant(np.nan, logabs.dtype)
    minus_inf = tf.constant(-np.inf, logabs.dtype)
    return tf.where(sign > 0, logabs, tf.where(sign == 0, minus_inf, nan))


def view_as_complex(x):
    """A complex64 tensor from a real one whose last axis (of size 2) holds the two parts."""
    x = convert_to_tensor(x)
    if x.shape.rank < 1 or x.shape[-1] != 2:
        raise ValueError(
            "`view_as_complex` expects a last dimension of size 2 (real and imaginary). "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return tf.complex(tf.cast(x[..., 0], tf.float32), tf.cast(x[..., 1], tf.float32))


def view_as_real(x):
    """A real tensor with a new last axis of size 2 holding ``x``'s real and imaginary parts."""
    x = convert_to_tensor(x)
    if not x.dtype.is_complex:
        raise ValueError(f"`view_as_real` expects a complex tensor. Received: dtype {x.dtype.name}")
    return tf.stack((tf.math.real(x), tf.math.imag(x)), axis=-1)
