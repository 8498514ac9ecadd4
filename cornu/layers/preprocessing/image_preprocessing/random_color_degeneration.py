"""RandomColorDegeneration: blends each image with its grayscale version during training."""

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.resizing import check_image_rank


class RandomColorDegeneration(BaseImagePreprocessingLayer):
    """Reduces the colour of each image by a random amount during training; at inference the
    images pass through unchanged.

    Each image becomes ``x + factor * (gray(x) - x)``, clipped to ``value_range``, with one
    ``factor`` drawn per image from the factor range: 0 keeps the image, 1 makes it gray.
    In training the output is floating (the layer's dtype).

    Args:
        factor: a number ``f`` in ``[0, 1]`` (as in Keras, draws in ``[-f, f]``: a negative
            draw boosts colour) or a pair ``(lower, upper)`` within ``[-1, 1]``.
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
        factor = self._draw_factors(data, seed, shape=(1, 1, 1))
        return {"factor": factor}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        factor = ops.cast(transformation["factor"], self.compute_dtype)
        gray = ops.image.rgb_to_grayscale(images, data_format=self.data_format)
        images = images + factor * (gray - images)
        images = ops.clip(images, self.value_range[0], self.value_range[1])
        return ops.cast(images, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        check_image_rank(self, input_shape)
        channels = input_shape[-1 if self.data_format == "channels_last" else -3]
        if channels is not None and channels != 3:
            raise ValueError(
                f"RandomColorDegeneration expects images with 3 channels. Received: "
                f"input_shape={tuple(input_shape)}"
            )
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
