"""Regression losses: percentage and logarithmic errors, cosine similarity, Huber and log-cosh."""

import math

from cornu import ops
from cornu.core import epsilon
from cornu.losses.loss import Loss, squeeze_or_expand_to_same_rank
from cornu.losses.losses import LossFunctionWrapper


def _pair(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def l2_normalize(x, axis=-1):
    """``x / max(norm(x), epsilon)`` along ``axis``, computed as Keras does (``x * rsqrt``)."""
    x = ops.convert_to_tensor(x)
    inverse_norm = ops.rsqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return x * ops.clip(inverse_norm, None, 1.0 / epsilon())


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / y_true), axis=-1)``.

    The divisor is ``max(abs(y_true), epsilon())``, so zero targets give large but finite
    errors.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.

    Returns:
        The errors, shape ``(batch, d0, ..., dN-1)``.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    divisor = ops.clip(ops.abs(y_true), epsilon(), None)
    return 100.0 * ops.mean(ops.abs((y_true - y_pred) / divisor), axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)``.

    Values below ``epsilon()`` (zero and negatives) are raised to ``epsilon()`` first.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.

    Returns:
        The errors, shape ``(batch, d0, ..., dN-1)``.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = epsilon()
    log_pred = ops.log(ops.clip(y_pred, eps, None) + 1.0)
    log_true = ops.log(ops.clip(y_true, eps, None) + 1.0)
    return ops.mean(ops.square(log_pred - log_true), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """The negated cosine similarity: ``-sum(l2_normalize(y_true) * l2_normalize(y_pred))``.

    It lies in ``[-1, 1]``; -1 means the vectors point the same way, so minimizing it
    aligns predictions with targets. A zero vector gives 0.

    Args:
        y_true: the targets.
        y_pred: the predictions, the same shape.
        axis: the axis the similarity is computed along.

    Returns:
        The negated similarities, with ``axis`` reduced.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return -ops.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss, averaged over the last axis.

    For each error ``x = y_pred - y_true``: ``0.5 * x**2`` where ``abs(x) <= delta``, else
    ``delta * abs(x) - 0.5 * delta**2``.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.
        delta: where the loss turns from quadratic to linear.

    Returns:
        The losses, shape ``(batch, d0, ..., dN-1)``.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed without overflow.

    ``log(cosh(x))`` is about ``x**2 / 2`` for small ``x`` and ``abs(x) - log(2)`` for large
    ``x``: like the squared error, but less swayed by a few wild predictions.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.

    Returns:
        The losses, shape ``(batch, d0, ..., dN-1)``.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(-2.0 * x) - math.log(2.0), axis=-1)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error: ``100 * mean(abs((y_true - y_pred) / y_true))``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )

    def get_config(self):
        return Loss.get_config(self)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error: ``mean(square(log(y_true + 1) - log(y_pred + 1)))``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )

    def get_config(self):
        return Loss.get_config(self)


class CosineSimilarity(LossFunctionWrapper):
    """The negated cosine similarity between targets and predictions (see
    ``cosine_similarity``): -1 for aligned vectors, 0 for orthogonal ones.

    Args:
        axis: the axis the similarity is computed along.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses with
    ``axis`` reduced. Unlike Keras's, ``get_config()`` keeps ``axis``, so a saved loss comes
    back the same.
    """

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for errors up to ``delta``, linear beyond (see ``huber``).

    Args:
        delta: where the loss turns from quadratic to linear.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``. Unlike Keras's, ``get_config()`` keeps ``delta``, so a saved
    loss comes back the same.
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self):
        return {**Loss.get_config(self), "delta": self.delta}


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error: ``mean(log(cosh(y_pred - y_true)))``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
