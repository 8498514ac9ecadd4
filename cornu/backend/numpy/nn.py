"""Neural-network operations on NumPy arrays, with Keras's formulas and names."""

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor, to_numpy_dtype
from cornu.backend.numpy.ctc import ctc_decode, ctc_loss  # noqa: F401  (bound as nn.*)
from cornu.backend.numpy.nn_conv import (  # noqa: F401  (bound as nn.*)
    adaptive_average_pool,
    adaptive_max_pool,
    average_pool,
    channels_last,
    conv,
    conv_transpose,
    depthwise_conv,
    max_pool,
    ntuple,
    restore,
    separable_conv,
    windows,
)
from cornu.core.config import epsilon as _default_epsilon
from cornu.core.config import floatx, standardize_data_format
from cornu.core.conv_args import pair as _pair
from cornu.core.dtypes import result_type
from cornu.core.resize_weights import interpolation_weights


def _x(x):
    x = convert_to_tensor(x)
    if x.dtype.kind not in "fc" and x.dtype.name != "bfloat16":
        x = x.astype(to_numpy_dtype(floatx()))
    return x


def _same(fn):
    def op(x):
        x = _x(x)
        with np.errstate(over="ignore"):
            return np.asarray(fn(x)).astype(x.dtype, copy=False)

    op.__name__ = fn.__name__
    return op


def relu(x):
    """``max(x, 0)``."""
    x = convert_to_tensor(x)
    return np.maximum(x, np.zeros((), dtype=x.dtype))


def relu6(x):
    """``min(max(x, 0), 6)``."""
    x = convert_to_tensor(x)
    return np.clip(x, 0, 6).astype(x.dtype, copy=False)


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


sigmoid = _same(_sigmoid)
sigmoid.__doc__ = "``1 / (1 + exp(-x))``."
tanh = _same(np.tanh)
tanh.__doc__ = "The hyperbolic tangent."


def softsign(input):
    """``x / (1 + |x|)``."""
    x = _x(input)
    return (x / (1 + np.abs(x))).astype(x.dtype, copy=False)


def softplus(x):
    """``log(1 + exp(x))``, computed stably."""
    x = _x(x)
    return np.logaddexp(x, np.zeros((), x.dtype)).astype(x.dtype, copy=False)


def silu(x):
    """``x * sigmoid(x)``."""
    x = _x(x)
    return (x * sigmoid(x)).astype(x.dtype, copy=False)


swish = silu


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably."""
    x = _x(x)
    return (-np.logaddexp(-x, np.zeros((), x.dtype))).astype(x.dtype, copy=False)


def selu(x):
    """Scaled ELU with the self-normalizing constants."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return (scale * elu(x, alpha)).astype(_x(x).dtype, copy=False)


def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, ``negative_slope * x`` elsewhere."""
    x = _x(x)
    return np.where(x >= 0, x, negative_slope * x).astype(x.dtype, copy=False)


def elu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""
    x = _x(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


def celu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x / alpha) - 1)`` elsewhere."""
    x = _x(x)
    neg = alpha * np.expm1(np.minimum(x, 0) / alpha)
    return np.where(x > 0, x, neg).astype(x.dtype, copy=False)


def _erf(x):
    try:
        from scipy.special import erf
    except ImportError:  # pragma: no cover - SciPy is optional
        erf = np.vectorize(__import__("math").erf, otypes=[np.float64])
    return erf(x)


def gelu(x, approximate=True):
    """Gaussian error linear unit (the tanh approximation when ``approximate``)."""
    x = _x(x)
    if approximate:
        c = np.sqrt(2 / np.pi)
        out = 0.5 * x * (1 + np.tanh(c * (x + 0.044715 * x**3)))
    else:
        out = 0.5 * x * (1 + _erf(x / np.sqrt(2)))
    return out.astype(x.dtype, copy=False)


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``."""
    x = _x(x)
    return (np.clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False)


def hard_silu(x):
    """``x * hard_sigmoid(x)``."""
    x = _x(x)
    return (x * hard_sigmoid(x)).astype(x.dtype, copy=False)


def mish(x):
    """``x * tanh(softplus(x))``."""
    x = _x(x)
    return (x * np.tanh(softplus(x))).astype(x.dtype, copy=False)


def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    x = _x(x)
    return np.clip(x, -1, 1).astype(x.dtype, copy=False)


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    x = _x(x)
    return np.where(np.abs(x) > threshold, x, 0).astype(x.dtype, copy=False)


def soft_shrink(x, threshold=0.5):
    """``x`` moved ``threshold`` towards 0, and 0 where ``|x| <= threshold``."""
    x = _x(x)
    out = np.where(x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0))
    return out.astype(x.dtype, copy=False)


def tanh_shrink(x):
    """``x - tanh(x)``."""
    x = _x(x)
    return (x - np.tanh(x)).astype(x.dtype, copy=False)


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    x = _x(x)
    return np.where(x > threshold, x, default_value).astype(x.dtype, copy=False)


def squareplus(x, b=4):
    """``(x + sqrt(x ** 2 + b)) / 2``."""
    x = _x(x)
    return ((x + np.sqrt(x * x + b)) / 2).astype(x.dtype, copy=False)


def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1) ** 2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    x = _x(x)
    out = np.where(x <= -1, 0, np.where(x < 1, 0.25 * (x + 1) ** 2, x))
    return out.astype(x.dtype, copy=False)


def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``."""
    x = _x(x)
    return np.clip(0.5 * (x + 1), 0, 1).astype(x.dtype, copy=False)


def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)`` for the two halves of ``x`` along ``axis``."""
    x = _x(x)
    if x.shape[axis] % 2:
        raise ValueError(
            f"axis size must be divisible by 2. Received: x.shape={x.shape} with axis={axis}"
        )
    a, b = np.split(x, 2, axis=axis)
    return (a * sigmoid(b)).astype(x.dtype, copy=False)


def _over_axes(x, axes, fn):
    axes = sorted(a % x.ndim for a in axes)
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = np.transpose(x, rest + axes)
    flat = moved.reshape(moved.shape[: len(rest)] + (-1,))
    out = fn(flat, axis=-1).reshape(moved.shape)
    return np.transpose(out, np.argsort(rest + axes))


def softmax(x, axis=-1):
    """Softmax along ``axis`` (a tuple of axes is treated as one)."""
    x = _x(x)
    if isinstance(axis, (tuple, list)):
        return _over_axes(x, axis, softmax)
    exp = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return (exp / np.sum(exp, axis=axis, keepdims=True)).astype(x.dtype, copy=False)


def log_softmax(x, axis=-1):
    """Log-softmax along ``axis``."""
    x = _x(x)
    if isinstance(axis, (tuple, list)):
        return _over_axes(x, axis, log_softmax)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return out.astype(x.dtype, copy=False)


def sparsemax(x, axis=-1):
    """Euclidean projection of ``x`` onto the probability simplex along ``axis``."""
    x = _x(x)
    ranked = -np.sort(-x, axis=axis)
    cumulative = np.cumsum(ranked, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    k = np.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
    support = ranked - (cumulative - 1) / k > 0
    size = np.sum(support, axis=axis, keepdims=True)
    total = np.sum(np.where(support, cumulative, 0), axis=axis, keepdims=True)
    return np.maximum(x - (total - 1) / size, 0).astype(x.dtype, copy=False)


def one_hot(x, num_classes, axis=-1, dtype=None):
    """One-hot encoding of integer ``x`` (negative or too large indices give zeros)."""
    x = np.asarray(convert_to_tensor(x), dtype=np.int64)
    out = (x[..., None] == np.arange(num_classes)).astype(to_numpy_dtype(dtype or floatx()))
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return out


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding: 1 at every class index found in each row of ``inputs``."""
    if num_classes is None and "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"`multi_hot` got unexpected arguments: {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("`multi_hot` needs `num_classes`. Received: num_classes=None")
    if sparse:
        raise ValueError("`multi_hot` has no sparse output on the NumPy backend: use sparse=False")
    x = convert_to_tensor(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    return np.max(one_hot(x, num_classes, axis=axis, dtype=dtype), axis=reduction_axis)


def _probabilities_to_log(output, axis):
    output = output / np.sum(output, axis=axis, keepdims=True)
    eps = _default_epsilon()
    return np.log(np.clip(output, eps, 1.0 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) ``target`` and ``output`` along ``axis``."""
    target, output = convert_to_tensor(target), _x(output)
    if target.shape != output.shape:
        raise ValueError(
            "`target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    log_prob = log_softmax(output, axis) if from_logits else _probabilities_to_log(output, axis)
    return (-np.sum(target * log_prob, axis=axis)).astype(output.dtype, copy=False)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer class ``target`` and ``output`` along ``axis``."""
    target, output = convert_to_tensor(target), _x(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = np.squeeze(target, axis=-1)
    log_prob = log_softmax(output, axis) if from_logits else _probabilities_to_log(output, axis)
    index = np.expand_dims(np.asarray(target, dtype=np.int64), axis)
    picked = np.take_along_axis(log_prob, index, axis=axis)
    return (-np.squeeze(picked, axis)).astype(output.dtype, copy=False)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy between ``target`` in [0, 1] and ``output``."""
    output = _x(output)
    target = convert_to_tensor(target).astype(output.dtype, copy=False)
    if from_logits:
        out = np.maximum(output, 0) - output * target + np.log1p(np.exp(-np.abs(output)))
        return out.astype(output.dtype, copy=False)
    eps = _default_epsilon()
    output = np.clip(output, eps, 1.0 - eps)
    out = -(target * np.log(output) + (1 - target) * np.log(1 - output))
    return out.astype(output.dtype, copy=False)


def dense(inputs, kernel, bias=None):
    """``inputs @ kernel + bias`` over the last axis."""
    kernel, inputs = convert_to_tensor(kernel), convert_to_tensor(inputs)
    if inputs.dtype != kernel.dtype:
        # As Keras's `matmul` then `add`: the dtypes are promoted (integer or uint8 inputs by
        # float32 weights give float32, where NumPy alone would give float64).
        inputs = inputs.astype(to_numpy_dtype(result_type(inputs.dtype.name, kernel.dtype.name)))
        kernel = kernel.astype(inputs.dtype, copy=False)
    out = np.matmul(inputs, kernel)
    return out if bias is None else out + convert_to_tensor(bias)


# ---- normalization -------------------------------------------------------------------------


def _statistics_dtype(x):
    return np.dtype(np.float32) if x.dtype.itemsize < 4 and x.dtype.kind == "f" else x.dtype


def moments(x, axes, keepdims=False, synchronized=False):
    """The mean and the biased variance of ``x`` over ``axes`` (half precision inputs are
    reduced in float32 and the results cast back)."""
    if synchronized:
        raise NotImplementedError(
            "Argument synchronized=True is not supported on the NumPy backend (one process)."
        )
    x = _x(x)
    original = x.dtype
    x = x.astype(_statistics_dtype(x), copy=False)
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    mean = np.mean(x, axis=axes, keepdims=True)
    variance = np.mean(np.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = np.squeeze(mean, axis=axes)
    if original != x.dtype:
        limit = np.finfo(original).max
        mean = np.clip(mean, -limit, limit).astype(original)
        variance = np.clip(variance, -limit, limit).astype(original)
    return np.asarray(mean), np.asarray(variance)


def _per_channel(v, shape):
    return None if v is None else np.reshape(convert_to_tensor(v), shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset`` along ``axis``."""
    x = _x(x)
    shape = [1] * x.ndim
    shape[axis] = -1
    factor = 1 / np.sqrt(_per_channel(variance, shape) + epsilon)
    if scale is not None:
        factor = factor * _per_channel(scale, shape)
    out = (x - _per_channel(mean, shape)) * factor
    if offset is not None:
        out = out + _per_channel(offset, shape)
    return out.astype(x.dtype, copy=False)


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
    """Batch normalization with Keras's numbers. In training the batch statistics normalize
    and the moving ones (Variables) move towards them; in inference the moving ones do."""
    from_variables = hasattr(moving_mean, "assign")
    x = _x(x)
    axis = axis % x.ndim if x.ndim else 0
    dtype = _statistics_dtype(x)
    running_mean = convert_to_tensor(moving_mean).astype(dtype)
    running_var = convert_to_tensor(moving_variance).astype(dtype)
    if training:
        axes = [a for a in range(x.ndim) if a != axis]
        mean, variance = moments(x.astype(dtype), axes)
        if from_variables:
            moving_mean.assign(running_mean * momentum + mean * (1 - momentum))
            moving_variance.assign(running_var * momentum + variance * (1 - momentum))
    else:
        mean, variance = running_mean, running_var
    out = batch_normalization(x.astype(dtype), mean, variance, axis, offset, scale, epsilon)
    return out.astype(x.dtype, copy=False)


def _sorted_axes(axis, ndim):
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return sorted(a % ndim for a in axes)


def _broadcast_weight(v, x, axes):
    if v is None:
        return None
    v = convert_to_tensor(v).astype(x.dtype, copy=False)
    if v.ndim == x.ndim:
        return v
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    return v.reshape(shape)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, rms_scaling=False):
    """Normalizes each sample over ``axis``: ``(x - mean) / sqrt(variance + epsilon) * gamma
    + beta`` (``rms_scaling=True``: Keras's ``x / sqrt(variance + epsilon) * gamma``)."""
    x = _x(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = x.astype(_statistics_dtype(x), copy=False)
    axes = tuple(_sorted_axes(axis, x.ndim))
    mean, variance = moments(x, axes, keepdims=True)
    if rms_scaling:
        out = x / np.sqrt(variance + epsilon)
        if gamma is not None:
            out = out * _broadcast_weight(gamma, x, axes)
    else:
        factor = 1 / np.sqrt(variance + epsilon)
        if gamma is not None:
            factor = factor * _broadcast_weight(gamma, x, axes)
        out = (x - mean) * factor
        if beta is not None:
            out = out + _broadcast_weight(beta, x, axes)
    return out.astype(original, copy=False)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x / sqrt(mean(x ** 2 over axis) + epsilon) * scale``."""
    x = _x(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = x.astype(_statistics_dtype(x), copy=False)
    axes = tuple(_sorted_axes(axis, x.ndim))
    out = x / np.sqrt(np.mean(np.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * _broadcast_weight(scale, x, axes)
    return out.astype(original, copy=False)


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm over ``axis`` (Keras's formulas)."""
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = _x(x)
    if x.ndim == 0:
        x = x.reshape(1)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    if order == 2:
        with np.errstate(divide="ignore"):
            inverse = 1 / np.sqrt(np.sum(np.square(x), axis=axes, keepdims=True))
        return (x * np.minimum(inverse, 1.0 / epsilon)).astype(x.dtype, copy=False)
    norm = np.sum(np.abs(x) ** order, axis=axes, keepdims=True) ** (1.0 / order)
    return (x / np.maximum(norm, epsilon)).astype(x.dtype, copy=False)


# ---- attention, resampling, misc -----------------------------------------------------------


def upsample(inputs, size, interpolation="nearest", data_format=None):
    """Upsamples the spatial axes by the integer factors ``size``; ``"nearest"`` repeats each
    cell, ``"bilinear"`` and ``"bicubic"`` interpolate with half-pixel centers (torch's
    ``align_corners=False``, no antialiasing)."""
    x, was_first = channels_last(convert_to_tensor(inputs), data_format)
    rank = x.ndim - 2
    size = ntuple(size, rank, "size")
    if interpolation == "nearest":
        for i, factor in enumerate(size):
            x = np.repeat(x, factor, axis=1 + i)
        return restore(x, was_first)
    if interpolation in ("linear", "trilinear"):
        interpolation = "bilinear"
    if interpolation not in ("bilinear", "bicubic"):
        raise ValueError(
            f"Unsupported `interpolation` for upsampling: {interpolation!r}. Expected "
            "'nearest', 'bilinear' or 'bicubic'."
        )
    original = x.dtype
    x = _x(x)
    for i, factor in enumerate(size):
        n = x.shape[1 + i]
        weights = interpolation_weights(n, n * factor, interpolation).astype(x.dtype)
        x = np.moveaxis(np.tensordot(x, weights, axes=([1 + i], [0])), -1, 1 + i)
    return restore(x.astype(original, copy=False), was_first)


def _large_negative(dtype):
    largest = 65500.0 if dtype == np.float16 else 3.38953e38
    return np.asarray(-0.7 * largest, dtype=dtype)


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
    """Scaled dot-product attention ``softmax(q k^T * scale + bias) v``.

    ``query`` is ``(B, T, N, H)``, ``key`` and ``value`` ``(B, S, K, H)`` (``N`` a multiple of
    ``K``); ``mask`` is boolean, broadcastable to ``(B, N, T, S)`` (False excludes a position);
    returns ``(B, T, N, H)``.
    """
    if flash_attention:
        raise ValueError("Flash attention is not supported on the NumPy backend.")
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "attn_logits_soft_cap is only supported for JAX on TPU. "
            "Set attn_logits_soft_cap=None when not using JAX on TPU."
        )
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. Received: "
            f"query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
            f"value.shape={tuple(value.shape)}."
        )
    if bias is not None and mask is not None:
        raise ValueError("Only one of `bias` and `mask` can be provided. Received both.")
    dtype = np.result_type(query.dtype, key.dtype, value.dtype)
    if dtype.kind != "f":
        dtype = to_numpy_dtype(floatx())
    query, key, value = (t.astype(dtype, copy=False) for t in (query, key, value))
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads != kv_heads:
        if kv_heads == 0 or heads % kv_heads:
            raise ValueError(
                "The number of query heads must be a multiple of the number of key/value "
                f"heads. Received: query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}"
            )
        key = np.repeat(key, heads // kv_heads, axis=2)
        value = np.repeat(value, heads // kv_heads, axis=2)
    scale = 1.0 / np.sqrt(query.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", query, key) * np.asarray(scale, dtype)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).astype(dtype)
    if is_causal:
        causal = np.tril(np.ones((query.shape[1], key.shape[1]), dtype=bool))
        mask = causal if mask is None else np.logical_and(convert_to_tensor(mask, "bool"), causal)
    if mask is not None:
        logits = np.where(convert_to_tensor(mask, "bool"), logits, _large_negative(dtype))
    weights = softmax(logits.astype(dtype, copy=False), axis=-1)
    return np.einsum("bnts,bsnh->btnh", weights, value).astype(dtype, copy=False)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mse(x1, x2))``, in dB."""
    x1, x2 = _x(x1), _x(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            "`psnr` expects inputs of the same shape. "
            f"Received: x1.shape={tuple(x1.shape)}, x2.shape={tuple(x2.shape)}"
        )
    max_val = np.asarray(max_val, dtype=x1.dtype)
    mse = np.mean((x1 - x2) ** 2)
    return np.asarray(20 * np.log10(max_val) - 10 * np.log10(mse), dtype=x1.dtype)


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + i sin(angle))`` (both inputs floats)."""
    abs_, angle = convert_to_tensor(abs_), convert_to_tensor(angle)
    if abs_.dtype.kind != "f" or angle.dtype.kind != "f":
        raise ValueError(
            "`polar` expects float `abs_` and `angle`. "
            f"Received: abs_ of dtype {abs_.dtype}, angle of dtype {angle.dtype}"
        )
    if abs_.shape != angle.shape:
        raise ValueError(
            "`polar` expects `abs_` and `angle` of the same shape. "
            f"Received: {tuple(abs_.shape)} and {tuple(angle.shape)}"
        )
    complex_dtype = np.complex128 if abs_.dtype == np.float64 else np.complex64
    return (abs_ * np.exp(1j * angle)).astype(complex_dtype)


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
    """``(N, H, W, C)`` -> ``(N, H * b, W * b, C / b**2)`` (as TensorFlow's op)."""
    x = _check_block(x, block_size, "depth_to_space")
    b = block_size
    first = standardize_data_format(data_format) == "channels_first"
    if first:
        x = np.moveaxis(x, 1, -1)
    n, h, w, c = x.shape
    if c % (b * b):
        raise ValueError(
            f"`depth_to_space` expects channels divisible by block_size**2 = {b * b}. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    if first:
        x = x.reshape(n, h, w, c // (b * b), b, b).transpose(0, 1, 4, 2, 5, 3)
    else:
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
    x = x.reshape(n, h * b, w * b, c // (b * b))
    return np.moveaxis(x, -1, 1) if first else x


def space_to_depth(x, block_size, data_format="channels_last"):
    """``(N, H, W, C)`` -> ``(N, H / b, W / b, C * b**2)`` (as TensorFlow's op)."""
    x = _check_block(x, block_size, "space_to_depth")
    b = block_size
    first = standardize_data_format(data_format) == "channels_first"
    if first:
        x = np.moveaxis(x, 1, -1)
    n, h, w, c = x.shape
    if h % b or w % b:
        raise ValueError(
            f"`space_to_depth` expects height and width divisible by block_size={b}. "
            f"Received: input with shape {tuple(np.moveaxis(x, -1, 1).shape if first else x.shape)}"
        )
    x = x.reshape(n, h // b, b, w // b, b, c)
    x = x.transpose(0, 1, 3, 5, 2, 4) if first else x.transpose(0, 1, 3, 2, 4, 5)
    x = x.reshape(n, h // b, w // b, c * b * b)
    return np.moveaxis(x, -1, 1) if first else x


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of ``(N, C, H, W)`` as columns ``(N, C * kh * kw, L)`` (im2col)."""
    x = convert_to_tensor(x)
    if x.ndim != 4:
        raise ValueError(
            f"`unfold` expects a 4-D input (N, C, H, W). Received: input.shape={tuple(x.shape)}"
        )
    k, d, p, s = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    x = np.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    patches = windows(np.moveaxis(x, 1, -1), k, s, d)  # (N, oh, ow, C, kh, kw)
    n, oh, ow = patches.shape[:3]
    return patches.transpose(0, 3, 4, 5, 1, 2).reshape(n, -1, oh * ow)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The inverse of ``unfold`` (col2im): overlapping cells add up."""
    x = convert_to_tensor(x)
    if x.ndim != 3:
        raise ValueError(
            "`fold` expects a 3-D input (N, C * kh * kw, L). "
            f"Received: input.shape={tuple(x.shape)}"
        )
    k, d, p, s = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    h, w = _pair(output_size)
    n = x.shape[0]
    c = x.shape[1] // (k[0] * k[1])
    oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    blocks = x.reshape(n, c, k[0], k[1], oh, ow)
    out = np.zeros((n, c, h + 2 * p[0], w + 2 * p[1]), dtype=x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + s[0] * oh, s[0])
            cols = slice(j * d[1], j * d[1] + s[1] * ow, s[1])
            out[:, :, rows, cols] += blocks[:, :, i, j]
    return out[:, :, p[0] : p[0] + h, p[1] : p[1] + w]
