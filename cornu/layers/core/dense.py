"""Dense: the densely-connected layer."""

from cornu import activations, initializers, ops, quantizers
from cornu.layers.core.quantized_dense import QuantizedDenseMixin
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer, _get_callable
from cornu.saving.serialization_lib import serialize_keras_object


class Dense(QuantizedDenseMixin, Layer):
    """Just your regular densely-connected layer: ``activation(inputs @ kernel + bias)``.

    Args:
        units: the size of the output's last axis.
        activation: an activation function or its name; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: the kernel's initializer (``"glorot_uniform"``).
        bias_initializer: the bias's initializer (``"zeros"``).
        kernel_regularizer, bias_regularizer: callables giving a penalty on the weight.
        activity_regularizer: a callable giving a penalty on the output.
        kernel_constraint, bias_constraint: callables applied to the weight after updates.
        quantization_config: the `cornu.quantizers.QuantizationConfig` of a quantized layer
            (set by ``quantize``; read back from a saved quantized layer's config).

    ``layer.quantize("int8" | "int4" | "float8")`` quantizes a built layer in place.

    Input shape: ``(batch_size, ..., input_dim)``.
    Output shape: ``(batch_size, ..., units)``. The kernel has shape ``(input_dim, units)``.
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Dense '{self.name}': `units` must be a positive int. Received: units={units!r}"
            )
        self.units = units
        self.activation = activations.get(activation)
        self._activation_fn = None if self.activation is activations.linear else self.activation
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = _get_callable(kernel_regularizer, "regularizer", self.name)
        self.bias_regularizer = _get_callable(bias_regularizer, "regularizer", self.name)
        self.kernel_constraint = _get_callable(kernel_constraint, "constraint", self.name)
        self.bias_constraint = _get_callable(bias_constraint, "constraint", self.name)
        self.quantization_config = quantization_config
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def _quantizable_class(self):
        return Dense

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Dense '{self.name}': the last axis of the input must be known to build the "
                f"layer. Received input_shape={tuple(input_shape)}"
            )
        if self.quantization_mode:
            self.quantized_build(
                (input_dim, self.units), self.quantization_mode, self.quantization_config
            )
        if self.quantization_mode not in ("int8", "int4"):
            self._kernel = self.add_weight(
                shape=(input_dim, self.units),
                initializer=self.kernel_initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
                name="kernel",
            )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs, training=None):
        if self.quantization_mode is not None:
            return self.quantized_call(inputs, training=training)
        x = ops.dense(inputs, self._kernel, self.bias)
        if self._activation_fn is not None:
            x = self._activation_fn(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
                "bias_regularizer": serialize_keras_object(self.bias_regularizer),
                "activity_regularizer": serialize_keras_object(self.activity_regularizer),
                "kernel_constraint": serialize_keras_object(self.kernel_constraint),
                "bias_constraint": serialize_keras_object(self.bias_constraint),
                "quantization_config": serialize_keras_object(self.quantization_config),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["quantization_config"] = quantizers.deserialize(config.get("quantization_config"))
        return super().from_config(config)
