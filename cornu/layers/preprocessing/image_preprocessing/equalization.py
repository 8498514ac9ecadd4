"""Equalization: histogram equalization of each colour channel during training."""

import numbers

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


def _rescale(values, source, target):
    scale = (target[1] - target[0]) / (source[1] - source[0])
    return values * scale + (target[0] - source[0] * scale)


class Equalization(BaseImagePreprocessingLayer):
    """Equalizes the histogram of each channel during training, spreading the values evenly
    over the range; at inference the images pass through unchanged.

    As in Keras, one histogram of ``bins`` bins is counted per channel over the whole batch
    (on the ``[0, 255]`` scale); each value is mapped through the histogram's normalized
    cumulative sum (rounded to whole steps of ``[0, 255]``), and the result is mapped back to
    ``value_range``. A channel whose values all fall in one bin is left unchanged. In training
    the output is floating (the layer's dtype).

    Args:
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        bins: the number of histogram bins (256 by default).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or bins < 2:
            raise ValueError(
                f"Equalization: `bins` should be an integer of at least 2. Received: bins={bins!r}"
            )
        self.bins = bins
        self.value_range = sorted(validate_value_range(value_range, "Equalization"))

    def _histogram(self, channel):
        """Counts of the ``[0, 255]`` values of ``channel`` in ``bins`` equal bins."""
        scaled = ops.cast(channel, "float32") * (self.bins - 1) / 255.0
        indices = ops.clip(ops.cast(scaled, "int32"), 0, self.bins - 1)
        indices = ops.reshape(indices, (-1,))
        ones = ops.ones(indices.shape, dtype="int64")
        return ops.segment_sum(ones, indices, num_segments=self.bins)

    def _equalize(self, channel, histogram):
        cdf = ops.cumsum(histogram)
        cdf_min = ops.take(cdf, ops.argmax(ops.cast(cdf > 0, "int32")))
        denominator = cdf[-1] - cdf_min
        denominator = ops.where(denominator == 0, ops.ones_like(denominator), denominator)
        table = ops.cast((cdf - cdf_min) * 255, "float32") / ops.cast(denominator, "float32")
        table = ops.clip(ops.round(table), 0, 255)
        indices = ops.clip(channel / 255.0 * (self.bins - 1), 0, self.bins - 1)
        return ops.take(table, ops.cast(indices, "int32"))

    def _equalize_channel(self, channel):
        channel = _rescale(channel, self.value_range, (0, 255))
        histogram = self._histogram(channel)
        flat = ops.count_nonzero(histogram) <= 1
        equalized = ops.where(flat, channel, self._equalize(channel, histogram))
        return _rescale(equalized, (0, 255), self.value_range)

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        axis = -3 if self.data_format == "channels_first" else -1
        channels = [
            self._equalize_channel(ops.take(images, i, axis=axis))
            for i in range(images.shape[axis])
        ]
        return ops.cast(ops.stack(channels, axis=axis), self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
