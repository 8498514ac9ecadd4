"""Convolutions and pooling on TensorFlow tensors (``tf.nn.convolution``, ``tf.nn.pool``), with
Keras's layouts (kernels ``(*k, in, out)``) and TensorFlow's 'same' padding. Work is done
channels-last (TensorFlow's CPU kernels take no other layout); padding is explicit, so strides
and dilations combine freely."""

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor
from cornu.core.config import standardize_data_format
from cornu.core.conv_args import check_padding, ntuple, same_pads, transpose_pads


def moveaxis(x, source, destination):
    """``x`` with axis ``source`` moved to ``destination``."""
    rank = x.shape.rank
    source, destination = source % rank, destination % rank
    order = [a for a in range(rank) if a != source]
    order.insert(destination, source)
    return tf.transpose(x, order)


def spatial_rank(x, what):
    rank = x.shape.rank - 2
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
        return moveaxis(x, 1, -1), True
    return x, False


def restore(x, was_first):
    return moveaxis(x, -1, 1) if was_first else x


def pad_spatial(x, pads, value=0):
    """Pads (or, for negative sizes, crops) the spatial axes of a channels-last ``x``."""
    if all(p == (0, 0) for p in pads):
        return x
    if any(b < 0 or a < 0 for b, a in pads):
        crop = [slice(None)]
        for before, after in pads:
            crop.append(slice(max(-before, 0), -after if after < 0 else None))
        x = x[tuple(crop)]
    widths = [[0, 0]] + [[max(b, 0), max(a, 0)] for b, a in pads] + [[0, 0]]
    return tf.pad(x, widths, constant_values=tf.cast(value, x.dtype))


def _promote(x, kernel):
    dtype = tf.experimental.numpy.result_type(x.dtype, kernel.dtype)
    dtype = tf.as_dtype(dtype)
    return tf.cast(x, dtype), tf.cast(kernel, dtype)


def _dense_conv(x, kernel, strides, dilations, padding="VALID"):
    """A convolution of channels-last ``x`` (one group); TensorFlow refuses strides with
    dilations together, so then the strided rows are taken from the stride-1 result."""
    if any(s > 1 for s in strides) and any(d > 1 for d in dilations):
        out = tf.nn.convolution(x, kernel, strides=1, padding=padding, dilations=dilations)
        return out[(slice(None),) + tuple(slice(None, None, s) for s in strides)]
    return tf.nn.convolution(x, kernel, strides=strides, padding=padding, dilations=dilations)


def grouped_conv(x, kernel, strides, dilations, groups, padding="VALID"):
    """A grouped convolution of channels-last ``x`` by ``(*k, in / groups, out)``
    (``padding`` 'VALID', or TensorFlow's 'SAME' where the spatial sizes are unknown)."""
    rank = x.shape.rank - 2
    if groups == 1:
        return _dense_conv(x, kernel, strides, dilations, padding)
    channels = x.shape[-1]
    filters = kernel.shape[-1]
    equal_strides = len(set(strides)) == 1
    if groups == channels and rank in (1, 2) and equal_strides:
        if not (strides[0] > 1 and any(d > 1 for d in dilations)):
            # Depthwise: TensorFlow's kernel is (*k, channels, multiplier).
            depthwise = tf.reshape(kernel, kernel.shape[:-2] + (channels, filters // channels))
            if rank == 1:
                out = tf.nn.depthwise_conv2d(
                    x[:, None],
                    depthwise[None],
                    strides=(1, 1, strides[0], 1),
                    padding=padding,
                    dilations=(1, dilations[0]),
                )
                return out[:, 0]
            return tf.nn.depthwise_conv2d(
                x,
                depthwise,
                strides=(1, strides[0], strides[1], 1),
                padding=padding,
                dilations=tuple(dilations),
            )
    pieces = zip(tf.split(x, groups, axis=-1), tf.split(kernel, groups, axis=-1))
    return tf.concat([_dense_conv(a, k, strides, dilations, padding) for a, k in pieces], axis=-1)


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
    rank = spatial_rank(x, "conv")
    if kernel.shape.rank != x.shape.rank:
        raise ValueError(
            f"`conv` needs a kernel of rank {x.shape.rank} for inputs of rank {x.shape.rank}. "
            f"Received kernel of shape {tuple(kernel.shape)}"
        )
    x, was_first = channels_last(x, data_format)
    channels = x.shape[-1]
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
    native = "VALID"
    sizes = x.shape[1:-1]
    if padding == "same" and None in sizes:
        native = "SAME"  # TensorFlow's own rule, the same as same_pads
    elif padding == "same":
        pads = [same_pads(sizes[i], kernel.shape[i], strides[i], dilations[i]) for i in range(rank)]
        x = pad_spatial(x, pads)
    x, kernel = _promote(x, kernel)
    out = grouped_conv(x, kernel, strides, dilations, channels // per_group, native)
    return restore(out, was_first)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own ``depth_multiplier``
    filters; ``kernel`` is ``(*kernel_size, in_channels, depth_multiplier)``."""
    kernel = convert_to_tensor(kernel)
    shape = tuple(kernel.shape)
    grouped = tf.reshape(kernel, shape[:-2] + (1, shape[-2] * shape[-1]))
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


def dilate(x, axis, stride):
    """``x`` with ``stride - 1`` zeros inserted between neighbours along ``axis``."""
    if stride == 1:
        return x
    expanded = tf.expand_dims(x, axis + 1)
    widths = [[0, 0]] * expanded.shape.rank
    widths[axis + 1] = [0, stride - 1]
    spread = tf.pad(expanded, widths)
    dims = tf.unstack(tf.shape(x))
    dims[axis] = dims[axis] * stride
    merged = tf.reshape(spread, tf.stack(dims))
    index = [slice(None)] * x.shape.rank
    index[axis] = slice(0, -(stride - 1))
    return merged[tuple(index)]


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
    rank = spatial_rank(x, "conv_transpose")
    x, was_first = channels_last(x, data_format)
    channels = x.shape[-1]
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
    flipped = tf.reverse(kernel, axis=list(range(rank)))
    flipped = moveaxis(flipped, -1, -2)
    x, flipped = _promote(x, flipped)
    for i, stride in enumerate(strides):
        x = dilate(x, 1 + i, stride)
    x = pad_spatial(x, pads)
    return restore(_dense_conv(x, flipped, (1,) * rank, dilations), was_first)


def _pool(inputs, pool_size, strides, padding, data_format, what, pooling):
    x = convert_to_tensor(inputs)
    rank = spatial_rank(x, what)
    pool_size = ntuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else ntuple(strides, rank, "strides")
    padding = check_padding(padding)
    x, was_first = channels_last(x, data_format)
    out = tf.nn.pool(x, pool_size, pooling, strides=strides, padding=padding.upper())
    return restore(out, was_first)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of ``pool_size`` moved by ``strides`` (``pool_size`` when
    None); ``"same"`` padding never lets a padded cell win."""
    return _pool(inputs, pool_size, strides, padding, data_format, "max_pool", "MAX")


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with ``"same"`` padding each mean is over the window's real cells
    (padded cells are not counted), as TensorFlow computes it."""
    return _pool(inputs, pool_size, strides, padding, data_format, "average_pool", "AVG")


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
            index = [slice(None)] * x.shape.rank
            index[axis] = slice(start, stop)
            pieces.append(reduce(x[tuple(index)], axis))
        x = tf.stack(pieces, axis=axis)
    return x


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed spatial ``output_size``: output cell ``i`` of an axis of
    size ``n`` averages input cells ``floor(i * n / out)`` to ``ceil((i + 1) * n / out)``."""
    return _adaptive(
        inputs,
        output_size,
        data_format,
        "adaptive_average_pool",
        lambda part, axis: tf.reduce_mean(part, axis=axis),
    )


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed spatial ``output_size``, over ``adaptive_average_pool``'s
    windows."""
    return _adaptive(
        inputs,
        output_size,
        data_format,
        "adaptive_max_pool",
        lambda part, axis: tf.reduce_max(part, axis=axis),
    )
