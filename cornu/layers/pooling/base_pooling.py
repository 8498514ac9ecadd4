"""The shared base of the max and average pooling layers."""

from cornu import core, ops
from cornu.layers.convolutional import conv_utils
from cornu.layers.layer import Layer


class BasePooling(Layer):
    """Max or average pooling over windows of ``pool_size`` moved by ``strides``.

    Args:
        pool_size: the window's size, an int or one int per spatial axis.
        strides: the window's step, an int or one per axis; ``pool_size`` when None.
        pool_dimensions: the number of spatial axes (1, 2 or 3).
        pool_mode: ``"max"`` or ``"average"``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (TensorFlow's rule:
            ``ceil(size / stride)`` outputs, the odd padded cell at the end; padded cells never
            win a max and are not counted in a mean).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
    """

    def __init__(
        self,
        pool_size,
        strides,
        pool_dimensions,
        pool_mode="max",
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.pool_size = conv_utils.standardize_tuple(pool_size, pool_dimensions, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = conv_utils.standardize_tuple(strides, pool_dimensions, "strides")
        if pool_mode not in ("max", "average"):
            raise ValueError(f"`pool_mode` must be 'max' or 'average'. Received: {pool_mode!r}")
        self.pool_mode = pool_mode
        self.padding = conv_utils.standardize_padding(padding)
        self.data_format = core.standardize_data_format(data_format)
        self.rank = pool_dimensions
        self._pool = ops.max_pool if pool_mode == "max" else ops.average_pool
        self._seen_shapes = set()
        self.built = True

    def _check_shape(self, shape):
        windows = None
        if self.padding == "valid":
            windows = [(size, 1) for size in self.pool_size]
        conv_utils.check_input_shape(self, shape, self.rank, self.data_format, None, windows)

    def call(self, inputs):
        conv_utils.check_once_per_shape(self._seen_shapes, inputs.shape, self._check_shape)
        return self._pool(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        self._check_shape(input_shape)
        axes = conv_utils.spatial_axes(self.rank, self.data_format)
        output_shape = list(input_shape)
        for axis, window, stride in zip(axes, self.pool_size, self.strides):
            output_shape[axis] = conv_utils.conv_output_length(
                input_shape[axis], window, self.padding, stride
            )
        return tuple(output_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "pool_size": self.pool_size,
                "padding": self.padding,
                "strides": self.strides,
                "data_format": self.data_format,
            }
        )
        return config
