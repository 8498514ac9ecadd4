"""Convolutions and pooling on jax arrays (``lax.conv_general_dilated``, ``lax.reduce_window``),
with Keras's layouts (kernels ``(*k, in, out)``) and TensorFlow's 'same' padding."""

import jax.numpy as jnp
import numpy as np
from jax import lax

from cornu.backend.jax.core import convert_to_tensor
from cornu.core.config import standardize_data_format
from cornu.core.conv_args import check_padding, ntuple, same_pads, transpose_pads

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def spatial_rank(x, what):
    rank = x.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"The input of `{what}` must have rank 3, 4 or 5 (batch, spatial axes, channels). "
            f"Received input of shape {tuple(x.shape)}"
        )
    return rank


def is_first(data_format):
    return standardize_data_format(data_format) == "channels_first"


def channels_last(x, data_format):
    """``x`` with channels last, and whether it had them first."""
    if is_first(data_format):
        return jnp.moveaxis(x, 1, -1), True
    return x, False


def restore(x, was_first):
    return jnp.moveaxis(x, -1, 1) if was_first else x


def _dimension_numbers(rank, first):
    spatial = _SPATIAL[rank]
    data = f"NC{spatial}" if first else f"N{spatial}C"
    return (data, f"{spatial}IO", data)


def _spatial_sizes(x, first):
    return x.shape[2:] if first else x.shape[1:-1]


def _result_dtype(x, kernel):
    dtype = jnp.result_type(x.dtype, kernel.dtype)
    return x.astype(dtype), kernel.astype(dtype)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (cross-correlation), as Keras's ``ops.conv``.

    Args:
        inputs: ``(batch, *spatial, channels)`` (channels_last) or
            ``(batch, channels, *spatial)`` (channels_first), 1 to 3 spatial axes.
        kernel: ``(*kernel_size, in_channels // groups, filters)``.
        strides, dilation_rate: an int or one int per spatial axis.
        padding: ``"valid"`` or ``"same"`` (TensorFlow's rule).
        data_format: ``"channels_last"`` or ``"channels_first"``.
    """
    x = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    first = is_first(data_format)
    rank = spatial_rank(x, "conv")
    if kernel.ndim != x.ndim:
        raise ValueError(
            f"`conv` needs a kernel of rank {x.ndim} for inputs of rank {x.ndim}. Received "
            f"kernel of shape {tuple(kernel.shape)}"
        )
    channels = x.shape[1] if first else x.shape[-1]
    per_group, filters = kernel.shape[-2], kernel.shape[-1]
    if per_group == 0 or channels % per_group or filters % (channels // per_group):
        raise ValueError(
            f"`conv`: the input's {channels} channels must be a multiple of the kernel's "
            f"{per_group} input channels (kernel shape[-2]), and the kernel's "
            f"{filters} filters a multiple of the groups this makes."
        )
    strides = ntuple(strides, rank, "strides")
    dilations = ntuple(dilation_rate, rank, "dilation_rate")
    padding = check_padding(padding)
    sizes = _spatial_sizes(x, first)
    if padding == "same":
        pads = [same_pads(sizes[i], kernel.shape[i], strides[i], dilations[i]) for i in range(rank)]
    else:
        pads = [(0, 0)] * rank
    x, kernel = _result_dtype(x, kernel)
    return lax.conv_general_dilated(
        x,
        kernel,
        window_strides=strides,
        padding=pads,
        rhs_dilation=dilations,
        dimension_numbers=_dimension_numbers(rank, first),
        feature_group_count=channels // per_group,
    )


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own ``depth_multiplier``
    filters; ``kernel`` is ``(*kernel_size, in_channels, depth_multiplier)``."""
    kernel = convert_to_tensor(kernel)
    grouped = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
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
    """A depthwise convolution followed by a pointwise (1x1) one mixing the channels."""
    x = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(x, pointwise_kernel, 1, "valid", data_format)


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed convolution (the gradient of ``conv`` with respect to its input);
    ``kernel`` is ``(*kernel_size, filters, in_channels)``."""
    x = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    first = is_first(data_format)
    rank = spatial_rank(x, "conv_transpose")
    channels = x.shape[1] if first else x.shape[-1]
    if kernel.shape[-1] != channels:
        raise ValueError(
            f"`conv_transpose`: the kernel expects {kernel.shape[-1]} input channels "
            f"(kernel shape[-1]), but the input has {channels}."
        )
    strides = ntuple(strides, rank, "strides")
    dilations = ntuple(dilation_rate, rank, "dilation_rate")
    padding = check_padding(padding)
    if output_padding is None:
        output_paddings = (None,) * rank
    else:
        output_paddings = ntuple(output_padding, rank, "output_padding")
    pads = [
        transpose_pads(kernel.shape[i], strides[i], dilations[i], padding, output_paddings[i])
        for i in range(rank)
    ]
    flipped = jnp.swapaxes(jnp.flip(kernel, axis=tuple(range(rank))), -1, -2)
    x, flipped = _result_dtype(x, flipped)
    return lax.conv_general_dilated(
        x,
        flipped,
        window_strides=(1,) * rank,
        padding=pads,
        lhs_dilation=strides,
        rhs_dilation=dilations,
        dimension_numbers=_dimension_numbers(rank, first),
    )


def _pool_setup(inputs, pool_size, strides, padding, data_format, what):
    x = convert_to_tensor(inputs)
    first = is_first(data_format)
    rank = spatial_rank(x, what)
    pool_size = ntuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else ntuple(strides, rank, "strides")
    padding = check_padding(padding)
    sizes = _spatial_sizes(x, first)
    pads = [(0, 0)] * rank
    if padding == "same":
        pads = [same_pads(sizes[i], pool_size[i], strides[i]) for i in range(rank)]
    if first:
        window, steps, pads = (1, 1) + pool_size, (1, 1) + strides, [(0, 0)] * 2 + pads
    else:
        window, steps = (1,) + pool_size + (1,), (1,) + strides + (1,)
        pads = [(0, 0)] + pads + [(0, 0)]
    return x, window, steps, pads


def _lowest(dtype):
    if jnp.issubdtype(dtype, jnp.floating):
        return -jnp.inf
    if dtype == jnp.bool_:
        return False
    return jnp.iinfo(dtype).min


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of ``pool_size`` moved by ``strides`` (``pool_size`` when
    None); ``"same"`` padding never lets a padded cell win."""
    x, window, steps, pads = _pool_setup(
        inputs, pool_size, strides, padding, data_format, "max_pool"
    )
    init = np.asarray(_lowest(x.dtype), dtype=x.dtype)  # concrete: reduce_window's
    # differentiable max/sum forms are chosen from a known initial value
    return lax.reduce_window(x, init, lax.max, window, steps, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with ``"same"`` padding each mean is over the window's real cells
    (padded cells are not counted), as TensorFlow computes it."""
    x, window, steps, pads = _pool_setup(
        inputs, pool_size, strides, padding, data_format, "average_pool"
    )
    zero = np.asarray(0, dtype=x.dtype)
    sums = lax.reduce_window(x, zero, lax.add, window, steps, pads)
    if all(p == (0, 0) for p in pads):
        return (sums / np.prod(window)).astype(x.dtype)
    ones = jnp.ones((1,) * x.ndim, dtype=x.dtype)
    ones = jnp.broadcast_to(ones, tuple(1 if w == 1 else n for w, n in zip(window, x.shape)))
    counts = lax.reduce_window(ones, zero, lax.add, window, steps, pads)
    return (sums / counts).astype(x.dtype)


def _adaptive(inputs, output_size, data_format, what, reduce):
    x = convert_to_tensor(inputs)
    first = is_first(data_format)
    rank = spatial_rank(x, what)
    output_size = ntuple(output_size, rank, "output_size")
    offset = 2 if first else 1
    for i, out in enumerate(output_size):
        axis = offset + i
        n = x.shape[axis]
        pieces = []
        for j in range(out):
            start, stop = (j * n) // out, -(-((j + 1) * n) // out)
            part = lax.slice_in_dim(x, start, stop, axis=axis)
            pieces.append(reduce(part, axis))
        x = jnp.stack(pieces, axis=axis)
    return x


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed spatial ``output_size``: output cell ``i`` of an axis of
    size ``n`` averages input cells ``floor(i * n / out)`` to ``ceil((i + 1) * n / out)``."""
    return _adaptive(
        inputs,
        output_size,
        data_format,
        "adaptive_average_pool",
        lambda part, axis: jnp.mean(part, axis=axis).astype(part.dtype),
    )


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed spatial ``output_size``, over ``adaptive_average_pool``'s
    windows."""
    return _adaptive(
        inputs,
        output_size,
        data_format,
        "adaptive_max_pool",
        lambda part, axis: jnp.max(part, axis=axis),
    )
