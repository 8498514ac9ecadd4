"""Flatten: merges all axes but the batch axis into one."""

import math

from cornu import core, ops
from cornu.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input to ``(batch_size, -1)``.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``; with channels_first the
            channels are moved last before flattening, so the order matches channels_last.

    Input shape: ``(batch_size, ...)``. Output shape: ``(batch_size, product of the rest)``.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = core.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = ops.moveaxis(inputs, 1, -1)
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        if not rest:
            return (input_shape[0], 1)
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
