"""Hinge metrics: the mean hinge, squared hinge and categorical hinge losses."""

from cornu.losses.hinge import categorical_hinge, hinge, squared_hinge
from cornu.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """The mean hinge loss ``mean(maximum(1 - y_true * y_pred, 0))`` over all samples.

    Labels of 0 and 1 are converted to -1 and 1.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(fn=hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SquaredHinge(MeanMetricWrapper):
    """The mean squared hinge loss ``mean(square(maximum(1 - y_true * y_pred, 0)))``.

    Labels of 0 and 1 are converted to -1 and 1.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with both of shape
    ``(batch, d0, ..., dN)``.
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(fn=squared_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class CategoricalHinge(MeanMetricWrapper):
    """The mean categorical hinge loss ``maximum(neg - pos + 1, 0)`` over all samples.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with one-hot ``y_true`` and
    ``y_pred`` of shape ``(batch, num_classes)``.
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(fn=categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
