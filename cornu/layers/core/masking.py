"""Masking: marks the time steps whose features all equal a padding value."""

from cornu import ops
from cornu.layers.layer import Layer
from cornu.saving.serialization_lib import deserialize_keras_object


class Masking(Layer):
    """Masks the time steps where every feature equals ``mask_value``.

    The output mask is ``any(inputs != mask_value, axis=-1)``: layers after it that support
    masking (LSTM, GRU, ...) skip those steps. The masked steps of the output are set to 0.

    Args:
        mask_value: the padding value (0.0 by default).

    Input shape: ``(batch_size, timesteps, features)`` (any rank >= 2). Output: the same shape.
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("config") is not None:
            mask_value = deserialize_keras_object(mask_value)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, previous_mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.where(keep, inputs, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
