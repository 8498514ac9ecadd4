"""RandomInvert: inverts each image with a random probability during training."""

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomInvert(BaseImagePreprocessingLayer):
    """Inverts images (``x -> value_range[1] - x``) at random during training; at inference
    the images pass through unchanged.

    For each image a probability ``p`` is drawn uniformly from the factor range, then the
    image is inverted when a second uniform draw falls below ``p``. In training the output is
    floating (the layer's dtype).

    Args:
        factor: a number ``f`` in ``[0, 1]`` (probabilities in ``[0, f]``; 1.0 by default) or
            a pair ``(lower, upper)`` within ``[0, 1]``.
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        seed: an int seed for reproducible draws.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._set_value_range_and_seed(value_range, seed, sort=False)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        seed = seed or self.generator
        batch = images.shape[0]
        return {"apply_inversion": self._draw_apply_mask(batch, seed)}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        invert = transformation["apply_inversion"][:, None, None, None]
        return ops.where(invert, self.value_range[1] - images, images)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
