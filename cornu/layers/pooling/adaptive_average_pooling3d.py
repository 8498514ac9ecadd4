"""AdaptiveAveragePooling3D: average pooling of 3-D data to a fixed output size."""

from cornu.layers.pooling.base_adaptive_pooling import BaseAdaptiveAveragePooling


class AdaptiveAveragePooling3D(BaseAdaptiveAveragePooling):
    """Adaptive average pooling of 3-D data: pools depth, height and width to ``output_size``
    whatever the input's size. Output cell ``i`` of an axis of size ``n`` takes the mean of
    input cells ``floor(i * n / out)`` up to ``ceil((i + 1) * n / out)``.

    Args:
        output_size: an int (the same for every axis) or a tuple (depth, height, width).
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.

    Input shape: ``(batch, depth, height, width, channels)`` (channels_last)
    or ``(batch, channels, depth, height, width)`` (channels_first).
    Output shape: ``(batch, out_depth, out_height, out_width, channels)`` (channels_last)
    or ``(batch, channels, out_depth, out_height, out_width)`` (channels_first).
    """

    _rank = 3
