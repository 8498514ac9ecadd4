"""PReLU: the leaky rectified linear unit whose slope is learned."""

from cornu import initializers, ops
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer, _get_callable
from cornu.saving.serialization_lib import serialize_keras_object


class PReLU(Layer):
    """Parametric rectified linear unit: ``x`` for ``x >= 0``, ``alpha * x`` otherwise, where
    ``alpha`` is a weight with the shape of one sample.

    Args:
        alpha_initializer: the initializer of ``alpha`` (``"Zeros"``).
        alpha_regularizer: a penalty on ``alpha``.
        alpha_constraint: a constraint applied to ``alpha`` after updates.
        shared_axes: the axes (counted with the batch axis as 0) along which ``alpha`` is
            shared, e.g. ``[1, 2]`` for one slope per channel of ``(batch, h, w, channels)``.

    Input and output shapes are the same. ``alpha`` has shape ``input_shape[1:]`` with the
    shared axes set to 1.
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = _get_callable(alpha_regularizer, "regularizer", self.name)
        self.alpha_constraint = _get_callable(alpha_constraint, "constraint", self.name)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f"PReLU '{self.name}': each of `shared_axes` must be an axis of the input "
                    f"other than the batch axis (1 to {len(input_shape) - 1}). Received: "
                    f"shared_axes={self.shared_axes} for input_shape={tuple(input_shape)}"
                )
            param_shape[axis - 1] = 1
        for axis, size in enumerate(param_shape, start=1):
            if size is None:
                raise ValueError(
                    f"PReLU '{self.name}': axis {axis} of the input must be known or shared "
                    f"(`shared_axes`). Received input_shape={tuple(input_shape)}"
                )
        self.alpha = self.add_weight(
            shape=param_shape,
            name="alpha",
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {}
        if self.shared_axes:
            for i in range(1, len(input_shape)):
                if i not in self.shared_axes:
                    axes[i] = input_shape[i]
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        return ops.relu(inputs) - self.alpha * ops.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": serialize_keras_object(self.alpha_regularizer),
                "alpha_constraint": serialize_keras_object(self.alpha_constraint),
                "shared_axes": self.shared_axes,
            }
        )
        return config
