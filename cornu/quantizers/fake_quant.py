"""``fake_quant_with_min_max_vars``: quantization-aware training's quantize-dequantize step,
with the straight-through gradient (and gradients for the range) of TensorFlow's op."""

from cornu import ops
from cornu.core import KerasTensor, any_symbolic


def _adjust_and_nudge(min_range, max_range, num_bits, narrow_range):
    """The range nudged so that zero is exactly representable: ``(nudged_min, nudged_max,
    scale, inv_scale)``, computed in float32 at least."""
    dtype = "float64" if ops.dtype(min_range) == "float64" else "float32"
    min_range = ops.cast(min_range, dtype)
    max_range = ops.cast(max_range, dtype)
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    diff_range = ops.subtract(max_range, min_range)
    scale = ops.divide(diff_range, quant_max - quant_min)
    inv_scale = ops.divide(quant_max - quant_min, diff_range)
    zero_point = ops.clip(quant_min - ops.divide(min_range, scale), quant_min, quant_max)
    nudged_zero_point = ops.round(zero_point)
    nudged_min = ops.multiply(ops.subtract(quant_min, nudged_zero_point), scale)
    nudged_max = ops.multiply(ops.subtract(quant_max, nudged_zero_point), scale)
    return nudged_min, nudged_max, scale, inv_scale


def fake_quant_with_min_max_vars(
    inputs, min_vals, max_vals, num_bits=8, narrow_range=False, axis=None
):
    """Fake-quantizes ``inputs`` to ``num_bits`` within ``[min_vals, max_vals]``.

    The values are clipped to the (nudged) range, quantized to the levels
    ``[0, 2**num_bits - 1]`` (``[1, ...]`` with ``narrow_range``) and dequantized back to
    floats. The gradient passes through for inputs within the range, and flows to
    ``min_vals`` / ``max_vals`` from the inputs clipped to them, so the range can be trained.

    Args:
        inputs: a float tensor.
        min_vals, max_vals: the range, scalars or per-channel tensors (along ``axis``).
        num_bits: the bit width.
        narrow_range: leave out the lowest level.
        axis: the channel axis of per-channel ranges; None for one range.

    Returns:
        A tensor of ``inputs``'s shape and dtype.
    """
    if any_symbolic((inputs,)):
        return KerasTensor(inputs.shape, dtype=inputs.dtype)
    inputs = ops.convert_to_tensor(inputs)
    min_vals = ops.convert_to_tensor(min_vals)
    max_vals = ops.convert_to_tensor(max_vals)
    num_bits = int(num_bits)
    ndim = len(ops.shape(inputs))
    if axis is not None:
        if not -ndim <= axis < ndim:
            raise ValueError(
                f"`axis` must be within [-{ndim}, {ndim}) for inputs of rank {ndim}. "
                f"Received: axis={axis}"
            )
        axis = axis % ndim

    @ops.custom_gradient
    def fake_quant(x, min_val, max_val):
        dtype = ops.dtype(x)
        nudged_min, nudged_max, scale, inv_scale = _adjust_and_nudge(
            min_val, max_val, num_bits, narrow_range
        )
        quant_zero = ops.floor(ops.add(ops.multiply(-nudged_min, inv_scale), 0.5))
        clamped = ops.clip(ops.cast(x, ops.dtype(nudged_min)), nudged_min, nudged_max)
        shifted = ops.subtract(clamped, nudged_min)
        levels = ops.floor(ops.add(ops.subtract(ops.multiply(shifted, inv_scale), quant_zero), 0.5))
        result = ops.cast(ops.multiply(levels, scale), dtype)
        inside = ops.logical_and(ops.greater_equal(x, nudged_min), ops.less_equal(x, nudged_max))

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            dx = ops.where(inside, upstream, 0.0)
            others = [i for i in range(ndim) if i != axis]

            def range_grad(mask, like):
                g = ops.where(mask, upstream, 0.0)
                g = ops.sum(g, axis=others) if axis is not None else ops.sum(g)
                return ops.reshape(g, ops.shape(like))

            grad_min = range_grad(ops.less_equal(x, nudged_min), min_val)
            grad_max = range_grad(ops.greater_equal(x, nudged_max), max_val)
            return dx, grad_min, grad_max

        return result, grad

    return fake_quant(inputs, min_vals, max_vals)
