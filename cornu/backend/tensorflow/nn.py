"""Neural-network operations on TensorFlow tensors: activations, one-hot, cross-entropies,
normalization and resampling, with Keras's formulas and cornu-on-torch's dtypes."""

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor, to_tf_dtype
from cornu.backend.tensorflow.ctc import ctc_decode, ctc_loss  # noqa: F401  (bound as nn.*)
from cornu.backend.tensorflow.nn_conv import (  # noqa: F401  (bound as nn.*)
    adaptive_average_pool,
    adaptive_max_pool,
    average_pool,
    channels_last,
    conv,
    conv_transpose,
    depthwise_conv,
    max_pool,
    moveaxis,
    restore,
    separable_conv,
)
from cornu.backend.tensorflow.nn_extra import (  # noqa: F401  (bound as nn.*)
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
from cornu.core.conv_args import ntuple
from cornu.core.dtypes import result_type
from cornu.core.resize_weights import interpolation_weights


def is_float(x):
    return x.dtype.is_floating or x.dtype.is_complex


def float_input(x):
    """``x`` as a tensor; integer and boolean ones become ``floatx()``."""
    x = convert_to_tensor(x)
    return x if is_float(x) else tf.cast(x, to_tf_dtype(floatx()))


def _as(x, like):
    return x if x.dtype == like.dtype else tf.cast(x, like.dtype)


def _same(fn, name, doc):
    def op(x):
        x = float_input(x)
        return _as(fn(x), x)

    op.__name__ = name
    op.__doc__ = doc
    return op


def relu(x):
    """``max(x, 0)``. Its gradient is a selection, so an infinite upstream gradient gives 0
    where the input is not positive."""
    return tf.nn.relu(convert_to_tensor(x))


def relu6(x):
    """``min(max(x, 0), 6)``."""
    x = convert_to_tensor(x)
    return tf.clip_by_value(x, tf.cast(0, x.dtype), tf.cast(6, x.dtype))


sigmoid = _same(tf.math.sigmoid, "sigmoid", "``1 / (1 + exp(-x))``.")
tanh = _same(tf.math.tanh, "tanh", "The hyperbolic tangent.")


def softsign(input):
    """``x / (1 + |x|)``."""
    x = float_input(input)
    return x / (1 + tf.abs(x))


def softplus(x):
    """``log(1 + exp(x))``, computed stably."""
    return tf.math.softplus(float_input(x))


def silu(x):
    """``x * sigmoid(x)``."""
    x = float_input(x)
    return x * tf.math.sigmoid(x)


swish = silu


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably."""
    return tf.math.log_sigmoid(float_input(x))


def elu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""
    x = float_input(x)
    return tf.where(x > 0, x, _as(alpha * tf.math.expm1(tf.minimum(x, 0)), x))


def selu(x):
    """Scaled ELU with the self-normalizing constants."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    x = float_input(x)
    return _as(scale * elu(x, alpha), x)


def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, ``negative_slope * x`` elsewhere."""
    x = float_input(x)
    return tf.where(x >= 0, x, _as(negative_slope * x, x))


def celu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x / alpha) - 1)`` elsewhere."""
    x = float_input(x)
    negative = alpha * tf.math.expm1(tf.minimum(x, 0) / alpha)
    return tf.where(x > 0, x, _as(negative, x))


def gelu(x, approximate=True):
    """Gaussian error linear unit (the tanh approximation when ``approximate``)."""
    x = float_input(x)
    return _as(tf.nn.gelu(x, approximate=bool(approximate)), x)


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``."""
    x = float_input(x)
    return tf.clip_by_value(x + 3, tf.cast(0, x.dtype), tf.cast(6, x.dtype)) / 6


def hard_silu(x):
    """``x * hard_sigmoid(x)``."""
    x = float_input(x)
    return x * hard_sigmoid(x)


def mish(x):
    """``x * tanh(softplus(x))``."""
    x = float_input(x)
    return x * tf.math.tanh(tf.math.softplus(x))


def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    x = float_input(x)
    return tf.clip_by_value(x, tf.cast(-1, x.dtype), tf.cast(1, x.dtype))


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    x = float_input(x)
    return tf.where(tf.abs(x) > threshold, x, tf.zeros_like(x))


def soft_shrink(x, threshold=0.5):
    """``x`` moved ``threshold`` towards 0, and 0 where ``|x| <= threshold``."""
    x = float_input(x)
    zero = tf.zeros_like(x)
    return tf.where(x > threshold, x - threshold, tf.where(x < -threshold, x + threshold, zero))


def tanh_shrink(x):
    """``x - tanh(x)``."""
    x = float_input(x)
    return x - tf.math.tanh(x)


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    x = float_input(x)
    return tf.where(x > threshold, x, tf.cast(default_value, x.dtype))


def squareplus(x, b=4):
    """``(x + sqrt(x ** 2 + b)) / 2``."""
    x = float_input(x)
    return (x + tf.sqrt(x * x + tf.cast(b, x.dtype))) / 2


def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1) ** 2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    x = float_input(x)
    return tf.where(x <= -1, tf.zeros_like(x), tf.where(x < 1, 0.25 * tf.square(x + 1), x))


def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``."""
    x = float_input(x)
    return tf.clip_by_value(0.5 * (x + 1), tf.cast(0, x.dtype), tf.cast(1, x.dtype))


def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)`` for the two halves of ``x`` along ``axis``."""
    x = float_input(x)
    if x.shape[axis] is not None and x.shape[axis] % 2:
        raise ValueError(
            f"axis size must be divisible by 2. Received: x.shape={tuple(x.shape)} with axis={axis}"
        )
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.math.sigmoid(b)


def softmax(x, axis=-1):
    """Softmax along ``axis`` (a tuple of axes is treated as one)."""
    x = float_input(x)
    if isinstance(axis, (tuple, list)):
        shifted = x - tf.stop_gradient(tf.reduce_max(x, axis=axis, keepdims=True))
        e = tf.exp(shifted)
        return e / tf.reduce_sum(e, axis=axis, keepdims=True)
    return tf.nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Log-softmax along ``axis``."""
    x = float_input(x)
    if isinstance(axis, (tuple, list)):
        shifted = x - tf.stop_gradient(tf.reduce_max(x, axis=axis, keepdims=True))
        return shifted - tf.math.log(tf.reduce_sum(tf.exp(shifted), axis=axis, keepdims=True))
    return tf.nn.log_softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    """Euclidean projection of ``x`` onto the probability simplex along ``axis``."""
    x = float_input(x)
    ranked = tf.sort(x, axis=axis, direction="DESCENDING")
    cumulative = tf.cumsum(ranked, axis=axis)
    rank = x.shape.rank
    shape = [1] * rank
    shape[axis] = -1
    k = tf.reshape(tf.range(1, tf.shape(x)[axis] + 1), shape)
    support = ranked - (cumulative - 1) / tf.cast(k, x.dtype) > 0
    size = tf.reduce_sum(tf.cast(support, x.dtype), axis=axis, keepdims=True)
    total = tf.reduce_sum(
        tf.where(support, cumulative, tf.zeros_like(cumulative)), axis=axis, keepdims=True
    )
    return tf.maximum(x - (total - 1) / size, tf.zeros_like(x))


def one_hot(x, num_classes, axis=-1, dtype=None):
    """One-hot encoding of integer ``x`` (negative or too large indices give zeros)."""
    x = tf.cast(convert_to_tensor(x), tf.int32)
    dtype = to_tf_dtype(dtype or floatx())
    if dtype == tf.bool:  # tf.one_hot has no boolean kernel
        out = tf.one_hot(x, int(num_classes), on_value=True, off_value=False)
    else:
        out = tf.one_hot(x, int(num_classes), dtype=dtype)
    if axis != -1:
        out = moveaxis(out, -1, axis)
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
        raise ValueError(
            "`multi_hot` has no sparse output on the TensorFlow backend: use sparse=False"
        )
    x = convert_to_tensor(inputs)
    reduction_axis = 1 if x.shape.rank > 1 else 0
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype)
    if encoded.dtype == tf.bool:
        return tf.reduce_any(encoded, axis=reduction_axis)
    return tf.reduce_max(encoded, axis=reduction_axis)


# ---- losses --------------------------------------------------------------------------------


def _probabilities_to_log(output, axis):
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    eps = _default_epsilon()
    return tf.math.log(tf.clip_by_value(output, eps, 1.0 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) ``target`` and ``output`` along ``axis``."""
    target, output = convert_to_tensor(target), float_input(output)
    if target.shape.rank != output.shape.rank or not target.shape.is_compatible_with(output.shape):
        raise ValueError(
            "`target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    log_prob = log_softmax(output, axis) if from_logits else _probabilities_to_log(output, axis)
    return -tf.reduce_sum(_as(target, output) * log_prob, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer class ``target`` and ``output`` along ``axis``."""
    target, output = convert_to_tensor(target), float_input(output)
    if target.shape.rank == output.shape.rank and target.shape[-1] == 1:
        target = tf.squeeze(target, axis=-1)
    log_prob = log_softmax(output, axis) if from_logits else _probabilities_to_log(output, axis)
    rank = log_prob.shape.rank
    last = moveaxis(log_prob, axis, -1)
    index = tf.cast(target, tf.int32)[..., None]
    return -tf.gather(last, index, axis=-1, batch_dims=rank - 1)[..., 0]


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy between ``target`` in [0, 1] and ``output``."""
    output = float_input(output)
    target = _as(convert_to_tensor(target), output)
    if from_logits:
        return tf.nn.relu(output) - output * target + tf.math.log1p(tf.exp(-tf.abs(output)))
    eps = _default_epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -(target * tf.math.log(output) + (1 - target) * tf.math.log(1 - output))


def dense(inputs, kernel, bias=None):
    """``inputs @ kernel + bias`` over the last axis (dtypes promoted as Keras's ``matmul``:
    integer inputs by float32 weights give float32)."""
    kernel, inputs = convert_to_tensor(kernel), convert_to_tensor(inputs)
    if inputs.dtype != kernel.dtype:
        dtype = to_tf_dtype(result_type(inputs.dtype.name, kernel.dtype.name))
        inputs, kernel = tf.cast(inputs, dtype), tf.cast(kernel, dtype)
    if inputs.shape.rank == 2 and kernel.shape.rank == 2:
        out = tf.matmul(inputs, kernel)
    else:
        out = tf.tensordot(inputs, kernel, [[inputs.shape.rank - 1], [0]])
    return out if bias is None else out + _as(convert_to_tensor(bias), out)


# ---- normalization -------------------------------------------------------------------------


def _statistics_dtype(x):
    return tf.float32 if x.dtype in (tf.float16, tf.bfloat16) else x.dtype


def _axes(axes, rank):
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    return tuple(sorted(int(a) % rank for a in axes))


def moments(x, axes, keepdims=False, synchronized=False):
    """The mean and the biased variance of ``x`` over ``axes`` (half precision inputs are
    reduced in float32 and the results cast back)."""
    if synchronized:
        raise NotImplementedError(
            "Argument synchronized=True is not supported on the TensorFlow backend."
        )
    x = float_input(x)
    original = x.dtype
    x = tf.cast(x, _statistics_dtype(x))
    axes = _axes(axes, x.shape.rank)
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    variance = tf.reduce_mean(tf.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = tf.squeeze(mean, axis=axes)
    if original != x.dtype:
        limit = original.max
        mean = tf.cast(tf.clip_by_value(mean, -limit, limit), original)
        variance = tf.cast(tf.clip_by_value(variance, -limit, limit), original)
    return mean, variance


def _per_channel(v, shape, dtype):
    return None if v is None else tf.reshape(tf.cast(convert_to_tensor(v), dtype), shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) * rsqrt(variance + epsilon) * scale + offset``, the 1-D statistics laid
    along ``axis`` of ``x``."""
    x = float_input(x)
    shape = [1] * x.shape.rank
    shape[axis] = -1
    factor = tf.math.rsqrt(_per_channel(variance, shape, x.dtype) + epsilon)
    if scale is not None:
        factor = factor * _per_channel(scale, shape, x.dtype)
    out = (x - _per_channel(mean, shape, x.dtype)) * factor
    if offset is not None:
        out = out + _per_channel(offset, shape, x.dtype)
    return out


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
    rank = x.shape.rank
    axis = axis % rank if rank else 0
    dtype = _statistics_dtype(x)
    running_mean = tf.cast(convert_to_tensor(moving_mean), dtype)
    running_var = tf.cast(convert_to_tensor(moving_variance), dtype)
    if training:
        axes = [a for a in range(rank) if a != axis]
        mean, variance = moments(tf.cast(x, dtype), axes)
        for variable, old, new in (
            (moving_mean, running_mean, mean),
            (moving_variance, running_var, variance),
        ):
            if hasattr(variable, "assign"):
                variable.assign(old * momentum + tf.stop_gradient(new) * (1 - momentum))
    else:
        mean, variance = running_mean, running_var
    out = batch_normalization(tf.cast(x, dtype), mean, variance, axis, offset, scale, epsilon)
    return _as(out, x)


def _broadcast_weight(v, x, axes):
    if v is None:
        return None
    v = _as(convert_to_tensor(v), x)
    if v.shape.rank == x.shape.rank:
        return v
    shape = [1] * x.shape.rank
    for a in axes:
        shape[a] = -1 if x.shape[a] is None else x.shape[a]
    return tf.reshape(v, shape)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, rms_scaling=False):
    """Normalizes each sample over ``axis``: ``(x - mean) * rsqrt(variance + epsilon) * gamma
    + beta`` (``rms_scaling=True``: Keras's ``x * rsqrt(variance + epsilon) * gamma``)."""
    x = float_input(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = tf.cast(x, _statistics_dtype(x))
    axes = _axes(axis, x.shape.rank)
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    variance = tf.reduce_mean(tf.square(x - mean), axis=axes, keepdims=True)
    if rms_scaling:
        out = x * tf.math.rsqrt(variance + epsilon)
        if gamma is not None:
            out = out * _broadcast_weight(gamma, x, axes)
    else:
        factor = tf.math.rsqrt(variance + epsilon)
        if gamma is not None:
            factor = factor * _broadcast_weight(gamma, x, axes)
        out = (x - mean) * factor
        if beta is not None:
            out = out + _broadcast_weight(beta, x, axes)
    return tf.cast(out, original)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x * rsqrt(mean(x ** 2 over axis) + epsilon) * scale``."""
    x = float_input(x)
    epsilon = _default_epsilon() if epsilon is None else epsilon
    original = x.dtype
    x = tf.cast(x, _statistics_dtype(x))
    axes = _axes(axis, x.shape.rank)
    out = x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * _broadcast_weight(scale, x, axes)
    return tf.cast(out, original)


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm over ``axis``. For ``order=2`` it is Keras's
    ``x * min(rsqrt(sum(x ** 2)), 1 / epsilon)``; otherwise ``x / max(norm, epsilon)``."""
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = float_input(x)
    if x.shape.rank == 0:
        x = tf.reshape(x, (1,))
    epsilon = _default_epsilon() if epsilon is None else epsilon
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    if order == 2:
        inverse = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axes, keepdims=True))
        return x * tf.minimum(inverse, tf.cast(1.0 / epsilon, x.dtype))
    norm = tf.reduce_sum(tf.abs(x) ** order, axis=axes, keepdims=True) ** (1.0 / order)
    return x / tf.maximum(norm, tf.cast(epsilon, x.dtype))


# ---- upsampling ----------------------------------------------------------------------------


def upsample(inputs, size, interpolation="nearest", data_format=None):
    """Upsamples the spatial axes by the integer factors ``size``; ``"nearest"`` repeats each
    cell, ``"bilinear"`` and ``"bicubic"`` interpolate with half-pixel centers (torch's
    ``align_corners=False``, no antialiasing)."""
    x, was_first = channels_last(convert_to_tensor(inputs), data_format)
    rank = x.shape.rank - 2
    size = ntuple(size, rank, "size")
    if interpolation == "nearest":
        for i, factor in enumerate(size):
            if factor != 1:
                x = tf.repeat(x, factor, axis=1 + i)
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
        weights = interpolation_weights(n, n * factor, interpolation)
        weights = tf.constant(weights.astype(x.dtype.as_numpy_dtype))
        x = moveaxis(tf.tensordot(x, weights, axes=[[1 + i], [0]]), -1, 1 + i)
    return restore(tf.cast(x, original), was_first)
