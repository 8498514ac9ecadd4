"""AveragePooling1D: 1-D average pooling."""

from cornu.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """1-D average pooling: the mean of each window of ``pool_size`` cells, moved by
    ``strides``, for each channel.

    Args:
        pool_size: the window's size, an int or 1 ints.
        strides: the window's step, an int or 1 ints; ``pool_size`` when None.
        padding: ``"valid"`` or ``"same"`` (``ceil(size / stride)`` outputs, the odd padded
            cell at the end; each mean counts only the window's real cells, as TensorFlow).
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.

    Like TensorFlow (and unlike Keras 3.15's torch backend, which counts replicated edge
    cells), an uneven ``"same"`` padding leaves the padded cells out of the mean.

    Input shape: ``(batch, steps, channels)`` (channels_last)
    or ``(batch, channels, steps)`` (channels_first).
    Output shape: the same with each spatial size ``floor((size - pool_size) / strides) + 1``
    (``"valid"``) or ``ceil(size / strides)`` (``"same"``).
    """

    def __init__(
        self,
        pool_size,
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
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
