"""Neural-network operations on jax arrays: activations, one-hot, cross-entropies,
normalization, attention and resampling, with Keras's formulas and cornu-on-torch's dtypes."""

import jax
import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import convert_to_tensor, to_jax_dtype
from cornu.backend.jax.ctc import ctc_decode, ctc_loss  # noqa: F401  (bound as nn.*)
from cornu.backend.jax.nn_conv import (  # noqa: F401  (bound as nn.*)
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
)
from cornu.backend.jax.nn_extra import (  # noqa: F401  (bound as nn.*)
    depth_to_space,
    dot_product_attention,
    fold,
    polar,
    psnr,
    space_to_depth,
    unfold,
)
from cornu.core.config import epsilon as _default_epsilon
from cornu.core.config import floatx
from cornu.core.dtypes import result_type
from cornu.core.resize_weights import interpolation_weights


def is_float(x):
    return jnp.issubdtype(x.dtype, jnp.inexact)


def float_input(x):
    """``x`` as a tensor; integer and boolean ones become ``floatx()``."""
    x = convert_to_tensor(x)
    return x if is_float(x) else x.astype(to_jax_dtype(floatx()))


def _same(fn, doc):
    def op(x):
        x = float_input(x)
        return fn(x).astype(x.dtype)

    op.__name__ = fn.__name__
    op.__doc__ = doc
    return op


def relu(x):
    """``max(x, 0)``. Its gradient is a selection (as ``jax.nn.relu``'s, which Keras uses),
    so an infinite upstream gradient (a float16 overflow under loss scaling) gives 0 where the
    input is not positive, not ``inf * 0 = nan``."""
    return jax.nn.relu(convert_to_tensor(x))


def relu6(x):
    """``min(max(x, 0), 6)``."""
    x = convert_to_tensor(x)
    return jnp.clip(x, 0, 6).astype(x.dtype)


sigmoid = _same(jax.nn.sigmoid, "``1 / (1 + exp(-x))``.")
tanh = _same(jnp.tanh, "The hyperbolic tangent.")


def softsign(input):
    """``x / (1 + |x|)``."""
    x = float_input(input)
    return (x / (1 + jnp.abs(x))).astype(x.dtype)


def softplus(x):
    """``log(1 + exp(x))``, computed stably."""
    x = float_input(x)
    return jnp.logaddexp(x, jnp.zeros((), x.dtype)).astype(x.dtype)


def silu(x):
    """``x * sigmoid(x)``."""
    x = float_input(x)
    return (x * jax.nn.sigmoid(x)).astype(x.dtype)


swish = silu


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably."""
    x = float_input(x)
    return (-jnp.logaddexp(-x, jnp.zeros((), x.dtype))).astype(x.dtype)


def elu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""
    x = float_input(x)
    return jnp.where(x > 0, x, alpha * jnp.expm1(jnp.minimum(x, 0))).astype(x.dtype)


def selu(x):
    """Scaled ELU with the self-normalizing constants."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    x = float_input(x)
    return (scale * elu(x, alpha)).astype(x.dtype)


def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, ``negative_slope * x`` elsewhere."""
    x = float_input(x)
    return jnp.where(x >= 0, x, negative_slope * x).astype(x.dtype)


def celu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x / alpha) - 1)`` elsewhere."""
    x = float_input(x)
    negative = alpha * jnp.expm1(jnp.minimum(x, 0) / alpha)
    return jnp.where(x > 0, x, negative).astype(x.dtype)


def gelu(x, approximate=True):
    """Gaussian error linear unit (the tanh approximation when ``approximate``)."""
    x = float_input(x)
    return jax.nn.gelu(x, approximate=bool(approximate)).astype(x.dtype)


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``."""
    x = float_input(x)
    return (jnp.clip(x + 3, 0, 6) / 6).astype(x.dtype)


def hard_silu(x):
    """``x * hard_sigmoid(x)``."""
    x = float_input(x)
    return (x * hard_sigmoid(x)).astype(x.dtype)


def mish(x):
    """``x * tanh(softplus(x))``."""
    x = float_input(x)
    return (x * jnp.tanh(softplus(x))).astype(x.dtype)


def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    x = float_input(x)
    return jnp.clip(x, -1, 1).astype(x.dtype)


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    x = float_input(x)
    return jnp.where(jnp.abs(x) > threshold, x, 0).astype(x.dtype)


def soft_shrink(x, threshold=0.5):
    """``x`` moved ``threshold`` towards 0, and 0 where ``|x| <= threshold``."""
    x = float_input(x)
    out = jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0))
    return out.astype(x.dtype)


def tanh_shrink(x):
    """``x - tanh(x)``."""
    x = float_input(x)
    return (x - jnp.tanh(x)).astype(x.dtype)


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    x = float_input(x)
    return jnp.where(x > threshold, x, default_value).astype(x.dtype)


def squareplus(x, b=4):
    """``(x + sqrt(x ** 2 + b)) / 2``."""
    x = float_input(x)
    return ((x + jnp.sqrt(x * x + b)) / 2).astype(x.dtype)


def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1) ** 2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    x = float_input(x)
    out = jnp.where(x <= -1, 0, jnp.where(x < 1, 0.25 * (x + 1) ** 2, x))
    return out.astype(x.dtype)


def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``."""
    x = float_input(x)
    return jnp.clip(0.5 * (x + 1), 0, 1).astype(x.dtype)


def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)`` for the two halves of ``x`` along ``axis``."""
    x = float_input(x)
    if x.shape[axis] % 2:
        raise ValueError(
            f"axis size must be divisible by 2. Received: x.shape={x.shape} with axis={axis}"
        )
    a, b = jnp.split(x, 2, axis=axis)
    return (a * jax.nn.sigmoid(b)).astype(x.dtype)


def _over_axes(x, axes, fn):
    axes = sorted(a % x.ndim for a in axes)
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = jnp.transpose(x, rest + axes)
    flat = moved.reshape(moved.shape[: len(rest)] + (-1,))
    out = fn(flat, axis=-1).reshape(moved.shape)
    return jnp.transpose(out, tuple(np.argsort(rest + axes)))


def softmax(x, axis=-1):
    """Softmax along ``axis`` (a tuple of axes is treated as one)."""
    x = float_input(x)
    if isinstance(axis, (tuple, list)):
        return _over_axes(x, axis, softmax)
    return jax.nn.softmax(x, axis=axis).astype(x.dtype)


def log_softmax(x, axis=-1):
    """Log-softmax along ``axis``."""
    x = float_input(x)
    if isinstance(axis, (tuple, list)):
        return _over_axes(x, axis, log_softmax)
    return jax.nn.log_softmax(x, axis=axis).astype(x.dtype)


def sparsemax(x, axis=-1):
    """Euclidean projection of ``x`` onto the probability simplex along ``axis``."""
    x = float_input(x)
    ranked = -jnp.sort(-x, axis=axis)
    cumulative = jnp.cumsum(ranked, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    k = jnp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
    support = ranked - (cumulative - 1) / k > 0
    size = jnp.sum(support, axis=axis, keepdims=True)
    total = jnp.sum(jnp.where(support, cumulative, 0), axis=axis, keepdims=True)
    return jnp.maximum(x - (total - 1) / size, 0).astype(x.dtype)


def one_hot(x, num_classes, axis=-1, dtype=None):
    """One-hot encoding of integer ``x`` (negative or too large indices give zeros)."""
    x = convert_to_tensor(x).astype(jnp.int32)
    out = (x[..., None] == jnp.arange(num_classes)).astype(to_jax_dtype(dtype or floatx()))
    if axis != -1:
        out = jnp.moveaxis(out, -1, axis)
    return out


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding: 1 at every class index found in each row of ``inputs``
    (``num_tokens`` is accepted as the old name of ``num_classes``)."""
    if num_classes is None and "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"`multi_hot` got unexpected arguments: {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("`multi_hot` needs `num_classes`. Received: num_classes=None")
    if sparse:
        raise ValueError("`multi_hot` has no sparse output on the JAX backend: use sparse=False")
    x = convert_to_tensor(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    return jnp.max(one_hot(x, num_classes, axis=axis, dtype=dtype), axis=reduction_axis)


# ---- losses --------------------------------------------------------------------------------


def _probabilities_to_log(output, axis):
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    eps = _default_epsilon()
    return jnp.log(jnp.clip(output, eps, 1.0 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) ``target`` and ``output`` along ``axis``."""
    target, output = convert_to_tensor(target), float_input(output)
    if target.shape != output.shape:
        raise ValueError(
            "`target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    log_prob = log_softmax(output, axis) if from_logits else _probabilities_to_log(output, axis)
    return (-jnp.sum(target * log_prob, axis=axis)).astype(output.dtype)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer class ``target`` and ``output`` along ``axis``."""
    target, output = convert_to_tensor(target), float_input(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    log_prob = log_softmax(output, axis) if from_logits else _probabilities_to_log(output, axis)
    index = jnp.expand_dims(target.astype(jnp.int32), axis)
    picked = jnp.take_along_axis(log_prob, index, axis=axis)
    return (-jnp.squeeze(picked, axis)).astype(output.dtype)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy between ``target`` in [0, 1] and ``output``."""
    output = float_input(output)
    target = convert_to_tensor(target).astype(output.dtype)
    if from_logits:
        out = jnp.maximum(output, 0) - output * target + jnp.log1p(jnp.exp(-jnp.abs(output)))
        return out.astype(output.dtype)
    eps = _default_epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    out = -(target * jnp.log(output) + (1 - target) * jnp.log(1 - output))
    return out.astype(output.dtype)


def dense(inputs, kernel, bias=None):
    """``inputs @ kernel + bias`` over the last axis (dtypes promoted as Keras's ``matmul``:
    integer inputs by float32 weights give float32)."""
    kernel, inputs = convert_to_tensor(kernel), convert_to_tensor(inputs)
    if inputs.dtype != kernel.dtype:
        dtype = to_jax_dtype(result_type(inputs.dtype.name, kernel.dtype.name))
        inputs, kernel = inputs.astype(dtype), kernel.astype(dtype)
    out = jnp.matmul(inputs, kernel)
    return out if bias is None else out + convert_to_tensor(bias)


# ---- normalization -------------------------------------------------------------------------


def _statistics_dtype(x):
    if x.dtype in (jnp.float16, jnp.bfloat16):
        return jnp.dtype(jnp.float32)
    return x.dtype


def moments(x, axes, keepdims=False, synchronized=False):
    """The mean and the biased variance of ``x`` over ``axes`` (half precision inputs are
    reduced in float32 and the results cast back)."""
    if synchronized:
        raise NotImplementedError("Argument synchronized=True is not supported with JAX.")
    x = float_input(x)
    original = x.dtype
    x = x.astype(_statistics_dtype(x))
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = jnp.squeeze(mean, axis=axes)
    if original != x.dtype:
        limit = jnp.finfo(original).max
        mean = jnp.clip(mean, -limit, limit).astype(original)
        variance = jnp.clip(variance, -limit, limit).astype(original)
    return mean, variance


def _per_channel(v, shape):
    return None if v is None else jnp.reshape(convert_to_tensor(v), shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) * rsqrt(variance + epsilon) * scale + offset``, the 1-D statistics laid
    along ``axis`` of ``x``."""
    x = float_input(x)
    shape = [1] * x.ndim
    shape[axis] = -1
    factor = jax.lax.rsqrt(_per_channel(variance, shape) + epsilon)
    if scale is not None:
        factor = factor * _per_channel(scale, shape)
    out = (x - _per_channel(mean, shape)) * factor
    if offset is not None:
        out = out + _per_channel(offset, shape)
    return out.astype(x.dtype)


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
    """Batch normalization with Keras's numbers. In training the batch statistics (mean and
    biased variance) normalize and the moving ones (Variables) become ``moving * momentum +
    batch * (1 - momentum)``; in inference the moving ones normalize."""
    x = float_input(x)
    axis = axis % x.ndim if x.ndim else 0
    dtype = _statistics_dtype(x)
    running_mean = convert_to_tensor(moving_mean).astype(dtype)
    running_var = convert_to_tensor(moving_variance).astype(dtype)
    if training:
        axes = [a for a in range(x.ndim) if a != axis]
        mean, variance = moments(x.astype(dtype), axes)
        for variable, old, new in (
            (moving_mean, running_mean, mean),
            (moving_variance, running_var, variance),
        ):
            if hasattr(variable, "assign"):
                moved = old * momentum + jax.lax.stop_gradient(new) * (1 - momentum)
                variable.assign(moved)
    else:
        mean, variance = running_mean, running_var
    out = batch_normalization(x.astype(dtype), mean, variance, axis, offset, scale, epsilon)
    return out.astype(x.dtype)


def _sorted_axes(axis, ndim):
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return sorted(a % ndim for a in axes)


def _broadcast_weight(v, x, axes):
    if v is None:
        return None
    v = convert_to_tensor(v).astype(x.dtype)
    if v.ndim == x.ndim:
        return v
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    return v.reshape(shape)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, rms_scaling=False):
    """Normalizes each sample over ``axis``: ``(x - mean) * rsqrt(variance + epsilon) * gamma
    + beta`` (``rms_scaling=True``: Keras's ``x * rsqrt(variance + epsilon) * gamma``)."""
    x = float_input(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = x.astype(_statistics_dtype(x))
    axes = tuple(_sorted_axes(axis, x.ndim))
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
    if rms_scaling:
        out = x * jax.lax.rsqrt(variance + epsilon)
        if gamma is not None:
            out = out * _broadcast_weight(gamma, x, axes)
    else:
        factor = jax.lax.rsqrt(variance + epsilon)
        if gamma is not None:
            factor = factor * _broadcast_weight(gamma, x, axes)
        out = (x - mean) * factor
        if beta is not None:
            out = out + _broadcast_weight(beta, x, axes)
    return out.astype(original)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x * rsqrt(mean(x ** 2 over axis) + epsilon) * scale``."""
    x = float_input(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = x.astype(_statistics_dtype(x))
    axes = tuple(_sorted_axes(axis, x.ndim))
    out = x * jax.lax.rsqrt(jnp.mean(jnp.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * _broadcast_weight(scale, x, axes)
    return out.astype(original)


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm over ``axis``. For ``order=2`` it is Keras's
    ``x * min(rsqrt(sum(x ** 2)), 1 / epsilon)``; otherwise ``x / max(norm, epsilon)``."""
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = float_input(x)
    if x.ndim == 0:
        x = x.reshape(1)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    if order == 2:
        inverse = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axes, keepdims=True))
        return (x * jnp.minimum(inverse, 1.0 / epsilon)).astype(x.dtype)
    norm = jnp.sum(jnp.abs(x) ** order, axis=axes, keepdims=True) ** (1.0 / order)
    return (x / jnp.maximum(norm, epsilon)).astype(x.dtype)


# ---- upsampling ----------------------------------------------------------------------------


def upsample(inputs, size, interpolation="nearest", data_format=None):
    """Upsamples the spatial axes by the integer factors ``size``; ``"nearest"`` repeats each
    cell, ``"bilinear"`` and ``"bicubic"`` interpolate with half-pixel centers (torch's
    ``align_corners=False``, no antialiasing)."""
    x, was_first = channels_last(convert_to_tensor(inputs), data_format)
    rank = x.ndim - 2
    size = ntuple(size, rank, "size")
    if interpolation == "nearest":
        for i, factor in enumerate(size):
            if factor != 1:
                x = jnp.repeat(x, factor, axis=1 + i)
        return restore(x, was_first)
    if interpolation in ("linear", "trilinear"):
        interpolation = "bilinear"
    if interpolation not in ("bilinear", "bicubic") or (interpolation == "bicubic" and rank != 2):
        raise ValueError(
            f"Unsupported `interpolation` for {rank}-D upsampling: {interpolation!r}. "
            "Expected 'nearest' or 'bilinear' (or 'bicubic' for 2-D)."
        )
    original = x.dtype
    x = float_input(x)
    for i, factor in enumerate(size):
        n = x.shape[1 + i]
        weights = jnp.asarray(interpolation_weights(n, n * factor, interpolation), x.dtype)
        x = jnp.moveaxis(jnp.tensordot(x, weights, axes=([1 + i], [0])), -1, 1 + i)
    return restore(x.astype(original), was_first)
