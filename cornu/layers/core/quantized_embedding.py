"""Embedding's quantized forms: int8 (one scale per row) and int4 (two values per byte, one
scale per row or a scale and zero point per block of a row), with Keras's variables, names,
shapes, dtypes and file order. Embedding has no float8 form (as in Keras)."""

import math

from cornu import ops, quantizers
from cornu.layers.quantizable import QuantizableMixin, int4_block_size
from cornu.quantizers.int4 import dequantize_with_sz_map
from cornu.quantizers.quantization_config import QuantizationConfig


def _as_indices(inputs):
    return inputs if ops.dtype(inputs) in ("int32", "int64") else ops.cast(inputs, "int32")


class QuantizedEmbeddingMixin(QuantizableMixin):
    """The quantized forms of Embedding (see the module docstring)."""

    _spec_attributes = {"embeddings": "_embeddings"}

    @property
    def variable_serialization_spec(self):
        """The variable names per quantization mode, in the order of the weights file."""
        return {
            None: ["embeddings"],
            "int8": ["embeddings", "embeddings_scale"],
            "int4": ["embeddings", "embeddings_scale", "embeddings_zero", "g_idx"],
        }

    def _quantization_mode_error(self, mode):
        return NotImplementedError(
            "Invalid quantization mode. Expected one of ('int8', 'int4'). "
            f"Received: quantization_mode={mode}"
        )

    @property
    def embeddings(self):
        """The table: float, or int8 once quantized (int4 values unpacked)."""
        if not self.built:
            raise AttributeError("You must build the layer before accessing `embeddings`.")
        if self.quantization_mode == "int4":
            return quantizers.unpack_int4(self._embeddings, self._orig_output_dim, axis=-1)
        return self._embeddings

    @embeddings.setter
    def embeddings(self, value):
        self._embeddings = value

    def quantized_build(self, embeddings_shape, mode, config=None):
        """Creates the variables of ``mode`` (values set by ``quantize`` or loading)."""
        if mode == "int8":
            self._embeddings = self.add_weight(
                name="embeddings",
                shape=embeddings_shape,
                initializer="zeros",
                dtype="int8",
                trainable=False,
            )
            self.embeddings_scale = self.add_weight(
                name="embeddings_scale",
                shape=(self.input_dim,),
                initializer="ones",
                trainable=False,
            )
        elif mode == "int4":
            self._int4_build(embeddings_shape, config)
        else:
            raise self._quantization_mode_error(mode)
        self._is_quantized = True

    def _int4_build(self, embeddings_shape, config=None):
        input_dim, output_dim = embeddings_shape
        self._embeddings = self.add_weight(
            name="embeddings",
            shape=(input_dim, (output_dim + 1) // 2),
            initializer="zeros",
            dtype="int8",
            trainable=False,
        )
        block_size = int4_block_size(self, config)
        self._int4_block_size = block_size
        if block_size is None or block_size == -1:
            scale_shape = (self.input_dim,)
        else:
            scale_shape = (self.input_dim, math.ceil(output_dim / block_size))
        self.embeddings_scale = self.add_weight(
            name="embeddings_scale", shape=scale_shape, initializer="ones", trainable=False
        )
        if block_size is not None and block_size > 0:
            self.embeddings_zero = self.add_weight(
                name="embeddings_zero",
                shape=scale_shape,
                initializer="zeros",
                dtype="int8",
                trainable=False,
            )
            self.g_idx = self.add_weight(
                name="g_idx",
                shape=(output_dim,),
                initializer="zeros",
                dtype="float32",
                trainable=False,
            )
            self.g_idx.assign(ops.floor_divide(ops.arange(output_dim, dtype="float32"), block_size))
        self._orig_output_dim = output_dim

    def _quantize_weights(self, mode, config):
        self.quantization_config = config
        shape = (self.input_dim, self.output_dim)
        zero = None
        if mode == "int8":
            quantizer = QuantizationConfig.weight_quantizer_or_default(
                config, quantizers.AbsMaxQuantizer(axis=-1)
            )
            value, scale = quantizer(self._embeddings, to_numpy=True)
            scale = ops.squeeze(scale, axis=-1)
        elif mode == "int4":
            block_size = int4_block_size(self, config)
            if block_size is None or block_size == -1:
                quantizer = QuantizationConfig.weight_quantizer_or_default(
                    config, quantizers.AbsMaxQuantizer(axis=-1, value_range=(-8, 7))
                )
                value, scale = quantizer(self._embeddings, to_numpy=True)
                scale = ops.squeeze(scale, axis=-1)
            else:
                value_t, scale_t, zero_t = quantizers.abs_max_quantize_grouped_with_zero_point(
                    ops.transpose(self._embeddings),
                    block_size=block_size,
                    value_range=(-8, 7),
                    dtype="int8",
                    to_numpy=True,
                )
                value, scale, zero = (
                    ops.transpose(value_t),
                    ops.transpose(scale_t),
                    ops.transpose(zero_t),
                )
            value, _, _ = quantizers.pack_int4(value, axis=-1)
        else:
            raise self._quantization_mode_error(mode)
        self._untrack_variable(self._embeddings)
        self.quantized_build(shape, mode, config)
        self._embeddings.assign(value)
        self.embeddings_scale.assign(scale)
        if zero is not None:
            self.embeddings_zero.assign(zero)

    def _int8_call(self, inputs, training=None):
        inputs = _as_indices(inputs)
        scale = ops.take(self._read(self.embeddings_scale), inputs, axis=0)
        outputs = ops.cast(ops.take(self._embeddings, inputs, axis=0), self.compute_dtype)
        return ops.divide(outputs, ops.expand_dims(scale, axis=-1))

    def _int4_call(self, inputs, training=None):
        inputs = _as_indices(inputs)
        table = quantizers.unpack_int4(
            ops.convert_to_tensor(self._embeddings), self._orig_output_dim, axis=-1
        )
        outputs = ops.cast(ops.take(table, inputs, axis=0), self.compute_dtype)
        scale = ops.take(self._read(self.embeddings_scale), inputs, axis=0)
        block_size = getattr(self, "_int4_block_size", None)
        if block_size is None or block_size == -1:
            return ops.divide(outputs, ops.expand_dims(scale, axis=-1))
        zero = ops.take(self.embeddings_zero, inputs, axis=0)
        return dequantize_with_sz_map(outputs, scale, zero, self._read(self.g_idx), group_axis=-1)
