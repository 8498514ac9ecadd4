"""Metrics that reduce values over batches: ``Sum``, ``Mean`` and ``MeanMetricWrapper``."""

from cornu import ops
from cornu.losses.loss import apply_mask, get_keras_mask, squeeze_or_expand_to_same_rank
from cornu.metrics.metric import Metric
from cornu.saving import serialization_lib


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights ``values`` and reduces them to one value per sample (shape ``(batch,)``).

    Returns the values and the sample weights reduced to the same shape (None when no
    weights were given).
    """
    mask = get_keras_mask(values)
    values = ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = len(sample_weight.shape)
        values_ndim = len(values.shape)
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        # Broadcasting changes the sum of the weights below, as it does in Keras.
        sample_weight = ops.broadcast_to(sample_weight, tuple(values.shape))
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    values_ndim = len(values.shape)
    if values_ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values_ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of all values seen.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(values, sample_weight=None)``: ``values`` of any shape; ``sample_weight``
    None, a scalar, or of a shape ``values`` broadcasts against.
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self._dtype)
        self.total.assign_add(ops.sum(values))

    def reset_state(self):
        self.total.assign(ops.zeros((), dtype=self.total.dtype))

    def result(self):
        return ops.copy(self.total.value)


class Mean(Metric):
    """The (weighted) mean of all values seen: ``total / count``.

    Values are first averaged to one per sample; without weights each sample counts 1, with
    weights the count is the sum of the weights.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(values, sample_weight=None)``: ``values`` of shape ``(batch, ...)`` or a
    scalar; ``sample_weight`` None, a scalar, or of shape ``(batch,)`` (or broadcastable).
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, ops.mean, self._dtype
        )
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            self.count.assign_add(ops.cast(ops.sum(sample_weight), self.count.dtype))
        elif len(values.shape) >= 1:
            # A Python number: added on the device with no host-to-device copy.
            self.count.assign_add(float(values.shape[0]))
        else:
            self.count.assign_add(1.0)

    def reset_state(self):
        self.total.assign(ops.zeros((), dtype=self.total.dtype))
        self.count.assign(ops.zeros((), dtype=self.count.dtype))

    def result(self):
        return ops.divide_no_nan(self.total.value, self.count.value)


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Args:
        fn: a function of ``(y_true, y_pred)`` returning per-sample values, such as a loss
            function or ``binary_accuracy``.
        name: the metric's name.
        dtype: the dtype of the state and result.
        **kwargs: further arguments for ``fn``.

    ``update_state(y_true, y_pred, sample_weight=None)``; a ``_keras_mask`` on ``y_pred``
    leaves the masked entries out.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=self._dtype, reduction="sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialization_lib.serialize_keras_object(self._fn)
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config and not callable(config["fn"]):
            from cornu.metrics import FUNCTIONS

            config["fn"] = serialization_lib.deserialize_keras_object(
                config["fn"], module_objects=FUNCTIONS, kind="metric function"
            )
        return cls(**config)
