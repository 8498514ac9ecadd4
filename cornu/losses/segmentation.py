"""Overlap losses for segmentation: Dice and Tversky."""

from cornu import ops
from cornu.core import epsilon
from cornu.losses.loss import Loss
from cornu.losses.losses import LossFunctionWrapper


def dice(y_true, y_pred, axis=None):
    """Dice loss: ``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))``.

    Args:
        y_true: the target masks.
        y_pred: the predicted masks, the same shape.
        axis: the axes the sums run over; all (one number for the batch) when None.

    Returns:
        The losses: a scalar when ``axis`` is None, else the shape with ``axis`` reduced.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    total = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon()
    return 1 - 2.0 * intersection / total


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss: ``1 - TP / (TP + alpha * FP + beta * FN)`` with soft counts
    ``TP = sum(y_true * y_pred)``, ``FP = sum(y_true * (1 - y_pred))`` and
    ``FN = sum((1 - y_true) * y_pred)``, as Keras defines them.

    With ``alpha = beta = 0.5`` it is the Dice loss.

    Args:
        y_true: the target masks.
        y_pred: the predicted masks, the same shape.
        alpha: the weight of the ``FP`` term.
        beta: the weight of the ``FN`` term.
        axis: the axes the sums run over; all (one number for the batch) when None.

    Returns:
        The losses: a scalar when ``axis`` is None, else the shape with ``axis`` reduced.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    false_positives = ops.sum((1 - y_pred) * y_true, axis=axis)
    false_negatives = ops.sum(y_pred * (1 - y_true), axis=axis)
    denominator = intersection + false_positives * alpha + false_negatives * beta + epsilon()
    return 1 - intersection / denominator


class Dice(LossFunctionWrapper):
    """Dice loss: ``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        axis: the axes the sums run over; all when None (one loss for the whole batch). Use
            e.g. ``(1, 2, 3)`` for one loss per image.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, ...)``; per-sample losses with ``axis``
    reduced.
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """Tversky loss (Salehi et al., 2017): ``1 - TP / (TP + alpha * FP + beta * FN)`` (see
    ``tversky``); ``alpha = beta = 0.5`` gives the Dice loss.

    Args:
        alpha: the weight of the false-positive term.
        beta: the weight of the false-negative term.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        axis: the axes the sums run over; all when None (one loss for the whole batch).
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, ...)``; per-sample losses with ``axis``
    reduced.
    """

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}
