"""EinsumDense: a dense layer written as an Einstein summation of the input and a kernel."""

import re

from cornu import activations, initializers, ops, quantizers
from cornu.initializers.variance_scaling import VarianceScaling
from cornu.layers.core.quantized_einsum_dense import QuantizedEinsumDenseMixin
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer, _get_callable
from cornu.saving.serialization_lib import serialize_keras_object


class EinsumDense(QuantizedEinsumDenseMixin, Layer):
    """A layer computing ``activation(einsum(equation, inputs, kernel) + bias)``.

    The kernel's shape follows from the equation: each kernel letter takes its size from the
    input (a contracted axis) or from ``output_shape`` (an output axis).

    Args:
        equation: ``"ab,bc->ac"``-style equation of three parts: the input, the kernel and the
            output; ``...`` may stand for leading (or trailing) axes of input and output.
        output_shape: the output's shape without the batch axis (an int for one axis); None
            for an axis whose size is taken from the input.
        activation: an activation function or its name; None means linear.
        bias_axes: the output letters that the bias spans (e.g. ``"c"``), or None for no bias.
        kernel_initializer, bias_initializer: the weights' initializers.
        kernel_regularizer, bias_regularizer: callables giving a penalty on the weight.
        kernel_constraint, bias_constraint: callables applied to the weight after updates.
        quantization_config: the `cornu.quantizers.QuantizationConfig` of a quantized layer
            (set by ``quantize("int8" | "int4" | "float8")``; read back from a saved quantized
            layer).

    Example: ``EinsumDense("abc,cde->abde", output_shape=(None, 4, 8))`` maps
    ``(batch, T, 16)`` to ``(batch, T, 4, 8)`` with a kernel of shape ``(16, 4, 8)``.
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        self.equation = equation
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = _get_callable(kernel_regularizer, "regularizer", self.name)
        self.bias_regularizer = _get_callable(bias_regularizer, "regularizer", self.name)
        self.kernel_constraint = _get_callable(kernel_constraint, "constraint", self.name)
        self.bias_constraint = _get_callable(bias_constraint, "constraint", self.name)
        self._analyze(None)  # a malformed equation fails here, not at the first call

    def _analyze(self, input_shape):
        try:
            return analyze_einsum_string(
                self.equation, self.bias_axes, input_shape, self.partial_output_shape
            )
        except ValueError as error:
            raise ValueError(f"EinsumDense '{self.name}': {error}") from None

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = self._analyze(tuple(input_shape))
        initializer = self.kernel_initializer
        if isinstance(initializer, VarianceScaling) and (
            initializer.input_axes is None or initializer.output_axes is None
        ):
            # The fans of a kernel of any rank: the contracted axes in, the output axes out.
            config = dict(initializer.get_config(), input_axes=input_axes)
            config.update(output_axes=output_axes, seed=initializer.seed)
            initializer = type(initializer).from_config(config)
        self.input_spec = InputSpec(ndim=len(input_shape))
        if self.quantization_mode is not None:
            self.quantized_build(kernel_shape, self.quantization_mode, self.quantization_config)
        if self.quantization_mode not in ("int8", "int4"):
            self._kernel = self.add_weight(
                name="kernel",
                shape=kernel_shape,
                initializer=initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
            )
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.built = True

    def _quantizable_class(self):
        return EinsumDense

    def call(self, inputs, training=None):
        if self.quantization_mode is not None:
            return self.quantized_call(inputs, training=training)
        x = ops.einsum(self.equation, inputs, self._kernel)
        if self.bias is not None:
            x = x + self.bias
        if self.activation is not activations.linear:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(self._analyze(tuple(input_shape))[2])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
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


_FORMS = (  # (pattern, ellipsis on the left, ellipsis anywhere)
    (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", False, False),
    (r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)", True, True),
    (r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.", False, True),
)


def analyze_einsum_string(equation, bias_axes, input_shape, output_shape):
    """The shapes an EinsumDense needs, from its equation and the input's shape.

    Returns ``(kernel_shape, bias_shape, full_output_shape, input_axes, output_axes)``:
    ``input_axes`` / ``output_axes`` are the kernel axes that are contracted with the input /
    that appear in the output. With ``input_shape=None`` only the equation is checked.
    """
    forms = [(re.fullmatch(p, equation.replace(" ", "")), left, any_) for p, left, any_ in _FORMS]
    forms = [form for form in forms if form[0]]
    if not forms:
        raise ValueError(
            f"Invalid einsum equation '{equation}'. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
        )
    match, left_elided, ellipsis = forms[0]
    input_spec, kernel_spec, output_spec = match.groups()
    for letter in output_spec:
        if letter not in input_spec and letter not in kernel_spec:
            raise ValueError(
                f"Dimension '{letter}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{kernel_spec}'"
            )
    for letter in kernel_spec:
        if letter not in input_spec and letter not in output_spec:
            raise ValueError(
                f"Weight dimension '{letter}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the "
                "weight must be fully specified."
            )
    for letter in bias_axes or "":
        if letter not in output_spec:
            raise ValueError(
                f"Bias dimension '{letter}' was requested, but is not part of the output "
                f"spec '{output_spec}'"
            )
    if input_shape is None:
        return None

    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided and not ellipsis):
        raise ValueError(
            f"The equation '{equation}' expects inputs of rank {len(input_spec)}"
            f"{' or more' if ellipsis else ''}. Received input_shape={tuple(input_shape)}"
        )
    # The full output shape: the batch size, then the declared sizes, with the elided axes
    # put back before (``...abc``) or after (``abc...``) them.
    output = [input_shape[0]] + list(output_shape)
    if elided > 0 and left_elided:
        output[1:1] = list(input_shape[1:elided])
    elif elided > 0:
        output += list(input_shape[len(input_shape) - elided :])
    offset = elided if left_elided else 0
    input_axis = {letter: i + offset for i, letter in enumerate(input_spec)}
    output_axis = {letter: i + offset for i, letter in enumerate(output_spec)}
    if len(output) != len(output_spec) + elided:
        raise ValueError(
            f"`output_shape` {tuple(output_shape)} does not fit the equation '{equation}' "
            f"for inputs of shape {tuple(input_shape)}."
        )
    for letter, axis in input_axis.items():
        if letter in output_axis:
            declared = output[output_axis[letter]]
            if declared is None:
                output[output_axis[letter]] = input_shape[axis]
            elif declared != input_shape[axis]:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension "
                    f"'{letter}'. Input shape is {input_shape[axis]}, and output shape is "
                    f"{declared}."
                )
    kernel_shape, input_axes, output_axes = [], [], []
    for i, letter in enumerate(kernel_spec):
        if letter in output_axis:
            kernel_shape.append(output[output_axis[letter]])
            output_axes.append(i)
        else:
            kernel_shape.append(input_shape[input_axis[letter]])
            input_axes.append(i)
    bias_shape = None
    if bias_axes is not None:
        # The bias spans the output from its first bias letter on (1 where not a bias axis).
        first = min(output_spec.index(letter) for letter in bias_axes)
        bias_shape = [
            output[output_axis[letter]] if letter in bias_axes else 1
            for letter in output_spec[first:]
        ]
        if not left_elided:
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, output, input_axes, output_axes
