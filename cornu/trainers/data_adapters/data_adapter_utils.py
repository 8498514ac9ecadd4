"""Packing and unpacking of ``(x, y, sample_weight)`` batches, and class weights."""

import warnings

import numpy as np

from cornu import backend, core, ops
from cornu.core import tree
from cornu.utils.packing_utils import (  # noqa: F401 (part of this module's API)
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
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
