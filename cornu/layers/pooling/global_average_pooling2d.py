"""GlobalAveragePooling2D: the mean over all 2-D spatial positions."""

from cornu import ops
from cornu.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global average pooling of 2-D data: the mean over height and width, per channel.

    Args:
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        keepdims: keep the reduced axes with size 1.

    Input shape: ``(batch, height, width, channels)`` (channels_last)
    or ``(batch, channels, height, width)`` (channels_first).
    Output shape: ``(batch, channels)``, or with ``keepdims`` the input's rank with each
    spatial size 1.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return ops.mean(inputs, axis=self._axes, keepdims=self.keepdims)
