"""Correlation metrics: Pearson's and the concordance correlation coefficient, per sample."""

from cornu import ops
from cornu.core import epsilon
from cornu.losses.loss import squeeze_or_expand_to_same_rank
from cornu.metrics.reduction_metrics import MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation coefficient of ``y_true`` and ``y_pred`` along ``axis``.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.
        axis: the axis the correlation is computed along.

    Returns:
        The coefficients, in ``[-1, 1]``, with ``axis`` reduced.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    y_pred = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    y_true = y_true / ops.std(y_true, axis=axis, keepdims=True)
    y_pred = y_pred / ops.std(y_pred, axis=axis, keepdims=True)
    return ops.mean(y_true * y_pred, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """The concordance correlation coefficient of ``y_true`` and ``y_pred`` along ``axis``:
    how well they agree, both in correlation and in mean and scale.

    Computed with Keras's formula: ``mean(2 * (y_true - mean(y_pred)) * (y_pred -
    mean(y_pred)) / (var(y_true) + var(y_pred) + (mean(y_true) - mean(y_pred))**2))``.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, the same shape.
        axis: the axis the coefficient is computed along.

    Returns:
        The coefficients, with ``axis`` reduced.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_var = ops.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = ops.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + ops.square(true_mean - pred_mean)
    return ops.mean(2 * covariance / (norm + epsilon()), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of Pearson's correlation coefficient along ``axis``.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        axis: the axis the correlation is computed along.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of the concordance correlation coefficient along ``axis``.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        axis: the axis the coefficient is computed along.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
