"""RandomSaturation: scales the saturation of each image by a random amount during training."""

from cornu import backend, ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.random_hue import (
    channel_planes,
    stack_planes,
)


class RandomSaturation(BaseImagePreprocessingLayer):
    """Scales the saturation of each image by a random amount during training; at inference
    the images pass through unchanged.

    For each image a ``factor`` is drawn uniformly from the factor range and the saturation
    (in HSV) is multiplied by ``factor / (1 - factor + epsilon)``: 0.5 keeps the image, 0 turns
    it gray, 1 saturates it fully. As in Keras the HSV conversion is applied to the values as
    they are (not rescaled from ``value_range``), and the scaled saturation is clipped to
    ``value_range``. Inputs must have 3 channels; integer images are cast to the layer's dtype.

    Args:
        factor: a number ``f`` in ``[0, 1]`` or a pair ``(lower, upper)`` within ``[-1, 1]``.
            As in Keras a single number draws in ``[-f, f]``, and a negative draw gives a
            negative saturation, clipped to ``value_range[0]``; pass ``(0, f)`` for the
            documented behaviour.
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, 3)`` or a single ``(height, width, 3)``
    image (channels first with ``"channels_first"``).
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self._set_value_range_and_seed(value_range, seed)

    def get_random_transformation(self, data, training=True, seed=None):
        factor = self._draw_factors(data, seed)
        return {"factor": factor / (1 - factor + backend.epsilon())}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        if not backend.is_float_dtype(images.dtype):
            images = ops.cast(images, self.compute_dtype)
        scale = ops.cast(transformation["factor"], self.compute_dtype)[:, None, None]
        hue, saturation, value = channel_planes(
            ops.image.rgb_to_hsv(images, data_format=self.data_format), self.data_format
        )
        saturation = ops.clip(saturation * scale, self.value_range[0], self.value_range[1])
        images = stack_planes((hue, saturation, value), self.data_format)
        return ops.image.hsv_to_rgb(images, data_format=self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
