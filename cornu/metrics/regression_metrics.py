"""Regression metrics: mean errors (squared, absolute, percentage, logarithmic, log-cosh), their
root, the cosine similarity and the R2 score."""

import math

from cornu import ops
from cornu.losses.loss import squeeze_or_expand_to_same_rank
from cornu.losses.losses import mean_absolute_error, mean_squared_error
from cornu.losses.regression import (
    l2_normalize,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
)
from cornu.metrics.metric import Metric
from cornu.metrics.reduction_metrics import Mean, MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    """The mean of ``mean(square(y_true - y_pred), axis=-1)`` over all samples seen.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of ``mean(abs(y_true - y_pred), axis=-1)`` over all samples seen.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(fn=mean_absolute_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean of ``100 * mean(abs((y_true - y_pred) / y_true), axis=-1)`` over all samples.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean of ``mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)`` over all
    samples.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """The square root of the mean squared error over all entries seen:
    ``sqrt(mean(square(y_true - y_pred)))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine similarity ``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``:
    1 for aligned vectors, 0 for orthogonal ones, -1 for opposite ones.

    (The loss of the same name is its negation.)

    Args:
        y_true: the targets.
        y_pred: the predictions, the same shape.
        axis: the axis the similarity is computed along.

    Returns:
        The similarities, with ``axis`` reduced.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions (see ``cosine_similarity``).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        axis: the axis the similarity is computed along.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``. Unlike Keras's, ``get_config()`` keeps ``axis``.
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class LogCoshError(MeanMetricWrapper):
    """The mean of ``mean(log(cosh(y_pred - y_true)), axis=-1)`` over all samples.

    Args:
        name: the metric's name (``"logcosh"`` by default, as in Keras).
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class R2Score(Metric):
    """The coefficient of determination, ``1 - sum((y_true - y_pred)**2) / sum((y_true -
    mean(y_true))**2)``, per output column and aggregated.

    Args:
        class_aggregation: how the columns' scores combine: ``"uniform_average"`` (their
            mean), ``"variance_weighted_average"`` (weighted by each column's variance) or
            None (one score per column).
        num_regressors: the number of independent variables, for the adjusted R2 score
            ``1 - (1 - r2) * (n - 1) / (n - num_regressors - 1)`` (``n`` counts every entry
            seen, as in Keras). 0 for the plain score; when ``n - 1 <= num_regressors`` the
            plain score is returned.
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, output_dim)`` and ``sample_weight`` of shape ``(batch,)`` or ``(batch, 1)``.
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        allowed = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in allowed:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {allowed}. "
                f"Received: class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={tuple(y_pred_shape)} and "
                f"y_true.shape={tuple(y_true_shape)}."
            )
        shape = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape, "zeros", name="squared_sum")
        self.sum = self.add_variable(shape, "zeros", name="sum")
        self.total_mse = self.add_variable(shape, "zeros", name="residual")
        self.count = self.add_variable(shape, "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if sample_weight is None:
            sample_weight = ops.ones(tuple(y_true.shape), dtype=self.dtype)
        else:
            sample_weight = ops.convert_to_tensor(sample_weight, self.dtype)
            if len(sample_weight.shape) == 1:
                sample_weight = ops.expand_dims(sample_weight, 1)
            sample_weight = ops.broadcast_to(sample_weight, tuple(y_true.shape))
        weighted_y_true = y_true * sample_weight
        self.sum.assign_add(ops.sum(weighted_y_true, axis=0))
        self.squared_sum.assign_add(ops.sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign_add(ops.sum(ops.square(y_true - y_pred) * sample_weight, axis=0))
        self.count.assign_add(ops.sum(sample_weight, axis=0))
        # A Python number: added on the device with no host-to-device copy.
        self.num_samples.assign_add(float(math.prod(tuple(y_true.shape))))

    def result(self):
        if not self._built:
            return ops.zeros((), self.dtype)
        total_sum = self.sum.value
        mean = total_sum / self.count.value
        total = self.squared_sum.value - total_sum * mean
        raw_scores = 1 - (self.total_mse.value / total)
        raw_scores = ops.where(ops.isinf(raw_scores), ops.zeros_like(raw_scores), raw_scores)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * raw_scores) / ops.sum(total)
        else:
            score = raw_scores
        if self.num_regressors == 0:
            return score
        # The adjusted score, chosen on the device (no read of the sample count to the host).
        n = self.num_samples.value
        degrees = n - self.num_regressors - 1.0
        adjusted = 1.0 - (1.0 - score) * (n - 1.0) / degrees
        return ops.where(degrees > 0, adjusted, score)

    def get_config(self):
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
