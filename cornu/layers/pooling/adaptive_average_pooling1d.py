"""AdaptiveAveragePooling1D: average pooling of 1-D data to a fixed output size."""

from cornu.layers.pooling.base_adaptive_pooling import BaseAdaptiveAveragePooling


class AdaptiveAveragePooling1D(BaseAdaptiveAveragePooling):
    """Adaptive average pooling of 1-D data: pools steps to ``output_size`` whatever
    the input's size. Output cell ``i`` of an axis of size ``n`` takes the mean of input cells
    ``floor(i * n / out)`` up to ``ceil((i + 1) * n / out)``.

    Args:
        output_size: an int.
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.

    Input shape: ``(batch, steps, channels)`` (channels_last)
    or ``(batch, channels, steps)`` (channels_first).
    Output shape: ``(batch, output_length, channels)`` (channels_last)
    or ``(batch, channels, output_length)`` (channels_first).
    """

    _rank = 1
