"""GroupNormalization: normalizes groups of channels within each sample."""

from cornu import constraints, initializers, ops, regularizers
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer
from cornu.layers.normalization.layer_normalization import _check_axes


class GroupNormalization(Layer):
    """Splits the channels into ``groups`` groups of consecutive channels and normalizes each
    group of each sample (over the group's channels and every other non-batch axis):
    ``gamma * (x - mean) / sqrt(var + epsilon) + beta``.

    ``groups=1`` is layer normalization over all features; ``groups=-1`` (one group per
    channel) is instance normalization.

    Args:
        groups: the number of groups (32); must divide the number of channels.
        axis: the channel axis (-1).
        epsilon: added to the variance before the square root.
        center, scale: learn the per-channel offset ``beta`` / factor ``gamma``.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
            beta_constraint, gamma_constraint: as for ``BatchNormalization``.

    Input and output shapes are the same; ``gamma`` and ``beta`` have shape ``(channels,)``.
    """

    def __init__(
        self,
        groups=32,
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
        if not isinstance(groups, int) or isinstance(groups, bool) or groups == 0 or groups < -1:
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer "
                f"(or `-1` for instance normalization). Received: groups={groups}"
            )
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
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
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the "
                f"layer received an input with shape {tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups:
            raise ValueError(
                f"Layer '{self.name}': number of groups ({self.groups}) cannot be more than "
                f"the number of channels ({channels})."
            )
        if channels % self.groups:
            raise ValueError(
                f"Layer '{self.name}': number of groups ({self.groups}) must divide the "
                f"number of channels ({channels})."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                shape=(channels,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
        if self.center:
            self.beta = self.add_weight(
                shape=(channels,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )
        self.built = True

    def call(self, inputs):
        shape = tuple(inputs.shape)
        rank = len(shape)
        axis = self.axis % rank
        channels = shape[axis]
        # (batch, ..., channels, ...) -> (batch, ..., groups, channels // groups, ...)
        grouped_shape = shape[:axis] + (self.groups, channels // self.groups) + shape[axis + 1 :]
        x = ops.reshape(inputs, grouped_shape)
        original = ops.dtype(x)
        if original in ("float16", "bfloat16"):
            x = ops.cast(x, "float32")
        reduce = [a for a in range(1, rank + 1) if a != axis]
        mean, variance = ops.moments(x, reduce, keepdims=True)
        factor = ops.rsqrt(variance + self.epsilon)
        weight_shape = [1] * (rank + 1)
        weight_shape[axis], weight_shape[axis + 1] = self.groups, channels // self.groups
        if self.gamma is not None:
            factor = factor * ops.cast(ops.reshape(self.gamma, weight_shape), ops.dtype(x))
        shift = -mean * factor
        if self.beta is not None:
            shift = shift + ops.cast(ops.reshape(self.beta, weight_shape), ops.dtype(x))
        outputs = ops.reshape(x * factor + shift, shape)
        return ops.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        _check_axes(self, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
