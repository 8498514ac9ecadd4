"""GlobalMaxPooling3D: the maximum over all 3-D spatial positions."""

from cornu import ops
from cornu.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Global max pooling of 3-D data: the maximum over depth, height and width, per channel.

    Args:
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        keepdims: keep the reduced axes with size 1.

    Input shape: ``(batch, depth, height, width, channels)`` (channels_last)
    or ``(batch, channels, depth, height, width)`` (channels_first).
    Output shape: ``(batch, channels)``, or with ``keepdims`` the input's rank with each
    spatial size 1.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return ops.max(inputs, axis=self._axes, keepdims=self.keepdims)
