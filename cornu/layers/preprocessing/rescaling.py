"""Rescaling: multiplies the inputs by ``scale`` and adds ``offset``."""

import numpy as np

from cornu import core, ops
from cornu.layers.layer import Layer
from cornu.saving import serialization_lib


def _check_numbers(value, name):
    try:
        array = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        array = None
    if array is None or value is None or isinstance(value, (bool, str)):
        raise ValueError(
            f"Rescaling expects `{name}` to be a number or a list/array of numbers (one per "
            f"channel). Received: {name}={value!r}"
        )
    return array


class Rescaling(Layer):
    """Rescales the inputs: ``outputs = inputs * scale + offset``, at training and at inference.

    To map ``[0, 255]`` to ``[0, 1]`` pass ``scale=1 / 255``; to map it to ``[-1, 1]`` pass
    ``scale=1 / 127.5, offset=-1``. Integer inputs give floating outputs (the layer's dtype).

    Args:
        scale: a number, or a list/array of numbers broadcast against the inputs (e.g. one per
            channel). With ``image_data_format() == "channels_first"`` a per-channel ``scale``
            (and ``offset``) is applied along axis 1 of an image batch.
        offset: a number, or a list/array of numbers, added after scaling.

    Input and output shapes are the same.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self._scale_array = _check_numbers(scale, "scale")
        self._offset_array = _check_numbers(offset, "offset")
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def _factor(self, array):
        """A Python float for a scalar (no tensor per call), else a tensor in the layer's
        dtype, shaped to follow the channels axis of a channels-first image batch."""
        if array.ndim == 0:
            return float(array)
        if core.image_data_format() == "channels_first":
            array = array.reshape(array.shape + (1,) * max(0, 3 - array.ndim))
        return ops.convert_to_tensor(array, dtype=self.compute_dtype)

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        return inputs * self._factor(self._scale_array) + self._factor(self._offset_array)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "scale": serialization_lib.serialize_keras_object(self.scale),
            "offset": serialization_lib.serialize_keras_object(self.offset),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("scale", "offset"):
            if key in config:
                config[key] = serialization_lib.deserialize_keras_object(config[key])
        return cls(**config)
