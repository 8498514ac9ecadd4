"""Neural-network operations on torch tensors: activations, one-hot and cross-entropies."""

import torch
import torch.nn.functional as F

from cornu.backend.torch.core import convert_to_tensor, to_torch_dtype
from cornu.backend.torch.ctc_decode import ctc_decode  # noqa: F401  (bound as nn.ctc_decode)
from cornu.backend.torch.numpy import matmul
from cornu.core.config import epsilon, standardize_data_format
from cornu.core.config import epsilon as _default_epsilon
from cornu.core.conv_args import same_pads as _same_pads
from cornu.core.conv_args import transpose_pads as _transpose_pads

relu = torch.relu
sigmoid = torch.sigmoid
tanh = torch.tanh
softsign = F.softsign


def silu(x):
    """``x * sigmoid(x)``."""
    return F.silu(x)


swish = silu
log_sigmoid = F.logsigmoid
selu = torch.selu


def relu6(x):
    """``min(max(x, 0), 6)``."""
    return F.relu6(convert_to_tensor(x))


def softplus(x):
    """``log(exp(x) + 1)``."""
    return F.softplus(convert_to_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, ``negative_slope * x`` elsewhere."""
    return F.leaky_relu(convert_to_tensor(x), negative_slope)


def elu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""
    return F.elu(convert_to_tensor(x), alpha)


def gelu(x, approximate=True):
    """Gaussian error linear unit (the tanh approximation when ``approximate``)."""
    return F.gelu(convert_to_tensor(x), approximate="tanh" if approximate else "none")


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``: 0 below -3, 1 above 3, linear between."""
    return F.hardsigmoid(convert_to_tensor(x))


def hard_silu(x):
    """``x * hard_sigmoid(x)``."""
    return F.hardswish(convert_to_tensor(x))


def mish(x):
    """``x * tanh(softplus(x))``."""
    return F.mish(convert_to_tensor(x))


def softmax(x, axis=-1):
    """Softmax along ``axis`` (a tuple of axes is treated as one)."""
    x = convert_to_tensor(x)
    if isinstance(axis, (tuple, list)):
        return _over_axes(x, axis, softmax)
    return torch.softmax(x, dim=axis)


def log_softmax(x, axis=-1):
    """Log-softmax along ``axis``."""
    x = convert_to_tensor(x)
    if isinstance(axis, (tuple, list)):
        return _over_axes(x, axis, log_softmax)
    return torch.log_softmax(x, dim=axis)


def _over_axes(x, axes, fn):
    axes = sorted(a % x.ndim for a in axes)
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = x.permute(*rest, *axes)
    flat = moved.reshape(*moved.shape[: len(rest)], -1)
    out = fn(flat, axis=-1).reshape(moved.shape)
    inverse = [0] * x.ndim
    for position, a in enumerate(rest + axes):
        inverse[a] = position
    return out.permute(*inverse)


def one_hot(x, num_classes, axis=-1, dtype=None):
    """One-hot encoding of integer ``x`` (negative or too large indices give zeros)."""
    x = convert_to_tensor(x).long()
    valid = (x >= 0) & (x < num_classes)
    out = F.one_hot(torch.where(valid, x, 0), num_classes) * valid.unsqueeze(-1)
    out = out.to(to_torch_dtype(dtype))
    if axis != -1:
        out = torch.movedim(out, -1, axis)
    return out


def _probabilities_to_log(output, axis):
    output = output / torch.sum(output, dim=axis, keepdim=True)
    eps = epsilon()
    return torch.log(torch.clamp(output, eps, 1.0 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) ``target`` and ``output`` along ``axis``."""
    target = convert_to_tensor(target)
    output = convert_to_tensor(output)
    if target.shape != output.shape:
        raise ValueError(
            "`target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    if from_logits:
        log_prob = torch.log_softmax(output, dim=axis)
    else:
        log_prob = _probabilities_to_log(output, axis)
    return -torch.sum(target * log_prob, dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer class ``target`` and ``output`` along ``axis``."""
    target = convert_to_tensor(target)
    output = convert_to_tensor(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = torch.squeeze(target, dim=-1)
    if from_logits:
        log_prob = torch.log_softmax(output, dim=axis)
    else:
        log_prob = _probabilities_to_log(output, axis)
    index = torch.unsqueeze(target.long(), axis)
    return -torch.squeeze(torch.gather(log_prob, axis, index), axis)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy between ``target`` in [0, 1] and ``output``."""
    target = convert_to_tensor(target)
    output = convert_to_tensor(output)
    if target.dtype != output.dtype:
        target = target.to(output.dtype)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    return F.binary_cross_entropy(output, target, reduction="none")


def celu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x / alpha) - 1)`` elsewhere."""
    return F.celu(convert_to_tensor(x), alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)`` for the two halves ``a, b`` of ``x`` along ``axis``."""
    return F.glu(convert_to_tensor(x), dim=axis)


def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    return F.hardtanh(convert_to_tensor(x), min_val=-1.0, max_val=1.0)


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    return F.hardshrink(convert_to_tensor(x), lambd=threshold)


def soft_shrink(x, threshold=0.5):
    """``x`` moved ``threshold`` towards 0, and 0 where ``|x| <= threshold``."""
    return F.softshrink(convert_to_tensor(x), lambd=threshold)


def tanh_shrink(x):
    """``x - tanh(x)``."""
    return F.tanhshrink(convert_to_tensor(x))


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    return F.threshold(convert_to_tensor(x), threshold, default_value)


def squareplus(x, b=4):
    """``(x + sqrt(x ** 2 + b)) / 2``."""
    x = convert_to_tensor(x)
    return (x + torch.sqrt(x * x + b)) / 2


def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1) ** 2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    x = convert_to_tensor(x)
    middle = 0.25 * (x + 1) ** 2
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, middle, x))


def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``."""
    return torch.clamp(0.5 * (convert_to_tensor(x) + 1), 0.0, 1.0)


def sparsemax(x, axis=-1):
    """Euclidean projection of ``x`` onto the probability simplex along ``axis``."""
    x = convert_to_tensor(x)
    ranked = torch.sort(x, dim=axis, descending=True).values
    cumulative = torch.cumsum(ranked, dim=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    k = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    support = ranked - (cumulative - 1) / k > 0
    size = torch.sum(support, dim=axis, keepdim=True)
    total = torch.sum(torch.where(support, cumulative, torch.zeros_like(cumulative)), axis, True)
    tau = (total - 1) / size
    return torch.clamp(x - tau, min=0.0)


def dense(inputs, kernel, bias=None):
    """``inputs @ kernel + bias`` over the last axis, as one fused kernel where possible."""
    kernel = getattr(kernel, "_value", kernel)
    bias = getattr(bias, "_value", bias)
    if inputs.dtype is not kernel.dtype:
        # As Keras's `matmul` then `add`: the dtypes are promoted (integer or uint8 inputs
        # by float32 weights give float32), instead of torch's dtype error.
        outputs = matmul(inputs, kernel)
        return outputs if bias is None else outputs + bias
    return F.linear(inputs, kernel.T, bias)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss of every sequence, as Keras computes it.

    Args:
        target: integer labels, shape ``(batch, max_label_length)``.
        output: logits (not softmax-normalized), shape ``(batch, max_time, num_classes)``.
        target_length: the true length of each label sequence, shape ``(batch,)``.
        output_length: the true length of each logit sequence, shape ``(batch,)``.
        mask_index: the class index of the blank.

    Returns:
        The negative log-likelihoods, shape ``(batch,)`` (``inf`` where no alignment exists).
    """
    target = convert_to_tensor(target).long()
    output = convert_to_tensor(output)
    if not output.is_floating_point() or output.dtype in (torch.float16, torch.bfloat16):
        output = output.float()
    log_probs = torch.log_softmax(torch.transpose(output, 0, 1), dim=-1)
    return F.ctc_loss(
        log_probs,
        target,
        convert_to_tensor(output_length).long(),
        convert_to_tensor(target_length).long(),
        blank=mask_index,
        reduction="none",
    )


# ---- convolution and pooling ---------------------------------------------------------------
#
# Keras's layouts are kept: channels_last data ``(batch, *spatial, channels)`` and kernels
# ``(*kernel_size, in_channels, out_channels)``. Torch wants ``(batch, channels, *spatial)`` and
# ``(out, in, *kernel_size)``; both are reached with ``movedim``/``permute`` views, never copies.
# A channels_last tensor viewed as NCHW has torch's ``channels_last`` memory format, which the
# CPU (oneDNN) and CUDA (cuDNN) kernels run natively, and their output moves back to
# channels_last as a view too (measured on the tutorial CNN: faster than an NCHW copy per op).

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _ntuple(value, n, name):
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints. Received: {value}")
    return value


def _spatial_rank(x, what):
    rank = x.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"The input of `{what}` must have rank 3, 4 or 5 (batch, spatial axes, channels). "
            f"Received input of shape {tuple(x.shape)}"
        )
    return rank


def _check_padding(padding):
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    return padding


def _pad_for_torch(x, windows, strides, dilations, padding, value=0.0):
    """``(x, torch_padding)``: symmetric 'same' padding is left to torch; uneven padding is
    applied to ``x`` with ``value``. ``x`` is channels-first."""
    rank = len(windows)
    if padding == "valid":
        return x, 0
    pads = [_same_pads(x.shape[2 + i], windows[i], strides[i], dilations[i]) for i in range(rank)]
    if all(a == b for a, b in pads):
        return x, tuple(a for a, _ in pads)  # even: pooling's pad <= window // 2 holds too
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return F.pad(x, flat, value=value), 0


def _channels_first(x, data_format):
    if standardize_data_format(data_format) == "channels_last":
        return x.movedim(-1, 1), True
    return x, False


def _conv_kernel(kernel):
    """Keras ``(*k, in, out)`` as torch's ``(out, in, *k)`` (a view)."""
    kernel = convert_to_tensor(getattr(kernel, "_value", kernel))
    rank = kernel.ndim - 2
    return kernel.permute(rank + 1, rank, *range(rank))


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (cross-correlation), as Keras's ``ops.conv``.

    Args:
        inputs: ``(batch, *spatial, channels)`` (channels_last) or
            ``(batch, channels, *spatial)`` (channels_first), with 1 to 3 spatial axes.
        kernel: ``(*kernel_size, in_channels // groups, filters)``; the number of groups is
            ``in_channels // kernel.shape[-2]``.
        strides, dilation_rate: an int or one int per spatial axis.
        padding: ``"valid"`` or ``"same"`` (TensorFlow's rule: ``ceil(size / stride)`` outputs,
            the odd padded cell at the end).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
    """
    return conv_with_bias(inputs, kernel, None, strides, padding, data_format, dilation_rate)


def conv_with_bias(
    inputs, kernel, bias=None, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    """``conv(...) + bias`` (``bias``: ``(filters,)`` or None) with the bias added inside
    torch's convolution kernel: one op forward and backward instead of three (the
    convolution layers' fast path)."""
    x, channels_last = _channels_first(convert_to_tensor(inputs), data_format)
    rank = _spatial_rank(x, "conv")
    weight = _conv_kernel(kernel)
    if weight.ndim != x.ndim:
        raise ValueError(
            f"`conv` needs a kernel of rank {x.ndim} for inputs of rank {x.ndim}. Received "
            f"kernel of shape {tuple(weight.shape[2:]) + tuple(weight.shape[1::-1])}"
        )
    channels, per_group = x.shape[1], weight.shape[1]
    if channels % per_group or weight.shape[0] % (channels // per_group):
        raise ValueError(
            f"`conv`: the input's {channels} channels must be a multiple of the kernel's "
            f"{per_group} input channels (kernel shape[-2]), and the kernel's "
            f"{weight.shape[0]} filters a multiple of the groups this makes."
        )
    strides = _ntuple(strides, rank, "strides")
    dilation = _ntuple(dilation_rate, rank, "dilation_rate")
    x, pad = _pad_for_torch(x, weight.shape[2:], strides, dilation, _check_padding(padding))
    if bias is not None:
        bias = convert_to_tensor(getattr(bias, "_value", bias))
    out = _CONV[rank](x, weight, bias, strides, pad, dilation, channels // per_group)
    return out.movedim(1, -1) if channels_last else out


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own ``depth_multiplier``
    filters. ``kernel`` has shape ``(*kernel_size, in_channels, depth_multiplier)``; the output
    has ``in_channels * depth_multiplier`` channels (channel ``c * depth_multiplier + m``)."""
    kernel = convert_to_tensor(getattr(kernel, "_value", kernel))
    grouped = kernel.reshape(*kernel.shape[:-2], 1, kernel.shape[-2] * kernel.shape[-1])
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
    """A depthwise convolution followed by a pointwise (1x1) one mixing the channels;
    ``pointwise_kernel`` has shape ``(*ones, in_channels * depth_multiplier, filters)``."""
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
    """Transposed convolution (the gradient of ``conv`` with respect to its input).

    ``kernel`` has shape ``(*kernel_size, filters, in_channels)``. Output sizes follow Keras:
    ``"same"`` gives ``size * stride``; ``"valid"`` gives
    ``(size - 1) * stride + max(kernel_extent, stride)``; an explicit ``output_padding`` gives
    ``(size - 1) * stride + kernel_extent (valid) or kernel_extent % 2 (same) + output_padding``.
    """
    x, channels_last = _channels_first(convert_to_tensor(inputs), data_format)
    rank = _spatial_rank(x, "conv_transpose")
    weight = _conv_kernel(kernel)  # (in, filters, *k): torch's conv_transpose layout
    if weight.shape[0] != x.shape[1]:
        raise ValueError(
            f"`conv_transpose`: the kernel expects {weight.shape[0]} input channels "
            f"(kernel shape[-1]), but the input has {x.shape[1]}."
        )
    strides = _ntuple(strides, rank, "strides")
    dilation = _ntuple(dilation_rate, rank, "dilation_rate")
    padding = _check_padding(padding)
    if output_padding is not None:
        output_padding = _ntuple(output_padding, rank, "output_padding")
    crops = []
    for i in range(rank):
        extent = (weight.shape[2 + i] - 1) * dilation[i] + 1
        before, after = _transpose_pads(
            weight.shape[2 + i],
            strides[i],
            dilation[i],
            padding,
            None if output_padding is None else output_padding[i],
        )
        crops.append((extent - 1 - before, extent - 1 - after))
    # Torch crops ``p`` cells from both ends of the full output and then adds ``q`` cells at the
    # end (zeros beyond the full output): that is a crop of (p, p - q) with 0 <= q < stride.
    if all(0 <= a and 0 <= a - b < max(s, d) for (a, b), s, d in zip(crops, strides, dilation)):
        pad = tuple(a for a, _ in crops)
        extra = tuple(a - b for a, b in crops)
        out = _CONV_TRANSPOSE[rank](x, weight, None, strides, pad, extra, 1, dilation)
    else:
        out = _CONV_TRANSPOSE[rank](x, weight, None, strides, 0, 0, 1, dilation)
        flat = []
        for before, after in reversed(crops):
            flat += [-before, -after]
        out = F.pad(out, flat)  # negative pads crop, positive ones add zeros
    return out.movedim(1, -1) if channels_last else out


def _pool_args(x, pool_size, strides, what):
    rank = _spatial_rank(x, what)
    pool_size = _ntuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _ntuple(strides, rank, "strides")
    return rank, pool_size, strides


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of ``pool_size`` moved by ``strides`` (``pool_size`` when
    None); ``"same"`` padding (TensorFlow's rule) never lets a padded cell win."""
    x, channels_last = _channels_first(convert_to_tensor(inputs), data_format)
    rank, pool_size, strides = _pool_args(x, pool_size, strides, "max_pool")
    ones = (1,) * rank
    x, pad = _pad_for_torch(x, pool_size, strides, ones, _check_padding(padding), -float("inf"))
    out = _MAX_POOL[rank](x, pool_size, strides, pad)
    return out.movedim(1, -1) if channels_last else out


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over windows of ``pool_size`` moved by ``strides`` (``pool_size`` when
    None). With ``"same"`` padding each mean is over the window's real cells only (padded
    cells are not counted), as TensorFlow computes it."""
    x, channels_last = _channels_first(convert_to_tensor(inputs), data_format)
    rank, pool_size, strides = _pool_args(x, pool_size, strides, "average_pool")
    padding = _check_padding(padding)
    padded, pad = _pad_for_torch(x, pool_size, strides, (1,) * rank, padding)
    out = _AVG_POOL[rank](padded, pool_size, strides, pad, False, pad == 0)
    if padded is not x:
        # Uneven padding was added by hand, so torch counted the padded cells: rescale each
        # mean by (window size / real cells), found by pooling a ones image the same way.
        ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=out.dtype, device=out.device)
        ones = _pad_for_torch(ones, pool_size, strides, (1,) * rank, padding)[0]
        share = _AVG_POOL[rank](ones, pool_size, strides, 0, False, True)
        out = out / share
    return out.movedim(1, -1) if channels_last else out


_ADAPTIVE_AVG_POOL = {
    1: F.adaptive_avg_pool1d,
    2: F.adaptive_avg_pool2d,
    3: F.adaptive_avg_pool3d,
}
_ADAPTIVE_MAX_POOL = {
    1: F.adaptive_max_pool1d,
    2: F.adaptive_max_pool2d,
    3: F.adaptive_max_pool3d,
}


def _adaptive_pool(pools, inputs, output_size, data_format, what):
    x, channels_last = _channels_first(convert_to_tensor(inputs), data_format)
    rank = _spatial_rank(x, what)
    out = pools[rank](x, _ntuple(output_size, rank, "output_size"))
    return out.movedim(1, -1) if channels_last else out


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed spatial ``output_size`` (an int or one int per spatial
    axis): output cell ``i`` of an axis of size ``n`` averages input cells
    ``floor(i * n / out)`` to ``ceil((i + 1) * n / out)``."""
    return _adaptive_pool(
        _ADAPTIVE_AVG_POOL, inputs, output_size, data_format, "adaptive_average_pool"
    )


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed spatial ``output_size`` (an int or one int per spatial axis),
    over the same windows as ``adaptive_average_pool``."""
    return _adaptive_pool(_ADAPTIVE_MAX_POOL, inputs, output_size, data_format, "adaptive_max_pool")


# ---- normalization -------------------------------------------------------------------------


def _raw(x):
    """The tensor behind a Variable (or None)."""
    return getattr(x, "_value", x)


def _statistics_dtype(x):
    # Statistics of half-precision inputs are computed in float32, as Keras does.
    return torch.float32 if x.dtype in (torch.float16, torch.bfloat16) else x.dtype


def moments(x, axes, keepdims=False, synchronized=False):
    """The mean and the biased variance of ``x`` over ``axes`` (half precision inputs are
    reduced in float32 and the results cast back)."""
    if synchronized:
        raise NotImplementedError("Argument synchronized=True is not supported with PyTorch.")
    x = convert_to_tensor(x)
    original = x.dtype
    x = x.to(_statistics_dtype(x))
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=keepdims)
    if original != x.dtype:
        limit = torch.finfo(original).max
        mean = torch.clamp(mean, -limit, limit).to(original)
        variance = torch.clamp(variance, -limit, limit).to(original)
    return mean, variance


def _per_channel(v, shape):
    return None if v is None else convert_to_tensor(_raw(v)).reshape(shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) * rsqrt(variance + epsilon) * scale + offset``, with the 1-D statistics
    laid along ``axis`` of ``x``."""
    x = convert_to_tensor(x)
    shape = [1] * x.ndim
    shape[axis] = -1
    if axis % x.ndim == x.ndim - 1:
        shape = [-1]  # the statistics broadcast along the last axis as they are
    mean = _per_channel(mean, shape)
    factor = torch.rsqrt(_per_channel(variance, shape) + epsilon)
    if scale is not None:
        factor = factor * _per_channel(scale, shape)
    out = (x - mean) * factor
    return out if offset is None else out + _per_channel(offset, shape)


def fused_batch_normalization(
    x,
    scale,
    offset,
    moving_mean,
    moving_variance,
    axis=-1,
    momentum=0.99,
    epsilon=1e-3,
    training=False,
):
    """Batch normalization in one fused kernel, with Keras's numbers.

    In training the output uses the batch's mean and biased variance, and the moving
    statistics (Variables or tensors, updated in place without a graph) become
    ``moving * momentum + batch * (1 - momentum)``, the batch variance being the biased one.
    Nothing is updated while shapes are inferred on placeholder tensors. In inference the
    moving statistics normalize (elementwise arithmetic, faster there than the kernel on
    CPU). ``scale`` and ``offset`` may be None.
    """
    from cornu.backend.torch.core import in_symbolic_run

    x = convert_to_tensor(x)
    axis = axis % x.ndim
    running_mean, running_var = _raw(moving_mean), _raw(moving_variance)
    scale, offset = _raw(scale), _raw(offset)
    channels = x.shape[axis] if x.ndim else 1
    count = x.numel() // max(channels, 1)
    dtype = _statistics_dtype(x)
    if not training or x.ndim < 2 or count < 2 or running_mean.dtype != dtype or epsilon <= 0:
        # Inference, and what the kernel does not cover (a single value per channel,
        # statistics of another dtype, epsilon 0): the same formulas, step by step.
        if training:
            axes = [a for a in range(x.ndim) if a != axis]
            mean, variance = moments(x.to(dtype), axes)
            if not in_symbolic_run():
                with torch.no_grad():
                    running_mean.mul_(momentum).add_(
                        mean.to(running_mean.dtype), alpha=1 - momentum
                    )
                    running_var.mul_(momentum).add_(
                        variance.to(running_var.dtype), alpha=1 - momentum
                    )
        else:
            mean, variance = running_mean.to(dtype), running_var.to(dtype)
        out = batch_normalization(x.to(dtype), mean, variance, axis, offset, scale, epsilon)
        return out.to(x.dtype)
    moved = x.to(dtype)
    if axis != 1:
        moved = moved.movedim(axis, 1)
    if in_symbolic_run():
        out = F.batch_norm(moved, None, None, scale, offset, True, 0.0, epsilon)
    else:
        # Torch's kernel moves the running variance towards the UNBIASED batch variance; Keras
        # moves it towards the biased one. The kernel updates copies (autograd keeps them for
        # the backward pass, so they must not change afterwards), the variance's copy scaled
        # by n / (n - 1) before and back after: exactly Keras's update.
        correction = count / (count - 1)
        with torch.no_grad():
            new_mean = running_mean.detach().clone()
            new_var = running_var.detach() * correction
        out = F.batch_norm(moved, new_mean, new_var, scale, offset, True, 1.0 - momentum, epsilon)
        with torch.no_grad():
            running_mean.copy_(new_mean)
            running_var.copy_(new_var / correction)
    if axis != 1:
        out = out.movedim(1, axis)
    return out.to(x.dtype)


def _trailing_axes(axes, ndim):
    """True when ``axes`` (sorted, non-negative) are the last ``len(axes)`` axes."""
    return list(axes) == list(range(ndim - len(axes), ndim))


def _sorted_axes(axis, ndim):
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return sorted(a % ndim for a in axes)


def _broadcast_weight(v, x, axes):
    if v is None:
        return None
    v = convert_to_tensor(_raw(v)).to(x.dtype)
    if v.ndim == x.ndim:
        return v
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    return v.reshape(shape)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, rms_scaling=False):
    """Normalizes each sample over ``axis`` (an int or a list of axes):
    ``(x - mean) * rsqrt(variance + epsilon) * gamma + beta``.

    ``rms_scaling=True`` is Keras's deprecated variant ``x * rsqrt(variance + epsilon) *
    gamma`` (the variance, not the mean square). Half precision is computed in float32.
    """
    x = convert_to_tensor(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = x.to(_statistics_dtype(x))
    axes = _sorted_axes(axis, x.ndim)
    if rms_scaling:
        variance = torch.var(x, dim=axes, correction=0, keepdim=True)
        out = x * torch.rsqrt(variance + epsilon)
        if gamma is not None:
            out = out * _broadcast_weight(gamma, x, axes)
    elif _trailing_axes(axes, x.ndim):
        normalized = tuple(x.shape[a] for a in axes)
        weight = None if gamma is None else convert_to_tensor(_raw(gamma)).to(x.dtype)
        bias = None if beta is None else convert_to_tensor(_raw(beta)).to(x.dtype)
        if weight is not None:
            weight = weight.reshape(normalized)
        if bias is not None:
            bias = bias.reshape(normalized)
        out = F.layer_norm(x, normalized, weight, bias, epsilon)
    else:
        mean, variance = moments(x, axes, keepdims=True)
        factor = torch.rsqrt(variance + epsilon)
        if gamma is not None:
            factor = factor * _broadcast_weight(gamma, x, axes)
        out = (x - mean) * factor
        if beta is not None:
            out = out + _broadcast_weight(beta, x, axes)
    return out.to(original)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x * rsqrt(mean(x ** 2 over axis) + epsilon) * scale`` (half precision computed in
    float32)."""
    x = convert_to_tensor(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = x.to(_statistics_dtype(x))
    axes = _sorted_axes(axis, x.ndim)
    if _trailing_axes(axes, x.ndim):
        normalized = tuple(x.shape[a] for a in axes)
        weight = None if scale is None else convert_to_tensor(_raw(scale)).to(x.dtype)
        if weight is not None:
            weight = weight.reshape(normalized)
        out = F.rms_norm(x, normalized, weight, epsilon)
    else:
        out = x * torch.rsqrt(torch.mean(torch.square(x), dim=axes, keepdim=True) + epsilon)
        if scale is not None:
            out = out * _broadcast_weight(scale, x, axes)
    return out.to(original)


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm over ``axis``. For ``order=2`` it is Keras's
    ``x * min(rsqrt(sum(x ** 2)), 1 / epsilon)``; otherwise ``x / max(norm, epsilon)``."""
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = convert_to_tensor(x)
    if x.ndim == 0:
        x = x.reshape(1)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    dims = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    if order == 2:
        inverse = torch.rsqrt(torch.sum(torch.square(x), dim=dims, keepdim=True))
        # 1 / epsilon as a tensor of x's dtype: inf in float16 (where 1e12 does not fit),
        # so half-precision inputs are normalized instead of raising.
        limit = torch.tensor(1.0 / epsilon, dtype=inverse.dtype, device=inverse.device)
        return x * torch.minimum(inverse, limit)
    norm = torch.linalg.vector_norm(x, ord=order, dim=dims, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


# ---- upsampling ------------------------------------------------------------------------------

_UPSAMPLING_MODES = {1: "linear", 2: "bilinear", 3: "trilinear"}


def upsample(inputs, size, interpolation="nearest", data_format=None):
    """Upsamples the spatial axes of ``inputs`` by the integer factors ``size`` (one per
    spatial axis). ``"nearest"`` repeats each cell; ``"bilinear"`` and ``"bicubic"``
    interpolate with half-pixel centers (torch's ``align_corners=False``, what Keras's
    ``image.resize`` does on torch, without antialiasing)."""
    x, channels_last = _channels_first(convert_to_tensor(inputs), data_format)
    rank = x.ndim - 2
    size = _ntuple(size, rank, "size")
    if interpolation == "nearest":
        for i, factor in enumerate(size):
            if factor != 1:
                x = torch.repeat_interleave(x, factor, dim=2 + i)
        return x.movedim(1, -1) if channels_last else x
    if interpolation in ("bilinear", "linear", "trilinear"):
        mode = _UPSAMPLING_MODES[rank]
    elif interpolation == "bicubic" and rank == 2:
        mode = "bicubic"
    else:
        raise ValueError(
            f"Unsupported `interpolation` for {rank}-D upsampling on torch: {interpolation!r}. "
            "Expected 'nearest' or 'bilinear' (or 'bicubic' for 2-D)."
        )
    original = x.dtype
    if not x.is_floating_point():
        x = x.float()
    out_size = tuple(int(d) * f for d, f in zip(x.shape[2:], size))
    out = F.interpolate(x, size=out_size, mode=mode, align_corners=False).to(original)
    return out.movedim(1, -1) if channels_last else out


def _large_negative(dtype):
    # Keras's additive mask value on torch: 0.7 times the largest float of the dtype's range
    # (65500 for float16, bfloat16/float32's otherwise), so that adding scores cannot overflow.
    largest = 65500.0 if dtype == torch.float16 else 3.38953e38
    return torch.tensor(-0.7 * largest, dtype=dtype)


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention ``softmax(q k^T * scale + bias) v`` on torch's fused kernel.

    Args:
        query: ``(B, T, N, H)``.
        key, value: ``(B, S, K, H)``; ``N`` a multiple of ``K`` (grouped-query attention
            when ``K < N``).
        bias: added to the logits, broadcastable to ``(B, N, T, S)``.
        mask: boolean, broadcastable to ``(B, N, T, S)``; False excludes a position. A row
            that excludes every position averages all values (as Keras on torch).
        scale: the logits' factor, ``1 / sqrt(H)`` when None.
        is_causal: whether position ``t`` may only attend to positions ``<= t``.
        flash_attention: True to require torch's flash kernel (an error when it cannot run),
            False to exclude it, None to let torch choose.
        attn_logits_soft_cap: not supported on torch (an error unless None).

    Returns the attention output, ``(B, T, N, H)``.
    """
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "attn_logits_soft_cap is only supported for JAX on TPU. "
            "Set attn_logits_soft_cap=None when not using JAX on TPU."
        )
    query, key, value = (convert_to_tensor(x) for x in (query, key, value))
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. Received: "
            f"query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
            f"value.shape={tuple(value.shape)}."
        )
    if bias is not None and mask is not None:
        raise ValueError("Only one of `bias` and `mask` can be provided. Received both.")
    dtype = torch.promote_types(torch.promote_types(query.dtype, key.dtype), value.dtype)
    if not dtype.is_floating_point:
        dtype = torch.get_default_dtype()
    query, key, value = (x.to(dtype) for x in (query, key, value))
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads != kv_heads:
        if kv_heads == 0 or heads % kv_heads:
            raise ValueError(
                "The number of query heads must be a multiple of the number of key/value "
                f"heads. Received: query.shape={tuple(query.shape)}, key.shape="
                f"{tuple(key.shape)}"
            )
        key = torch.repeat_interleave(key, heads // kv_heads, dim=2)
        value = torch.repeat_interleave(value, heads // kv_heads, dim=2)
    attn_mask = None
    if mask is not None:
        mask = convert_to_tensor(mask, "bool").to(query.device)
        if is_causal:  # torch takes either a mask or is_causal: fold the causal one in
            causal = torch.ones(query.shape[1], key.shape[1], dtype=torch.bool)
            mask = mask & torch.tril(causal.to(query.device))
            is_causal = False
        attn_mask = torch.where(mask, torch.zeros((), dtype=dtype), _large_negative(dtype))
    elif bias is not None:
        attn_mask = convert_to_tensor(bias).to(dtype)
    q, k, v = (x.transpose(1, 2).contiguous() for x in (query, key, value))
    if attn_mask is not None:
        attn_mask = attn_mask.to(q.device).contiguous()
    if flash_attention:
        from torch.nn.attention import SDPBackend, sdpa_kernel

        try:
            with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
                out = F.scaled_dot_product_attention(
                    q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale
                )
        except RuntimeError as error:
            raise RuntimeError(
                "Flash attention is not supported with the provided inputs (it needs a CUDA "
                f"device, float16/bfloat16 tensors and no mask): {error}"
            ) from None
    elif flash_attention is False:
        from torch.nn.attention import SDPBackend, sdpa_kernel

        others = [SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH, SDPBackend.CUDNN_ATTENTION]
        with sdpa_kernel(others):
            out = F.scaled_dot_product_attention(
                q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale
            )
    else:
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale
        )
    return out.transpose(1, 2)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding: 1 at every class index found in each row of ``inputs``.

    ``inputs`` of shape ``(batch, n)`` gives ``(batch, num_classes)``; a 1-D ``inputs`` gives
    ``(num_classes,)``. ``num_tokens`` is accepted as the old name of ``num_classes``.
    """
    if num_classes is None and "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"`multi_hot` got unexpected arguments: {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("`multi_hot` needs `num_classes`. Received: num_classes=None")
    if sparse:
        raise ValueError("`multi_hot` has no sparse output on the torch backend: use sparse=False")
    x = convert_to_tensor(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    return torch.amax(one_hot(x, num_classes, axis=axis, dtype=dtype), dim=reduction_axis)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mse(x1, x2))`` over all
    elements, in dB."""
    x1 = convert_to_tensor(x1)
    x2 = convert_to_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            "`psnr` expects inputs of the same shape. "
            f"Received: x1.shape={tuple(x1.shape)}, x2.shape={tuple(x2.shape)}"
        )
    max_val = convert_to_tensor(max_val, dtype=x1.dtype)
    mse = torch.mean((x1 - x2) ** 2)
    return 20 * torch.log10(max_val) - 10 * torch.log10(mse)


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + i sin(angle))`` (both inputs floats)."""
    abs_ = convert_to_tensor(abs_)
    angle = convert_to_tensor(angle)
    if not abs_.is_floating_point() or not angle.is_floating_point():
        raise ValueError(
            "`polar` expects float `abs_` and `angle`. "
            f"Received: abs_ of dtype {abs_.dtype}, angle of dtype {angle.dtype}"
        )
    real = abs_ * torch.cos(angle)
    imaginary = abs_ * torch.sin(angle)
    if real.shape != imaginary.shape:
        raise ValueError(
            "`polar` expects `abs_` and `angle` of the same shape. "
            f"Received: {tuple(abs_.shape)} and {tuple(angle.shape)}"
        )
    return torch.complex(real, imaginary)


def _check_block(x, block_size, op):
    x = convert_to_tensor(x)
    if not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"`{op}` expects `block_size` >= 2. Received: block_size={block_size!r}")
    if x.ndim != 4:
        raise ValueError(
            f"`{op}` expects a 4-D input (batch, height, width, channels). "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return x


def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves ``block_size ** 2`` groups of channels into ``block_size x block_size`` spatial
    blocks: ``(N, H, W, C)`` -> ``(N, H * b, W * b, C / b**2)`` (as TensorFlow's op)."""
    x = _check_block(x, block_size, "depth_to_space")
    b = block_size
    if standardize_data_format(data_format) == "channels_last":
        n, h, w, c = x.shape
        if c % (b * b):
            raise ValueError(
                f"`depth_to_space` expects channels divisible by block_size**2 = {b * b}. "
                f"Received: input with shape {tuple(x.shape)}"
            )
        x = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    if c % (b * b):
        raise ValueError(
            f"`depth_to_space` expects channels divisible by block_size**2 = {b * b}. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    x = x.reshape(n, c // (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves ``block_size x block_size`` spatial blocks into channels:
    ``(N, H, W, C)`` -> ``(N, H / b, W / b, C * b**2)`` (as TensorFlow's op)."""
    x = _check_block(x, block_size, "space_to_depth")
    b = block_size
    channels_last = standardize_data_format(data_format) == "channels_last"
    h, w = (x.shape[1], x.shape[2]) if channels_last else (x.shape[2], x.shape[3])
    if h % b or w % b:
        raise ValueError(
            f"`space_to_depth` expects height and width divisible by block_size={b}. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    if channels_last:
        n, _, _, c = x.shape
        x = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, _, _ = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).permute(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding ``kernel_size`` blocks of a channels-first image batch ``(N, C, H, W)`` as
    columns: ``(N, C * kh * kw, L)`` with ``L`` the number of block positions (im2col)."""
    x = convert_to_tensor(x)
    if x.ndim != 4:
        raise ValueError(
            f"`unfold` expects a 4-D input (N, C, H, W). Received: input.shape={tuple(x.shape)}"
        )
    return F.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The inverse of ``unfold`` (col2im): sums the blocks of ``x`` ``(N, C * kh * kw, L)``
    into an image batch ``(N, C, *output_size)``; overlapping cells add up."""
    x = convert_to_tensor(x)
    if x.ndim != 3:
        raise ValueError(
            "`fold` expects a 3-D input (N, C * kh * kw, L). "
            f"Received: input.shape={tuple(x.shape)}"
        )
    return F.fold(x, output_size, kernel_size, dilation=dilation, padding=padding, stride=stride)
