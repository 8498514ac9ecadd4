"""GlobalMaxPooling1D: the maximum over the steps of a sequence."""

from cornu import ops
from cornu.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global max pooling of 1-D data: the maximum over the steps, per channel.

    Args:
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        keepdims: keep the reduced axes with size 1.

    Input shape: ``(batch, steps, channels)`` (channels_last)
    or ``(batch, channels, steps)`` (channels_first).
    Output shape: ``(batch, channels)``, or with ``keepdims`` the input's rank with each
    spatial size 1.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return ops.max(inputs, axis=self._axes, keepdims=self.keepdims)
