"""F-scores: FBetaScore and F1Score, per class or averaged."""

from cornu import ops
from cornu.core import epsilon
from cornu.metrics.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score: ``(1 + beta**2) * precision * recall / (beta**2 * precision + recall)``.

    Predictions are made binary first: above ``threshold``, or, when ``threshold`` is None,
    the largest entry of each row (if it is not 0).

    Args:
        average: None (one score per class), ``"micro"`` (one score from the counts pooled
            over classes), ``"macro"`` (the mean of the class scores) or ``"weighted"`` (their
            mean weighted by each class's count of positive labels).
        beta: the weight of recall against precision, a float > 0.
        threshold: a float in ``(0, 1]``, or None (the top prediction of each row).
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` and ``y_pred`` of
    shape ``(batch, num_classes)`` and ``sample_weight`` of shape ``(batch,)``. The result has
    shape ``(num_classes,)`` when ``average`` is None, else ``()``.
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in _AVERAGES:
            raise ValueError(
                "Invalid `average` argument value. Expected one of: "
                f"{{None, 'micro', 'macro', 'weighted'}}. Received: average={average!r}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float. "
                f"Received: beta={beta!r} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold!r} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={tuple(y_pred_shape)} and "
                f"y_true.shape={tuple(y_true_shape)}."
            )
        shape = (y_pred_shape[-1],) if self.average != "micro" else ()
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, "zeros", name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, self.dtype)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if self.threshold is None:
            top = ops.max(y_pred, axis=-1, keepdims=True)
            y_pred = ops.logical_and(y_pred >= top, ops.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = ops.cast(y_pred, self.dtype)
        if sample_weight is not None:
            sample_weight = ops.expand_dims(ops.convert_to_tensor(sample_weight, self.dtype), 1)

        def weighted_sum(values):
            if sample_weight is not None:
                values = values * sample_weight
            return ops.sum(values, axis=self.axis)

        self.true_positives.assign_add(weighted_sum(y_pred * y_true))
        self.false_positives.assign_add(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self):
        if not self._built:
            return ops.zeros((), self.dtype)
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + epsilon())
        recall = tp / (tp + self.false_negatives.value + epsilon())
        beta_squared = self.beta**2
        score = (precision * recall) / (beta_squared * precision + recall + epsilon())
        score = score * (1 + beta_squared)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            return ops.sum(score * (weights / (ops.sum(weights) + epsilon())))
        if self.average is not None:
            return ops.mean(score)
        return score

    def get_config(self):
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """The F1 score: ``2 * precision * recall / (precision + recall)`` (``FBetaScore`` with
    ``beta=1``).

    Args:
        average: None (one score per class), ``"micro"``, ``"macro"`` or ``"weighted"`` (see
            ``FBetaScore``).
        threshold: a float in ``(0, 1]``, or None (the top prediction of each row).
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` and ``y_pred`` of
    shape ``(batch, num_classes)``.
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
