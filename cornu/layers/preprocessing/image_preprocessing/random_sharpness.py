"""RandomSharpness: sharpens or blurs each image by a random amount during training."""

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomSharpness(BaseImagePreprocessingLayer):
    """Adjusts the sharpness of each image by a random amount during training; at inference
    the images are only cast to the layer's dtype.

    Each image is blended with its smoothed version (a 3x3 kernel, 5/13 at the centre and
    1/13 around it, zero padded): ``x + (1 - 2 f) * (smooth(x) - x)``, clipped to
    ``value_range``, with ``f`` drawn per image from the factor range: 0 gives the smoothed
    image, 0.5 the original, 1 a sharpened one.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (draws in ``[0, f]``) or a pair
            ``(lower, upper)`` within ``[0, 1]``.
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._set_value_range_and_seed(value_range, seed)

    def get_random_transformation(self, data, training=True, seed=None):
        factor = self._draw_factors(data, seed)
        return {"factor": factor}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training:
            return images
        if self.data_format == "channels_first":
            images = ops.swapaxes(images, -3, -1)
        strength = ops.cast(transformation["factor"] * 2, self.compute_dtype)
        strength = ops.reshape(strength, (-1, 1, 1, 1))
        edge, centre = 1.0 / 13.0, 5.0 / 13.0
        kernel = ops.convert_to_tensor(
            [[edge, edge, edge], [edge, centre, edge], [edge, edge, edge]], self.compute_dtype
        )
        kernel = ops.tile(ops.reshape(kernel, (3, 3, 1, 1)), [1, 1, images.shape[-1], 1])
        smoothed = ops.depthwise_conv(
            images, kernel, strides=1, padding="same", data_format="channels_last"
        )
        images = images + (1.0 - strength) * (ops.cast(smoothed, self.compute_dtype) - images)
        images = ops.clip(images, self.value_range[0], self.value_range[1])
        if self.data_format == "channels_first":
            images = ops.swapaxes(images, -3, -1)
        return images

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
