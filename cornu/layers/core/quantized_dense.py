"""Dense's quantized forms: int8 (int8 kernel and inputs, one scale per unit), int4 (two
values per byte, per unit or per block of inputs) and float8 (float8 quantize-dequantize with
delayed scaling), with Keras's variables, names, shapes, dtypes and file order."""

import math

from cornu import ops, quantizers
from cornu.core import config
from cornu.layers.quantizable import QuantizableMixin, int4_block_size
from cornu.quantizers.float8 import _FLOAT8
from cornu.quantizers.int4 import dequantize_with_sz_map
from cornu.quantizers.quantization_config import QuantizationConfig

E4M3_MAX = _FLOAT8["float8_e4m3fn"][0]
E5M2_MAX = _FLOAT8["float8_e5m2"][0]
DEFAULT_AMAX_HISTORY_LENGTH = 1024


def float8_variables(layer, amax_history_length):
    """The six float8 variables of Keras's float8 layers, in its order, on ``layer``.

    Keras makes them trainable and has the optimizer overwrite them with their "gradient"
    (the new scale and history); cornu keeps them non-trainable and assigns the new values
    itself during training, with the same result. The ``outputs_grad`` pair is only known in
    the backward pass, where a traced (JAX) step cannot assign: those two variables are marked
    ``overwrite_with_gradient`` and the JAX step replaces them with their gradient, as Keras's
    optimizer does."""
    for prefix in ("inputs", "kernel", "outputs_grad"):
        setattr(
            layer,
            f"{prefix}_scale",
            layer.add_weight(
                name=f"{prefix}_scale",
                shape=(),
                initializer="ones",
                dtype="float32",
                trainable=False,
            ),
        )
        setattr(
            layer,
            f"{prefix}_amax_history",
            layer.add_weight(
                name=f"{prefix}_amax_history",
                shape=(amax_history_length,),
                initializer="zeros",
                dtype="float32",
                trainable=False,
            ),
        )
    for variable in (layer.outputs_grad_scale, layer.outputs_grad_amax_history):
        variable.overwrite_with_gradient = True


def float8_qdq(layer, x, prefix, training, dtype="float8_e4m3fn"):
    """``x`` quantize-dequantized with the layer's ``<prefix>_scale`` (its gradient passed
    through unchanged, as Keras's custom gradient does); in training, the scale
    and amax history of ``prefix`` are updated as Keras's delayed scaling does (the scale from
    the history before this step, then ``max(|x|)`` pushed into the history)."""
    scale = getattr(layer, f"{prefix}_scale")
    history = getattr(layer, f"{prefix}_amax_history")
    scale_value = ops.convert_to_tensor(scale)
    x = ops.convert_to_tensor(x)
    compute_dtype = layer.compute_dtype

    @ops.custom_gradient
    def quantize_dequantize(v):
        def grad(*args, upstream=None):
            return args[0] if upstream is None else upstream

        return quantizers.quantize_and_dequantize(v, scale_value, dtype, compute_dtype), grad

    out = quantize_dequantize(x)
    if training:
        history_value = ops.convert_to_tensor(history)
        dtype_max = E4M3_MAX if dtype == "float8_e4m3fn" else E5M2_MAX
        new_scale = quantizers.compute_float8_scale(
            ops.max(history_value, axis=0), scale_value, ops.cast(dtype_max, "float32")
        )
        scale.assign(new_scale)
        history.assign(quantizers.compute_float8_amax_history(ops.stop_gradient(x), history_value))
    return out


def float8_output_grad(layer, outputs, training):
    """``outputs`` unchanged, whose gradient is quantize-dequantized to float8_e5m2 with the
    ``outputs_grad`` scale (updated in training, as Keras's)."""
    scale_value = ops.convert_to_tensor(layer.outputs_grad_scale)
    history_value = ops.convert_to_tensor(layer.outputs_grad_amax_history)
    if training and config.backend() == "jax":
        return _float8_output_grad_as_gradients(layer, outputs, scale_value, history_value)

    @ops.custom_gradient
    def identity_with_float8_grad(x):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            # The old scale quantizes this gradient; the new one is for the next step.
            quantized = quantizers.quantize_and_dequantize(
                upstream, scale_value, "float8_e5m2", layer.compute_dtype
            )
            if training:
                layer.outputs_grad_scale.assign(
                    quantizers.compute_float8_scale(
                        ops.max(history_value, axis=0), scale_value, ops.cast(E5M2_MAX, "float32")
                    )
                )
                layer.outputs_grad_amax_history.assign(
                    quantizers.compute_float8_amax_history(upstream, history_value)
                )
            return quantized

        return x, grad

    return identity_with_float8_grad(outputs)


def _float8_output_grad_as_gradients(layer, outputs, scale_value, history_value):
    """The traced (JAX) form of ``float8_output_grad`` in training: the new
    ``outputs_grad`` scale and history come out as the gradients of their current values,
    which the JAX train step writes into the variables (``overwrite_with_gradient``)."""

    @ops.custom_gradient
    def identity_with_float8_grad(x, scale, history):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            quantized = quantizers.quantize_and_dequantize(
                upstream, scale, "float8_e5m2", layer.compute_dtype
            )
            new_scale = quantizers.compute_float8_scale(
                ops.max(history, axis=0), scale, ops.cast(E5M2_MAX, "float32")
            )
            new_history = quantizers.compute_float8_amax_history(upstream, history)
            return quantized, new_scale, new_history

        return x, grad

    return identity_with_float8_grad(outputs, scale_value, history_value)


class QuantizedDenseMixin(QuantizableMixin):
    """The quantized forms of Dense (see the module docstring)."""

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
        """The kernel: the float kernel, or the int8 one (int4 values unpacked) once
        quantized."""
        if not self.built:
            raise AttributeError("You must build the layer before accessing `kernel`.")
        if self.quantization_mode == "int4":
            return quantizers.unpack_int4(self._kernel, self._orig_output_dim, axis=-1)
        return self._kernel

    @kernel.setter
    def kernel(self, value):
        self._kernel = value

    def quantized_build(self, kernel_shape, mode, config=None):
        """Creates the variables of ``mode`` (values set by ``quantize`` or loading)."""
        if mode == "int8":
            self._int8_build(kernel_shape, config)
        elif mode == "int4":
            self._int4_build(kernel_shape, config)
        elif mode == "float8":
            self._float8_build()
        else:
            raise self._quantization_mode_error(mode)
        self._is_quantized = True

    def _int8_build(self, kernel_shape, config=None):
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(
            config, quantizers.AbsMaxQuantizer()
        )
        self._kernel = self.add_weight(
            name="kernel", shape=kernel_shape, initializer="zeros", dtype="int8", trainable=False
        )
        self.kernel_scale = self.add_weight(
            name="kernel_scale", shape=(self.units,), initializer="ones", trainable=False
        )

    def _int4_build(self, kernel_shape, config=None):
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, None)
        input_dim, output_dim = kernel_shape
        self._kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, (output_dim + 1) // 2),
            initializer="zeros",
            dtype="int8",
            trainable=False,
        )
        block_size = int4_block_size(self, config)
        self._int4_block_size = block_size
        if block_size is None or block_size == -1:
            scale_shape = (self.units,)
        else:
            scale_shape = (math.ceil(input_dim / block_size), self.units)
        self.kernel_scale = self.add_weight(
            name="kernel_scale", shape=scale_shape, initializer="ones", trainable=False
        )
        if block_size is not None and block_size > 0:
            self.kernel_zero = self.add_weight(
                name="kernel_zero",
                shape=scale_shape,
                initializer="zeros",
                dtype="int8",
                trainable=False,
            )
            self.g_idx = self.add_weight(
                name="g_idx",
                shape=(input_dim,),
                initializer=lambda shape, dtype=None: ops.floor_divide(
                    ops.arange(input_dim, dtype="float32"), block_size
                ),
                dtype="float32",
                trainable=False,
            )
        self._orig_input_dim = input_dim
        self._orig_output_dim = output_dim

    def _float8_build(self):
        length = getattr(self.dtype_policy, "amax_history_length", DEFAULT_AMAX_HISTORY_LENGTH)
        float8_variables(self, length)

    def _quantize_weights(self, mode, config):
        self.quantization_config = config
        kernel_shape = tuple(self._kernel.shape)
        if mode == "int8":
            quantizer = QuantizationConfig.weight_quantizer_or_default(
                config, quantizers.AbsMaxQuantizer(axis=0)
            )
            kernel_value, kernel_scale = quantizer(self._kernel, to_numpy=True)
            self._untrack_variable(self._kernel)
            self.quantized_build(kernel_shape, mode, config)
            self._kernel.assign(kernel_value)
            self.kernel_scale.assign(ops.squeeze(kernel_scale, axis=0))
        elif mode == "int4":
            block_size = int4_block_size(self, config)
            kernel_zero = None
            if block_size is None or block_size == -1:
                quantizer = QuantizationConfig.weight_quantizer_or_default(
                    config, quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7))
                )
                kernel_value, kernel_scale = quantizer(self._kernel, to_numpy=True)
                kernel_scale = ops.squeeze(kernel_scale, axis=0)
            else:
                kernel_value, kernel_scale, kernel_zero = (
                    quantizers.abs_max_quantize_grouped_with_zero_point(
                        self._kernel, block_size=block_size, to_numpy=True
                    )
                )
            packed, _, _ = quantizers.pack_int4(kernel_value, axis=-1)
            self._untrack_variable(self._kernel)
            self.quantized_build(kernel_shape, mode, config)
            self._kernel.assign(packed)
            self.kernel_scale.assign(kernel_scale)
            if kernel_zero is not None:
                self.kernel_zero.assign(kernel_zero)
        elif mode == "float8":
            self.quantized_build(kernel_shape, mode)
        else:
            raise self._quantization_mode_error(mode)

    def _finish(self, x):
        if self.bias is not None:
            x = ops.add(x, self.bias)
        if self._activation_fn is not None:
            x = self._activation_fn(x)
        return x

    def _int8_call(self, inputs, training=None):
        compute_dtype = self.compute_dtype
        quantizer = self.inputs_quantizer

        @ops.custom_gradient
        def matmul_int8(x, kernel, kernel_scale):
            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                float_kernel = ops.divide(ops.cast(kernel, compute_dtype), kernel_scale)
                return ops.matmul(upstream, ops.transpose(float_kernel)), None, None

            output_scale = kernel_scale
            if quantizer:
                x, inputs_scale = quantizer(x, axis=-1)
                output_scale = ops.multiply(output_scale, inputs_scale)
            y = ops.cast(ops.matmul(x, kernel), compute_dtype)
            return ops.divide(y, output_scale), grad

        x = matmul_int8(inputs, ops.convert_to_tensor(self._kernel), self._read(self.kernel_scale))
        return self._finish(x)

    def _int4_call(self, inputs, training=None):
        compute_dtype = self.compute_dtype
        block_size = getattr(self, "_int4_block_size", None)
        kernel = quantizers.unpack_int4(
            ops.convert_to_tensor(self._kernel), self._orig_output_dim, axis=-1
        )
        if block_size is None or block_size == -1:
            quantizer = self.inputs_quantizer

            @ops.custom_gradient
            def matmul_int4(x, kernel_scale):
                def grad(*args, upstream=None):
                    if upstream is None:
                        (upstream,) = args
                    float_kernel = ops.divide(ops.cast(kernel, compute_dtype), kernel_scale)
                    return ops.matmul(upstream, ops.transpose(float_kernel)), None

                output_scale = kernel_scale
                if quantizer:
                    x, inputs_scale = quantizer(x, axis=-1)
                    output_scale = ops.multiply(output_scale, inputs_scale)
                y = ops.cast(ops.matmul(x, kernel), compute_dtype)
                return ops.divide(y, output_scale), grad

            x = matmul_int4(inputs, self._read(self.kernel_scale))
        else:
            float_kernel = dequantize_with_sz_map(
                kernel,
                self._read(self.kernel_scale),
                ops.convert_to_tensor(self.kernel_zero),
                self._read(self.g_idx),
                group_axis=0,
            )
            x = ops.matmul(inputs, ops.stop_gradient(ops.cast(float_kernel, compute_dtype)))
        return self._finish(x)

    def _float8_call(self, inputs, training=None):
        x = ops.matmul(
            float8_qdq(self, inputs, "inputs", training),
            float8_qdq(self, self._kernel, "kernel", training),
        )
        x = float8_output_grad(self, x, training)
        if self.bias is not None:
            bias = self.bias
            if self.compute_dtype == "float32":
                # Keras rounds a float32 bias through bfloat16 (for XLA's bias-add fusion).
                bias = ops.cast(ops.cast(bias, "bfloat16"), ops.dtype(bias))
            x = ops.add(x, bias)
        if self._activation_fn is not None:
            x = self._activation_fn(x)
        return x
