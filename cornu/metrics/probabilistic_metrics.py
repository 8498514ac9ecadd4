"""Probabilistic metrics: the mean cross-entropies, KL divergence and Poisson loss over all
samples seen."""

from cornu.losses.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from cornu.losses.probabilistic import kl_divergence, poisson
from cornu.metrics.reduction_metrics import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary cross-entropy between labels and predictions (see the loss).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; labels move towards 0.5 by this much.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical cross-entropy between one-hot labels and predictions.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; labels become
            ``y_true * (1 - label_smoothing) + label_smoothing / num_classes``.
        axis: the class axis.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, num_classes)``.
    """

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical cross-entropy between integer labels and predictions.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        ignore_class: an optional class index left out of the mean.
        axis: the class axis of ``y_pred``.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` of shape ``(batch,)``
    or ``(batch, 1)`` and ``y_pred`` of shape ``(batch, num_classes)``.
    """

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }


class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class Poisson(MeanMetricWrapper):
    """The mean Poisson loss ``mean(y_pred - y_true * log(y_pred))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=poisson, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
