"""Hinge losses for maximum-margin classifiers: hinge, squared hinge and categorical hinge."""

from cornu import ops
from cornu.losses.loss import Loss
from cornu.losses.losses import LossFunctionWrapper


def convert_binary_labels_to_hinge(y_true):
    """Labels of 0s and 1s become -1s and 1s; any other labels are returned as they are.

    The check runs on the device (no read back to the host).
    """
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _margins(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = convert_binary_labels_to_hinge(ops.cast(y_true, y_pred.dtype))
    return ops.relu(1.0 - y_true * y_pred)


def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``.

    Args:
        y_true: labels -1 or 1 (0 or 1 are converted), shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.

    Returns:
        The losses, shape ``(batch, d0, ..., dN-1)``.
    """
    return ops.mean(_margins(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``.

    Args:
        y_true: labels -1 or 1 (0 or 1 are converted), shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.

    Returns:
        The losses, shape ``(batch, d0, ..., dN-1)``.
    """
    return ops.mean(ops.square(_margins(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)`` and
    ``neg = max((1 - y_true) * y_pred)`` over the last axis.

    Args:
        y_true: one-hot labels (or -1/1 labels), shape ``(batch, ..., num_classes)``.
        y_pred: the predictions, the same shape.

    Returns:
        The losses, shape ``(batch, ...)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.relu(negative - positive + 1.0)


class Hinge(LossFunctionWrapper):
    """Hinge loss: ``mean(maximum(1 - y_true * y_pred, 0))``.

    ``y_true`` holds -1 or 1; labels of 0 and 1 are converted to -1 and 1.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss: ``mean(square(maximum(1 - y_true * y_pred, 0)))``.

    ``y_true`` holds -1 or 1; labels of 0 and 1 are converted to -1 and 1.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss: ``maximum(neg - pos + 1, 0)`` (see ``categorical_hinge``).

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` (one-hot) and ``y_pred`` of ``(batch, ..., num_classes)``; per-sample
    losses of ``(batch, ...)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
