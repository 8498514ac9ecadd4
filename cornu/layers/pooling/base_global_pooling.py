"""The shared base of the global pooling layers."""

from cornu import core
from cornu.layers.convolutional import conv_utils
from cornu.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces every spatial axis of the input (max or mean), keeping batch and channels.

    Args:
        pool_dimensions: the number of spatial axes (1, 2 or 3).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        keepdims: keep the spatial axes with size 1.
    """

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = core.standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self.rank = pool_dimensions
        self._axes = list(conv_utils.spatial_axes(pool_dimensions, self.data_format))
        self.built = True

    def _check_rank(self, shape):
        if len(shape) != self.rank + 2:
            conv_utils.check_input_shape(self, shape, self.rank, self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        self._check_rank(input_shape)
        if self.keepdims:
            return tuple(1 if i in self._axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._axes)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
