"""Convolutions and pooling on NumPy arrays: sliding windows (``sliding_window_view``) and one
matrix product per convolution, with Keras's layouts (kernels ``(*k, in, out)``) and
TensorFlow's 'same' padding."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cornu.backend.numpy.core import convert_to_tensor
from cornu.core.config import standardize_data_format
from cornu.core.conv_args import check_padding, ntuple, same_pads, transpose_pads


def spatial_rank(x, what):
    rank = x.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"The input of `{what}` must have rank 3, 4 or 5 (batch, spatial axes, channels). "
            f"Received input of shape {tuple(x.shape)}"
        )
    return rank


def channels_last(x, data_format):
    """``x`` with channels last, and whether it had them first."""
    if standardize_data_format(data_format) == "channels_first":
        return np.moveaxis(x, 1, -1), True
    return x, False


def restore(x, was_first):
    return np.moveaxis(x, -1, 1) if was_first else x


def pad_spatial(x, pads, value=0.0):
    """Pads (or, for negative sizes, crops) the spatial axes of a channels-last ``x``."""
    crop = tuple(
        slice(max(-b, 0), x.shape[1 + i] - max(-a, 0) or None) for i, (b, a) in enumerate(pads)
    )
    x = x[(slice(None),) + crop]
    widths = [(0, 0)] + [(max(b, 0), max(a, 0)) for b, a in pads] + [(0, 0)]
    if all(w == (0, 0) for w in widths):
        return x
    return np.pad(x, widths, constant_values=value)


def windows(x, window, strides, dilations):
    """Windows of a channels-last ``x``: ``(N, *out, C, *window)``."""
    rank = len(window)
    extents = [(k - 1) * d + 1 for k, d in zip(window, dilations)]
    view = sliding_window_view(x, extents, axis=tuple(range(1, rank + 1)))
    index = (slice(None),) + tuple(slice(None, None, s) for s in strides) + (slice(None),)
    index += tuple(slice(None, None, d) for d in dilations)
    return view[index]


def _conv_nhwc(x, kernel, strides, padding, dilations):
    rank = kernel.ndim - 2
    if padding == "same":
        x = pad_spatial(
            x,
            [
                same_pads(x.shape[1 + i], kernel.shape[i], strides[i], dilations[i])
                for i in range(rank)
            ],
        )
    patches = windows(x, kernel.shape[:rank], strides, dilations)  # (N, *out, C, *k)
    channels = x.shape[-1]
    group_in = kernel.shape[-2]
    groups = channels // group_in if group_in else 0
    if group_in == 0 or channels % group_in or kernel.shape[-1] % groups:
        raise ValueError(
            f"`conv`: the input's {channels} channels must be a multiple of the kernel's "
            f"{group_in} input channels (kernel shape[-2]), and the kernel's "
            f"{kernel.shape[-1]} filters a multiple of the groups this makes."
        )
    out_shape = patches.shape[: rank + 1]
    # (N, *out, *k, C) so that the flattened patch matches the kernel's (*k, C) order.
    order = (0,) + tuple(range(1, rank + 1)) + tuple(range(rank + 2, 2 * rank + 2)) + (rank + 1,)
    patches = patches.transpose(order)
    filters = kernel.shape[-1]
    if groups == 1:
        flat = patches.reshape(-1, int(np.prod(kernel.shape[:-1])))
        out = flat @ kernel.reshape(-1, filters)
        return out.reshape(out_shape + (filters,))
    per_group = filters // groups
    patches = patches.reshape(patches.shape[:-1] + (groups, group_in))
    k = kernel.reshape(kernel.shape[:-1] + (groups, per_group))
    letters = "ijk"[:rank]
    out = np.einsum(
        f"n{'xyz'[:rank]}{letters}gc,{letters}cgo->n{'xyz'[:rank]}go", patches, k, optimize=True
    )
    return out.reshape(out_shape + (filters,))


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution; ``kernel`` is ``(*k, in_channels / groups, filters)``."""
    x, was_first = channels_last(convert_to_tensor(inputs), data_format)
    kernel = convert_to_tensor(kernel)
    rank = spatial_rank(x, "conv")
    strides = ntuple(strides, rank, "strides")
    dilations = ntuple(dilation_rate, rank, "dilation_rate")
    dtype = np.result_type(x.dtype, kernel.dtype)
    out = _conv_nhwc(
        x.astype(dtype), kernel.astype(dtype), strides, check_padding(padding), dilations
    )
    return restore(out, was_first)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution; ``kernel`` is ``(*k, in_channels, multiplier)``."""
    kernel = convert_to_tensor(kernel)
    rank = kernel.ndim - 2
    grouped = kernel.reshape(kernel.shape[:rank] + (1, -1))
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """A depthwise convolution followed by a pointwise (1x1) one."""
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed convolution (the gradient of ``conv``); ``kernel`` is
    ``(*k, filters, in_channels)``."""
    x, was_first = channels_last(convert_to_tensor(inputs), data_format)
    kernel = convert_to_tensor(kernel)
    rank = spatial_rank(x, "conv_transpose")
    strides = ntuple(strides, rank, "strides")
    dilations = ntuple(dilation_rate, rank, "dilation_rate")
    padding = check_padding(padding)
    if output_padding is None or isinstance(output_padding, int):
        output_paddings = (output_padding,) * rank
    else:
        output_paddings = tuple(output_padding)
    # Insert stride - 1 zeros between the input's cells.
    dilated_shape = (x.shape[0],) + tuple((n - 1) * s + 1 for n, s in zip(x.shape[1:-1], strides))
    dilated = np.zeros(dilated_shape + (x.shape[-1],), dtype=x.dtype)
    dilated[(slice(None),) + tuple(slice(None, None, s) for s in strides)] = x
    pads = [
        transpose_pads(kernel.shape[i], strides[i], dilations[i], padding, output_paddings[i])
        for i in range(rank)
    ]
    padded = pad_spatial(dilated, pads)
    flipped = np.flip(kernel, axis=tuple(range(rank))).swapaxes(-1, -2)
    dtype = np.result_type(x.dtype, kernel.dtype)
    out = _conv_nhwc(padded.astype(dtype), flipped.astype(dtype), (1,) * rank, "valid", dilations)
    return restore(out, was_first)


def _pool(inputs, pool_size, strides, padding, data_format, what, reduce):
    x, was_first = channels_last(convert_to_tensor(inputs), data_format)
    rank = spatial_rank(x, what)
    pool_size = ntuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else ntuple(strides, rank, "strides")
    padding = check_padding(padding)
    pads = [(0, 0)] * rank
    if padding == "same":
        pads = [same_pads(x.shape[1 + i], pool_size[i], strides[i]) for i in range(rank)]
    patches_axes = tuple(range(rank + 2, 2 * rank + 2))
    out = reduce(x, pads, pool_size, strides, patches_axes)
    return restore(out, was_first)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of ``pool_size`` moved by ``strides`` (``pool_size`` when
    None); padded cells never win."""

    def reduce(x, pads, window, strides, axes):
        low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        padded = pad_spatial(x, pads, low)
        return windows(padded, window, strides, (1,) * len(window)).max(axis=axes)

    return _pool(inputs, pool_size, strides, padding, data_format, "max_pool", reduce)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with ``"same"`` padding each mean is over the window's real cells."""

    def reduce(x, pads, window, strides, axes):
        ones = (1,) * len(window)
        padded = pad_spatial(x, pads)
        sums = windows(padded, window, strides, ones).sum(axis=axes)
        counts = pad_spatial(np.ones((1,) + x.shape[1:-1] + (1,), dtype=x.dtype), pads)
        counts = windows(counts, window, strides, ones).sum(axis=axes)
        return (sums / counts).astype(x.dtype)

    return _pool(inputs, pool_size, strides, padding, data_format, "average_pool", reduce)


def _adaptive(inputs, output_size, data_format, what, reduce):
    x, was_first = channels_last(convert_to_tensor(inputs), data_format)
    rank = spatial_rank(x, what)
    output_size = ntuple(output_size, rank, "output_size")
    for axis, out in zip(range(1, rank + 1), output_size):
        n = x.shape[axis]
        pieces = []
        for i in range(out):
            start, stop = (i * n) // out, -(-((i + 1) * n) // out)
            pieces.append(reduce(np.take(x, range(start, stop), axis=axis), axis))
        x = np.stack(pieces, axis=axis)
    return restore(x, was_first)


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed spatial ``output_size``: output cell ``i`` of an axis of
    size ``n`` averages input cells ``floor(i * n / out)`` to ``ceil((i + 1) * n / out)``."""
    return _adaptive(
        inputs,
        output_size,
        data_format,
        "adaptive_average_pool",
        lambda part, axis: part.mean(axis=axis, dtype=part.dtype),
    )


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed spatial ``output_size``, over ``adaptive_average_pool``'s windows."""
    return _adaptive(
        inputs,
        output_size,
        data_format,
        "adaptive_max_pool",
        lambda part, axis: part.max(axis=axis),
    )
