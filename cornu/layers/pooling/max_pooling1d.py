"""MaxPooling1D: 1-D max pooling."""

from cornu.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """1-D max pooling: the maximum of each window of ``pool_size`` cells, moved by
    ``strides``, for each channel.

    Args:
        pool_size: the window's size, an int or 1 ints, default 2.
        strides: the window's step, an int or 1 ints; ``pool_size`` when None.
        padding: ``"valid"`` or ``"same"`` (``ceil(size / stride)`` outputs, the odd padded
            cell at the end; padded cells never win).
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.

    Input shape: ``(batch, steps, channels)`` (channels_last)
    or ``(batch, channels, steps)`` (channels_first).
    Output shape: the same with each spatial size ``floor((size - pool_size) / strides) + 1``
    (``"valid"``) or ``ceil(size / strides)`` (``"same"``).
    """

    def __init__(
        self,
        pool_size=2,
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=1,
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
