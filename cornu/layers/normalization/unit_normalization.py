"""UnitNormalization: scales each sample to unit L2 norm over some axes."""

from cornu import ops
from cornu.layers.layer import Layer
from cornu.layers.normalization.layer_normalization import _check_axes


class UnitNormalization(Layer):
    """Divides each sample by its L2 norm over ``axis``, so that the sum of squares over
    ``axis`` is 1: ``x * min(1 / sqrt(sum(x ** 2)), 1e12)``.

    Args:
        axis: the axis or list of axes the norm is taken over (-1).

    Input and output shapes are the same.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                f"Received: axis={axis}"
            )
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return ops.normalize(inputs, axis=self.axis, order=2, epsilon=1e-12)

    def compute_output_shape(self, input_shape):
        _check_axes(self, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
