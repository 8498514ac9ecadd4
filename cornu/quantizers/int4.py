"""Int4 helpers: packing two int4 values per byte, and the grouped (sub-channel) asymmetric
quantization with a zero point that Keras's int4 layers use."""

import math

import numpy as np

from cornu import core, ops
from cornu.quantizers.host_math import Host

_EPSILON = core.epsilon()


def _check_int4_dtype(dtype):
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")


def pack_int4(arr, axis=0, dtype="int8"):
    """Packs int4 values (int8 in ``[-8, 7]``) two per byte along ``axis``.

    Of each pair of consecutive entries along ``axis``, the first goes to the low nibble and
    the second to the high nibble; an odd length is padded with one zero.

    Args:
        arr: an ``int8`` (or ``uint8``) tensor of int4 values.
        axis: the axis to pack along.
        dtype: ``"int8"`` or ``"uint8"``, the dtype of ``arr`` and of the packed tensor.

    Returns:
        ``(packed, packed_shape, orig_len)``: the packed tensor, its shape, and the length of
        ``axis`` before padding (for ``unpack_int4``).
    """
    _check_int4_dtype(dtype)
    if ops.dtype(arr) != dtype:
        raise TypeError(f"Expected {dtype} tensor for packing, got {ops.dtype(arr)}.")
    values = ops.convert_to_numpy(arr)
    np_dtype = np.dtype(dtype)
    axis = axis + values.ndim if axis < 0 else axis
    values = np.moveaxis(values, axis, 0)
    length = values.shape[0]
    if length % 2:
        values = np.concatenate([values, np.zeros((1,) + values.shape[1:], values.dtype)])
    mask = np.array(0x0F, dtype=np_dtype)
    low = np.bitwise_and(values[::2].astype(np_dtype), mask)
    high = np.bitwise_and(values[1::2].astype(np_dtype), mask)
    packed = np.bitwise_or(low, np.left_shift(high, np.array(4, dtype=np_dtype)))
    packed = np.moveaxis(packed.astype(np_dtype), 0, axis)
    return ops.convert_to_tensor(packed), tuple(packed.shape), length


def _to_signed(x):
    """Nibbles ``[0, 15]`` as signed int4 ``[-8, 7]``: ``(x ^ 8) - 8``."""
    eight = ops.cast(8, ops.dtype(x))
    return ops.subtract(ops.bitwise_xor(x, eight), eight)


def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """Unpacks what ``pack_int4`` packed: each byte back to two int4 values along ``axis``.

    Args:
        packed: the packed ``int8`` (or ``uint8``) tensor.
        orig_len: the length of ``axis`` before packing (the padding is dropped).
        axis: the axis that was packed.
        dtype: ``"int8"`` (values in ``[-8, 7]``) or ``"uint8"`` (values in ``[0, 15]``).

    Returns:
        The unpacked tensor of ``dtype``.
    """
    _check_int4_dtype(dtype)
    if ops.dtype(packed) not in ("int8", "uint8"):
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {ops.dtype(packed)}")
    rank = len(ops.shape(packed))
    axis = axis + rank if axis < 0 else axis
    perm = [axis] + [i for i in range(rank) if i != axis]
    moved = ops.transpose(packed, perm) if axis else packed
    mask = ops.cast(0x0F, ops.dtype(packed))
    low = ops.bitwise_and(moved, mask)
    high = ops.bitwise_and(ops.right_shift(moved, 4), mask)
    if dtype == "int8":
        low, high = _to_signed(low), _to_signed(high)
    stacked = ops.stack([ops.cast(low, dtype), ops.cast(high, dtype)], axis=1)
    unpacked = ops.reshape(stacked, (-1,) + tuple(ops.shape(moved)[1:]))[:orig_len]
    if axis:
        unpacked = ops.transpose(unpacked, [perm.index(i) for i in range(rank)])
    return unpacked


def abs_max_quantize_grouped_with_zero_point(
    inputs, block_size, value_range=(-8, 7), dtype="int8", epsilon=_EPSILON, to_numpy=False
):
    """Quantizes a 2D ``(input_dim, output_dim)`` tensor by groups of ``block_size`` rows,
    asymmetrically: each group has a scale and a zero point per column.

    ``scale = (max - min + epsilon) / (qmax - qmin)``,
    ``zero_point = clip(round(-min / scale) + qmin, qmin, qmax)`` and
    ``quantized = clip(round(inputs / scale) + zero_point, qmin, qmax)``; the rows are padded
    with zeros to a whole number of groups before the group statistics are taken. Off the
    NumPy path a constant group's range is widened to ``[min - 1, max + 1]``, as Keras does.

    Args:
        inputs: the tensor to quantize.
        block_size: the number of rows per group.
        value_range: ``(qmin, qmax)``.
        dtype: the quantized values' dtype.
        epsilon: added to the range so that a constant group does not divide by zero.
        to_numpy: compute on the host with NumPy.

    Returns:
        ``(quantized, scale, zero_point)``: ``quantized`` has ``inputs``'s shape; ``scale``
        (``inputs``'s dtype) and ``zero_point`` (int8) have shape
        ``(ceil(input_dim / block_size), output_dim)``.
    """
    original_dtype = ops.dtype(inputs)
    xp_numpy = bool(to_numpy)
    values = ops.convert_to_numpy(inputs) if xp_numpy else ops.convert_to_tensor(inputs)
    input_dim, output_dim = (int(d) for d in values.shape)
    groups = math.ceil(input_dim / block_size)
    qmin, qmax = value_range
    padded = groups * block_size
    if xp_numpy:
        if padded > input_dim:
            pad = np.zeros((padded - input_dim, output_dim), dtype=values.dtype)
            values = np.concatenate([values, pad], axis=0)
        host = Host(original_dtype)
        grouped = values.reshape(groups, block_size, output_dim)
        low = grouped.min(axis=1, keepdims=True)
        high = grouped.max(axis=1, keepdims=True)
        scale = host(host(host(high - low) + host(epsilon)) / (qmax - qmin))
        zero = np.clip(host(np.round(host(-low / scale)) + qmin), qmin, qmax)
        out = host(np.round(host(grouped / scale)) + zero)
        out = np.clip(out, qmin, qmax).astype(dtype)
        out = out.reshape(padded, output_dim)[:input_dim]
        return (
            ops.convert_to_tensor(out),
            ops.convert_to_tensor(np.squeeze(scale, axis=1), dtype=original_dtype),
            ops.convert_to_tensor(np.squeeze(zero, axis=1).astype("int8")),
        )
    if padded > input_dim:
        pad = ops.zeros((padded - input_dim, output_dim), dtype=original_dtype)
        values = ops.concatenate([values, pad], axis=0)
    grouped = ops.reshape(values, (groups, block_size, output_dim))
    low = ops.min(grouped, axis=1, keepdims=True)
    high = ops.max(grouped, axis=1, keepdims=True)
    # As Keras's tensor path: a constant group gets the range [min - 1, max + 1].
    constant = ops.equal(low, high)
    low = ops.where(constant, ops.subtract(low, 1), low)
    high = ops.where(constant, ops.add(high, 1), high)
    scale = ops.divide(ops.add(ops.subtract(high, low), epsilon), qmax - qmin)
    zero = ops.clip(ops.add(ops.round(ops.divide(ops.negative(low), scale)), qmin), qmin, qmax)
    out = ops.clip(ops.add(ops.round(ops.divide(grouped, scale)), zero), qmin, qmax)
    out = ops.reshape(ops.cast(out, dtype), (padded, output_dim))[:input_dim]
    return out, ops.squeeze(scale, axis=1), ops.cast(ops.squeeze(zero, axis=1), "int8")


def dequantize_with_sz_map(weights_matrix, scale, zero, g_idx, group_axis=-1):
    """Dequantizes grouped weights: ``(weights - zero[g]) * scale[g]`` where ``g = g_idx``
    maps each position along the grouped axis to its group (taken along ``group_axis`` of
    ``scale`` and ``zero``)."""
    groups = ops.cast(g_idx, "int32")
    scales = ops.take(scale, groups, axis=group_axis)
    zeros = ops.cast(ops.take(zero, groups, axis=group_axis), ops.dtype(scales))
    return ops.multiply(ops.subtract(weights_matrix, zeros), scales)
