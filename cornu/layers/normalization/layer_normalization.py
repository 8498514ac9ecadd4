"""LayerNormalization: normalizes each sample over its feature axes."""

import warnings

from cornu import constraints, initializers, ops, regularizers
from cornu.layers.layer import Layer


def _check_axes(layer, input_shape):
    axes = layer.axis if isinstance(layer.axis, (list, tuple)) else [layer.axis]
    for axis in axes:
        if axis >= len(input_shape) or axis < -len(input_shape):
            raise ValueError(
                f"Axis {axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={layer.axis}"
            )


class LayerNormalization(Layer):
    """Normalizes each sample independently over ``axis``:
    ``gamma * (x - mean) / sqrt(var + epsilon) + beta``, the mean and (biased) variance being
    taken over ``axis`` within the sample.

    Args:
        axis: the axis or list of axes to normalize over (-1); ``gamma`` and ``beta`` have
            the sizes of these axes.
        epsilon: added to the variance before the square root.
        center: add the learned offset ``beta``.
        scale: multiply by the learned factor ``gamma``.
        rms_scaling: deprecated in Keras (use ``RMSNormalization``): ``x * gamma /
            sqrt(var + epsilon)`` without centering; kept for Keras's configs.
        beta_initializer, gamma_initializer: the weights' initializers (zeros, ones).
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: penalties
            and constraints on the weights.

    Input and output shapes are the same. Unlike Keras on torch, an ``axis`` that is not the
    trailing axes normalizes over the axes asked for (Keras on torch fails or normalizes the
    last axis instead).
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated: it scales the input by "
                "the variance, not the root mean square. Use `RMSNormalization` for RMS "
                "normalization.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', but "
                f"received: {axis!r}"
            )
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        _check_axes(self, input_shape)
        if isinstance(self.axis, list):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[a] for a in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        if None in shape:
            raise ValueError(
                f"LayerNormalization '{self.name}': the sizes of axis {self.axis} must be "
                f"known to build the layer. Received input_shape={tuple(input_shape)}"
            )
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )
        self.built = True

    def call(self, inputs):
        outputs = ops.layer_normalization(
            inputs,
            self.gamma,
            self.beta,
            self.axis,
            self.epsilon,
            rms_scaling=self.rms_scaling,
        )
        return ops.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        _check_axes(self, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "rms_scaling": self.rms_scaling,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
