"""EinsumDense's quantized forms: int8 (int8 kernel with a scale per output axis, int8 inputs
with a scale per row), int4 (the kernel flattened to ``(reduced, other)`` axes and packed two
values per byte, per column or per block of rows) and float8, with Keras's variables, names,
shapes, dtypes and file order. The scale layouts follow from the equation
(``analyze_quantization_info``)."""

import math
import re
import string

import numpy as np

from cornu import ops, quantizers
from cornu.layers.core.quantized_dense import (
    DEFAULT_AMAX_HISTORY_LENGTH,
    float8_output_grad,
    float8_qdq,
    float8_variables,
)
from cornu.layers.quantizable import QuantizableMixin, int4_block_size
from cornu.quantizers.int4 import dequantize_with_sz_map
from cornu.quantizers.quantization_config import QuantizationConfig


def _full_specs(equation, rank):
    """The input, kernel and output letters of ``equation`` with any ``...`` replaced by
    letters for the elided axes of an input of ``rank``."""
    plain = re.sub(r"\.\.\.", "0", equation)
    forms = (
        ("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
        ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", "left"),
        ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", "right"),
    )
    for pattern, side in forms:
        match = re.match(pattern, plain)
        if match is None:
            continue
        inputs, kernel, outputs = match.groups()
        if side is not None:
            free = sorted(set(string.ascii_letters) - set(inputs + kernel + outputs))
            extra = "".join(free[: rank - len(inputs)])
            if side == "left":
                inputs, outputs = extra + inputs, extra + outputs
            else:
                inputs, outputs = inputs + extra, outputs + extra
        return inputs, kernel, outputs
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], "
        "...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def analyze_quantization_info(equation, rank):
    """How scales line up with an einsum's output, as Keras derives it.

    Returns a dict: ``input_reduced_axes`` / ``kernel_reduced_axes`` (the contracted axes,
    which the quantizers reduce), and for the input and the kernel the ``transpose``,
    ``expand`` and ``squeeze`` axes that turn a scale (reduced axes kept as size 1) into one
    that broadcasts against the output; ``gradient_equation`` gives the input gradient.
    """
    input_spec, kernel_spec, output_spec = _full_specs(equation, rank)
    info = {}
    index = None  # Keras reuses the last index when there is no axis to expand (kept as is)
    for name, spec in (("input", input_spec), ("kernel", kernel_spec)):
        reduced = []
        for i, label in enumerate(spec):
            index = output_spec.find(label)
            if index == -1:
                reduced.append(i)
        info[f"{name}_reduced_axes"] = reduced
    for name, spec in (("input", input_spec), ("kernel", kernel_spec)):
        info[f"{name}_expand_axes"] = [i for i, c in enumerate(output_spec) if c not in spec]
        info[f"{name}_transpose_axes"] = [spec.find(c) for c in output_spec if c in spec]
    for name in ("input", "kernel"):
        expand = info[f"{name}_expand_axes"]
        transpose = info[f"{name}_transpose_axes"]
        squeeze = []
        for axis in info[f"{name}_reduced_axes"]:
            if expand:
                index = expand.pop(0)
            else:
                squeeze.append(axis)
            transpose.insert(index, axis)
        info[f"{name}_squeeze_axes"] = squeeze
    info["gradient_equation"] = f"{output_spec},{kernel_spec}->{input_spec}"
    return info


class QuantizedEinsumDenseMixin(QuantizableMixin):
    """The quantized forms of EinsumDense (see the module docstring)."""

    _spec_attributes = {"kernel": "_kernel"}

    @property
    def variable_serialization_spec(self):
        """The variable names per quantization mode, in the order of the weights file."""
        return {
            None: ["kernel", "bias"],
            "int8": ["kernel", "bias", "kernel_scale"],
            "int4": ["kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"],
            "float8": [
                "kernel",
                "bias",
                "inputs_scale",
                "inputs_amax_history",
                "kernel_scale",
                "kernel_amax_history",
                "outputs_grad_scale",
                "outputs_grad_amax_history",
            ],
        }

    @property
    def kernel(self):
        """The kernel: float, or int8 once quantized (int4 values unpacked)."""
        if not self.built:
            raise AttributeError("You must build the layer before accessing `kernel`.")
        if self.quantization_mode == "int4":
            kernel = quantizers.unpack_int4(self._kernel, self._int4_columns, axis=-1)
            return ops.reshape(kernel, self.original_kernel_shape)
        return self._kernel

    @kernel.setter
    def kernel(self, value):
        self._kernel = value

    def _quantization_info(self):
        info = getattr(self, "_quant_info", None)
        if info is None:
            info = analyze_quantization_info(self.equation, self.input_spec.ndim)
            self._quant_info = info
        return info

    def _scale_for_output(self, scale, which):
        """A scale (reduced axes of size 1) arranged to broadcast against the output."""
        info = self._quantization_info()
        if info[f"{which}_transpose_axes"]:
            scale = ops.transpose(scale, info[f"{which}_transpose_axes"])
        if info[f"{which}_expand_axes"]:
            scale = ops.expand_dims(scale, axis=info[f"{which}_expand_axes"])
        if info[f"{which}_squeeze_axes"]:
            scale = ops.squeeze(scale, axis=info[f"{which}_squeeze_axes"])
        return scale

    def _kernel_scale_for_kernel(self, scale):
        """The stored kernel scale arranged back to broadcast against the kernel."""
        info = self._quantization_info()
        if info["kernel_squeeze_axes"]:
            scale = ops.expand_dims(scale, axis=info["kernel_squeeze_axes"])
        if info["kernel_expand_axes"]:
            scale = ops.squeeze(scale, axis=info["kernel_expand_axes"])
        transpose = info["kernel_transpose_axes"]
        if transpose:
            scale = ops.transpose(scale, sorted(range(len(transpose)), key=transpose.__getitem__))
        return scale

    def _kernel_scale_shape(self, kernel_shape):
        info = self._quantization_info()
        shape = np.array(kernel_shape)
        shape[info["kernel_reduced_axes"]] = 1
        shape = shape[info["kernel_transpose_axes"]].tolist()
        for axis in sorted(info["kernel_expand_axes"]):
            shape.insert(axis, 1)
        for axis in sorted(info["kernel_squeeze_axes"], reverse=True):
            shape.pop(axis)
        return tuple(int(d) for d in shape)

    def quantized_build(self, kernel_shape, mode, config=None):
        """Creates the variables of ``mode`` (values set by ``quantize`` or loading)."""
        if mode == "int8":
            self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(
                config, quantizers.AbsMaxQuantizer()
            )
            self.quantization_axis = tuple(self._quantization_info()["input_reduced_axes"])
            self._kernel = self.add_weight(
                name="kernel",
                shape=tuple(kernel_shape),
                initializer="zeros",
                dtype="int8",
                trainable=False,
            )
            self.kernel_scale = self.add_weight(
                name="kernel_scale",
                shape=self._kernel_scale_shape(kernel_shape),
                initializer="ones",
                trainable=False,
            )
        elif mode == "int4":
            self._int4_build(kernel_shape, config)
        elif mode == "float8":
            length = getattr(self._own_policy(), "amax_history_length", DEFAULT_AMAX_HISTORY_LENGTH)
            float8_variables(self, length)
        else:
            raise self._quantization_mode_error(mode)
        self._is_quantized = True

    def _int4_rows_columns(self, kernel_shape):
        reduced = self._quantization_info()["kernel_reduced_axes"]
        rows = math.prod(d for i, d in enumerate(kernel_shape) if i in reduced)
        columns = math.prod(d for i, d in enumerate(kernel_shape) if i not in reduced)
        return rows, columns

    def _int4_build(self, kernel_shape, config=None):
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, None)
        self.quantization_axis = tuple(self._quantization_info()["input_reduced_axes"])
        self.original_kernel_shape = tuple(kernel_shape)
        rows, columns = self._int4_rows_columns(kernel_shape)
        block_size = int4_block_size(self, config)
        grouped = block_size is not None and block_size != -1
        self._int4_block_size = block_size if grouped else None
        self._int4_columns = columns
        self._kernel = self.add_weight(
            name="kernel",
            shape=(rows, (columns + 1) // 2),
            initializer="zeros",
            dtype="int8",
            trainable=False,
        )
        scale_shape = (math.ceil(rows / block_size), columns) if grouped else (columns,)
        self.kernel_scale = self.add_weight(
            name="kernel_scale", shape=scale_shape, initializer="ones", trainable=False
        )
        if grouped:
            self.kernel_zero = self.add_weight(
                name="kernel_zero",
                shape=scale_shape,
                initializer="zeros",
                dtype="int8",
                trainable=False,
            )
            self.g_idx = self.add_weight(
                name="g_idx", shape=(rows,), initializer="zeros", dtype="float32", trainable=False
            )
            self.g_idx.assign(ops.floor_divide(ops.arange(rows, dtype="float32"), block_size))

    def _quantize_int4(self, kernel_shape, config):
        """The packed int4 kernel, its scale and zero point (None per column). As Keras, the
        kernel is reshaped (not transposed) to ``(rows, columns)``, and a config's weight
        quantizer is not used."""
        block_size = int4_block_size(self, config)
        flat = ops.reshape(self._kernel, self._int4_rows_columns(kernel_shape))
        zero = None
        if block_size is None or block_size == -1:
            value, scale = quantizers.abs_max_quantize(
                flat, axis=0, value_range=(-8, 7), dtype="int8", to_numpy=True
            )
            scale = ops.squeeze(scale, axis=0)
        else:
            value, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(
                flat, block_size=block_size, to_numpy=True
            )
        packed, _, _ = quantizers.pack_int4(value, axis=-1)
        return packed, scale, zero

    def _quantize_weights(self, mode, config):
        self.quantization_config = config
        kernel_shape = tuple(self._kernel.shape)
        if mode == "int8":
            axes = self._quantization_info()["kernel_reduced_axes"]
            quantizer = QuantizationConfig.weight_quantizer_or_default(
                config, quantizers.AbsMaxQuantizer(axis=axes)
            )
            value, scale = quantizer(self._kernel, to_numpy=True)
            scale = self._scale_for_output(scale, "kernel")
            self._untrack_variable(self._kernel)
            self.quantized_build(kernel_shape, mode, config)
            self._kernel.assign(value)
            self.kernel_scale.assign(scale)
        elif mode == "int4":
            packed, scale, zero = self._quantize_int4(kernel_shape, config)
            self._untrack_variable(self._kernel)
            self.quantized_build(kernel_shape, mode, config)
            self._kernel.assign(packed)
            self.kernel_scale.assign(scale)
            if zero is not None:
                self.kernel_zero.assign(zero)
        elif mode == "float8":
            self.quantized_build(kernel_shape, mode)
        else:
            raise self._quantization_mode_error(mode)

    def _finish(self, x):
        if self.bias is not None:
            x = ops.add(x, self.bias)
        if self.activation is not None:
            x = self.activation(x)
        return x

    def _int8_call(self, inputs, training=None):
        compute_dtype = self.compute_dtype
        quantizer = self.inputs_quantizer
        equation = self.equation
        gradient_equation = self._quantization_info()["gradient_equation"]

        def float_kernel(kernel, kernel_scale):
            scale = self._kernel_scale_for_kernel(kernel_scale)
            return ops.divide(ops.cast(kernel, compute_dtype), scale)

        @ops.custom_gradient
        def einsum_int8(x, kernel, kernel_scale):
            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                dx = ops.einsum(gradient_equation, upstream, float_kernel(kernel, kernel_scale))
                return dx, None, None

            if quantizer:
                x, inputs_scale = quantizer(x, axis=self.quantization_axis)
                inputs_scale = self._scale_for_output(inputs_scale, "input")
                y = ops.cast(ops.einsum(equation, x, kernel), compute_dtype)
                return ops.divide(y, ops.multiply(inputs_scale, kernel_scale)), grad
            # Weight-only: the float kernel (Keras's torch path; einsum of a float input by an
            # int8 kernel is not defined there).
            return ops.einsum(equation, x, float_kernel(kernel, kernel_scale)), grad

        x = einsum_int8(inputs, ops.convert_to_tensor(self._kernel), self._read(self.kernel_scale))
        return self._finish(x)

    def _int4_call(self, inputs, training=None):
        compute_dtype = self.compute_dtype
        unpacked = quantizers.unpack_int4(
            ops.convert_to_tensor(self._kernel), self._int4_columns, axis=-1
        )
        scale = self._read(self.kernel_scale)
        if self._int4_block_size is None:
            float_kernel = ops.divide(ops.cast(unpacked, compute_dtype), scale)
        else:
            float_kernel = dequantize_with_sz_map(
                unpacked,
                scale,
                ops.convert_to_tensor(self.kernel_zero),
                self._read(self.g_idx),
                group_axis=0,
            )
            float_kernel = ops.cast(float_kernel, compute_dtype)
        float_kernel = ops.reshape(float_kernel, self.original_kernel_shape)
        if self._int4_block_size is None and self.inputs_quantizer:
            x, inputs_scale = self.inputs_quantizer(inputs, axis=self.quantization_axis)
            inputs_scale = self._scale_for_output(inputs_scale, "input")
            x = ops.einsum(self.equation, ops.cast(x, compute_dtype), float_kernel)
            x = ops.divide(x, inputs_scale)
        else:
            x = ops.einsum(self.equation, inputs, float_kernel)
        return self._finish(x)

    def _float8_call(self, inputs, training=None):
        x = ops.einsum(
            self.equation,
            float8_qdq(self, inputs, "inputs", training),
            float8_qdq(self, self._kernel, "kernel", training),
        )
        x = float8_output_grad(self, x, training)
        if self.bias is not None:
            bias = self.bias
            if self.compute_dtype == "float32":
                bias = ops.cast(ops.cast(bias, "bfloat16"), ops.dtype(bias))
            x = ops.add(x, bias)
        if self.activation is not None:
            x = self.activation(x)
        return x
