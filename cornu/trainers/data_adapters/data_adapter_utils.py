"""Packing and unpacking of ``(x, y, sample_weight)`` batches, and class weights."""

import warnings

import numpy as np

from cornu import backend, core, ops
from cornu.core import tree


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """A batch as Keras hands it to ``train_step``: ``x``, ``(x, y)`` or ``(x, y, sw)``.

    A lone tuple or list ``x`` is wrapped as ``(x,)`` so that it is not read as ``(x, y)``.
    """
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from a batch, with None for the parts it lacks."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return (data[0], data[1], data[2])
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found a tuple of {len(data)} elements: {str(data)[:200]}"
    )


def class_weights_to_sample_weights(y, class_weight):
    """Per-sample weights ``class_weight[label]`` for labels ``y`` (integers or one-hot)."""
    y = np.asarray(ops.convert_to_numpy(y))
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = np.round(y.reshape(len(y), -1)[:, 0]).astype("int64")
    missing = sorted(set(np.unique(labels).tolist()) - {int(c) for c in class_weight})
    if missing:
        warnings.warn(
            f"`class_weight` has no entry for the classes {missing[:20]}"
            f"{' ...' if len(missing) > 20 else ''} found in `y`: they are weighted 1.0. "
            "Give every class a weight to silence this.",
            stacklevel=5,
        )
    weights = np.ones(len(labels), dtype=core.floatx())
    for cls, w in class_weight.items():
        weights[labels == int(cls)] = w
    return weights


def check_class_weight(y, class_weight, sample_weight):
    """Keras's rules for ``class_weight``: it needs targets, excludes ``sample_weight`` and
    applies to single-output models only."""
    if y is None:
        raise ValueError("`class_weight` needs targets `y`.")
    if sample_weight is not None:
        raise ValueError(
            "You cannot pass both `class_weight` and `sample_weight`: combine them "
            "into `sample_weight`."
        )
    if len(tree.flatten(y)) != 1:
        raise ValueError("`class_weight` is only supported for models with one output.")


def to_device_batch(batch):
    """A batch from a loader or generator as backend tensors on the current device (NumPy
    arrays and numbers are converted; float64 becomes ``floatx()``)."""

    def convert(leaf):
        if leaf is None or isinstance(leaf, (str, bytes)):
            return leaf
        if ops.is_tensor(leaf):
            tensor = backend.core.to_device(leaf)
        else:
            array = np.asarray(leaf)
            if array.dtype.kind in "OUSV":
                return leaf
            if array.dtype == np.float64:
                array = array.astype(core.floatx())
            tensor = ops.convert_to_tensor(array)
        return tensor

    return tree.map_structure(convert, batch)
