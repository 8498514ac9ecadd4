"""AdaptiveMaxPooling2D: max pooling of 2-D data to a fixed output size."""

from cornu.layers.pooling.base_adaptive_pooling import BaseAdaptiveMaxPooling


class AdaptiveMaxPooling2D(BaseAdaptiveMaxPooling):
    """Adaptive max pooling of 2-D data: pools height and width to ``output_size`` whatever
    the input's size. Output cell ``i`` of an axis of size ``n`` takes the maximum of input cells
    ``floor(i * n / out)`` up to ``ceil((i + 1) * n / out)``.

    Args:
        output_size: an int (the same for every axis) or a tuple (height, width).
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.

    Input shape: ``(batch, height, width, channels)`` (channels_last)
    or ``(batch, channels, height, width)`` (channels_first).
    Output shape: ``(batch, output_height, output_width, channels)`` (channels_last)
    or ``(batch, channels, output_height, output_width)`` (channels_first).
    """

    _rank = 2
