"""The shared base of the adaptive pooling layers."""

from cornu import backend, ops
from cornu.layers.layer import Layer


def standardize_output_size(output_size, rank, layer_name):
    """``output_size`` (an int or ``rank`` ints) as a tuple of ``rank`` ints."""
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        return (output_size,) * rank
    if isinstance(output_size, (tuple, list)) and len(output_size) == rank:
        return tuple(output_size)
    axes = {1: "(length,)", 2: "(height, width)", 3: "(depth, height, width)"}[rank]
    raise TypeError(
        f"{layer_name}: `output_size` must be an integer or a {axes} tuple. Received: "
        f"{output_size!r} of type {type(output_size)}"
    )


class BaseAdaptivePooling(Layer):
    """Pools every spatial axis to a fixed size, whatever the input's size: the windows
    and strides follow from the input and ``output_size``.

    Args:
        output_size: the spatial output size, an int (every axis) or one int per spatial axis.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
    """

    _pool = None  # the op: ops.adaptive_average_pool or ops.adaptive_max_pool
    _rank = None  # the number of spatial axes, set by the 1D/2D/3D layers

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.output_size = standardize_output_size(output_size, self._rank, type(self).__name__)
        self.data_format = data_format or backend.image_data_format()
        if self.data_format not in ("channels_first", "channels_last"):
            raise ValueError(
                f"{type(self).__name__} '{self.name}': invalid data_format: "
                f"{self.data_format!r}. Expected 'channels_first' or 'channels_last'."
            )
        self.built = True

    def _check_rank(self, shape):
        if len(shape) != len(self.output_size) + 2:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': expected an input of rank "
                f"{len(self.output_size) + 2} (batch, {len(self.output_size)} spatial axes, "
                f"channels). Received input_shape={tuple(shape)}"
            )

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return type(self)._pool(inputs, output_size=self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


class BaseAdaptiveAveragePooling(BaseAdaptivePooling):
    """Adaptive pooling by the mean of each window."""

    _pool = ops.adaptive_average_pool


class BaseAdaptiveMaxPooling(BaseAdaptivePooling):
    """Adaptive pooling by the maximum of each window."""

    _pool = ops.adaptive_max_pool
