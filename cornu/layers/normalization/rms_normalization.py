"""RMSNormalization: scales each sample by the inverse root mean square of its features."""

from cornu import ops
from cornu.layers.layer import Layer
from cornu.layers.normalization.layer_normalization import _check_axes


class RMSNormalization(Layer):
    """Root mean square normalization: ``x * scale / sqrt(mean(x ** 2) + epsilon)``, the mean
    being taken over ``axis`` within each sample.

    Args:
        axis: the axis or list of axes to normalize over (-1); the learned ``scale`` has the
            sizes of these axes.
        epsilon: added to the mean square before the square root (1e-6).

    Input and output shapes are the same.
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        _check_axes(self, input_shape)
        if isinstance(self.axis, (list, tuple)):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[a] for a in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        self.scale = self.add_weight(shape=shape, initializer="ones", name="scale")
        self.built = True

    def call(self, x):
        return ops.rms_normalization(x, scale=self.scale, axis=self.axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        _check_axes(self, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
