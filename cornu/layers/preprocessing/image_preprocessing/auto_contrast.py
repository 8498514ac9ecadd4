"""AutoContrast: stretches each image's channels to the full value range."""

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


class AutoContrast(BaseImagePreprocessingLayer):
    """Stretches the contrast of each image channel so that its darkest value maps to
    ``value_range[0]`` and its brightest to ``value_range[1]``.

    Not random: the layer acts in training and at inference alike, as in Keras. A flat
    channel (one value) is left unchanged. The output is floating (the layer's dtype). As in
    Keras the minimum and maximum are taken over axes 1 and 2, the height and width of
    channels-last batches.

    Args:
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image.
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = sorted(validate_value_range(value_range, "AutoContrast"))

    def transform_images(self, images, transformation=None, training=True):
        original = images
        images = self._transform_value_range(
            images, self.value_range, (0, 255), dtype=self.compute_dtype
        )
        images = ops.cast(images, self.compute_dtype)
        low = ops.min(images, axis=(1, 2), keepdims=True)
        high = ops.max(images, axis=(1, 2), keepdims=True)
        scale = 255.0 / (high - low)
        images = ops.clip(images * scale - low * scale, 0.0, 255.0)
        images = self._transform_value_range(
            images, (0, 255), self.value_range, dtype=self.compute_dtype
        )
        return ops.cast(ops.where(ops.isnan(images), original, images), self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}
