"""Float8 helpers: the delayed-scaling formulas of float8 training and the float8
quantize-dequantize round trip. The float8 rounding is computed in the compute dtype (exactly,
round half to even, as a cast to float8 rounds), so it runs on backends without float8 types."""

from cornu import ops

# (largest finite value, mantissa bits, smallest normal exponent) of each float8 format.
_FLOAT8 = {
    "float8_e4m3fn": (448.0, 3, -6),
    "float8_e5m2": (57344.0, 2, -14),
}


def _float8_info(dtype):
    info = _FLOAT8.get(str(dtype))
    if info is None:
        raise ValueError(
            f"Expected `quantized_dtype` to be one of {sorted(_FLOAT8)}. Received: {dtype!r}"
        )
    return info


def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The next scale of delayed-scaling float8 training (NVIDIA Transformer Engine's rule).

    With ``sf = dtype_max / amax / 2**margin``, the new scale is ``1 / sf``; where ``amax`` is
    zero or not finite, the old ``scale`` is kept.

    Args:
        amax: the largest absolute value seen (over the history).
        scale: the current scale.
        dtype_max: the largest value of the float8 format.
        margin: a power-of-two headroom.
    """
    scale = ops.reciprocal(scale)
    sf = ops.divide(ops.divide(dtype_max, amax), 2**margin)
    sf = ops.where(amax > 0.0, sf, scale)
    sf = ops.where(ops.isfinite(amax), sf, scale)
    return ops.reciprocal(sf)


def compute_float8_amax_history(x, amax_history):
    """The amax history rolled by one with ``max(|x|)`` written at its front."""
    amax_update = ops.cast(ops.max(ops.abs(x)), ops.dtype(amax_history))
    return ops.scatter_update(
        ops.roll(amax_history, shift=-1), [[0]], ops.reshape(amax_update, [1])
    )


def _round_to_float8(x, mantissa_bits, min_exponent):
    """``x`` (within the format's range) rounded to the nearest float8 value, ties to even."""
    magnitude = ops.abs(x)
    exponent = ops.floor(ops.log2(ops.maximum(magnitude, 2.0**min_exponent)))
    exponent = ops.maximum(exponent, float(min_exponent))
    quantum = ops.power(ops.cast(2.0, ops.dtype(x)), exponent - mantissa_bits)
    return ops.multiply(ops.round(ops.divide(x, quantum)), quantum)


def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """``inputs / scale`` clipped to the float8 range, rounded to ``quantized_dtype`` and
    multiplied back by ``scale``, in ``compute_dtype``.

    Args:
        inputs: the tensor.
        scale: the scale.
        quantized_dtype: ``"float8_e4m3fn"`` or ``"float8_e5m2"``.
        compute_dtype: the dtype of the computation and of the result.
    """
    dtype_max, mantissa_bits, min_exponent = _float8_info(quantized_dtype)
    scale = ops.cast(scale, compute_dtype)
    x = ops.divide(ops.cast(inputs, compute_dtype), scale)
    x = ops.clip(x, -dtype_max, dtype_max)
    # Rounding is done in float32 at least: float16/bfloat16 cannot hold every step exactly.
    wide = "float32" if compute_dtype in ("float16", "bfloat16") else compute_dtype
    x = ops.cast(_round_to_float8(ops.cast(x, wide), mantissa_bits, min_exponent), compute_dtype)
    return ops.multiply(x, scale)
