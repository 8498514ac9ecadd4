"""Activation functions, element-wise (or along one axis) on tensors, as Keras defines them.

The common ones call their op directly; a list or NumPy array is converted only when the op
refuses it, so a tensor pays nothing extra.
"""

from cornu import ops
from cornu.ops import convert_to_tensor


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: ``max(x, 0)`` with the default arguments.

    Args:
        x: input tensor.
        negative_slope: slope for values below ``threshold`` (0 sets them to 0).
        max_value: the largest value returned; None for no upper bound.
        threshold: values at or below it are damped (``negative_slope``) or zeroed.

    Returns:
        A tensor of the shape and dtype of ``x``.
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        try:
            return ops.relu(x)
        except TypeError:
            return ops.relu(convert_to_tensor(x))
    return _parametric_relu(convert_to_tensor(x), negative_slope, max_value, threshold)


def _parametric_relu(x, negative_slope, max_value, threshold):
    if negative_slope != 0.0 and max_value is None and threshold == 0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    if threshold != 0:
        out = ops.where(ops.greater(x, threshold), x, ops.zeros_like(x))
    elif max_value == 6:
        out, max_value = ops.relu6(x), None
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.clip(out, 0.0, max_value)
    if negative_slope != 0.0:
        out = out - negative_slope * ops.relu(threshold - x)
    return out


def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Args:
        x: input tensor.
        negative_slope: slope of the negative part.
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """``min(max(x, 0), 6)``."""
    return ops.relu6(x)


def sigmoid(x):
    """``1 / (1 + exp(-x))``, in (0, 1)."""
    try:
        return ops.sigmoid(x)
    except TypeError:
        return ops.sigmoid(convert_to_tensor(x))


def tanh(x):
    """Hyperbolic tangent, ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``."""
    try:
        return ops.tanh(x)
    except TypeError:
        return ops.tanh(convert_to_tensor(x))


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis``: each slice becomes a probability distribution.

    Args:
        x: input tensor (logits).
        axis: the axis (or tuple of axes) normalised over.
    """
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """``log(softmax(x))`` along ``axis``, computed stably.

    Args:
        x: input tensor (logits).
        axis: the axis normalised over.
    """
    return ops.log_softmax(x, axis=axis)


def softplus(x):
    """``log(exp(x) + 1)``."""
    return ops.softplus(x)


def softsign(x):
    """``x / (abs(x) + 1)``."""
    try:
        return ops.softsign(x)
    except (TypeError, AttributeError):
        return ops.softsign(convert_to_tensor(x))


def selu(x):
    """Scaled exponential linear unit: ``scale * elu(x, alpha)``.

    ``alpha = 1.67326324`` and ``scale = 1.05070098``; use it with the ``lecun_normal``
    initializer.
    """
    try:
        return ops.selu(x)
    except TypeError:
        return ops.selu(convert_to_tensor(x))


def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Args:
        x: input tensor.
        alpha: the value the negative part saturates to is ``-alpha``.
    """
    return ops.elu(x, alpha=alpha)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``x`` where positive, ``alpha * (exp(x / alpha) - 1)``
    elsewhere.

    Args:
        x: input tensor.
        alpha: the scale of the negative part.
    """
    return ops.celu(x, alpha=alpha)


def gelu(x, approximate=False):
    """Gaussian error linear unit: ``x * P(X <= x)`` for ``X ~ N(0, 1)``.

    Args:
        x: input tensor.
        approximate: use the tanh approximation instead of the exact ``erf`` form.
    """
    return ops.gelu(x, approximate=approximate)


def silu(x):
    """Sigmoid linear unit (swish): ``x * sigmoid(x)``."""
    try:
        return ops.silu(x)
    except TypeError:
        return ops.silu(convert_to_tensor(x))


swish = silu


def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)``, with ``a`` and ``b`` the two halves of ``x``.

    Args:
        x: input tensor; its size along ``axis`` must be even.
        axis: the axis split in two.
    """
    return ops.glu(x, axis=axis)


def linear(x):
    """The identity: returns ``x`` unchanged."""
    return x


def exponential(x):
    """``exp(x)``."""
    try:
        return ops.exp(x)
    except TypeError:
        return ops.exp(convert_to_tensor(x))


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: 0 for ``x <= -3``, 1 for ``x >= 3``, ``x / 6 + 0.5`` between."""
    return ops.hard_sigmoid(x)


def hard_silu(x):
    """Hard swish: ``x * hard_sigmoid(x)`` (0 below -3, ``x`` above 3)."""
    return ops.hard_silu(x)


hard_swish = hard_silu


def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    return ops.hard_tanh(x)


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere.

    Args:
        x: input tensor.
        threshold: the half-width of the band set to 0.
    """
    return ops.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold=0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0.

    Args:
        x: input tensor.
        threshold: the half-width of the band set to 0.
    """
    return ops.soft_shrink(x, threshold=threshold)


def tanh_shrink(x):
    """``x - tanh(x)``."""
    return ops.tanh_shrink(x)


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere.

    Args:
        x: input tensor.
        threshold: the value ``x`` must exceed to be kept.
        default_value: the value put in place of the others.
    """
    return ops.threshold(x, threshold, default_value)


def mish(x):
    """``x * tanh(softplus(x))``."""
    return ops.mish(x)


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably."""
    try:
        return ops.log_sigmoid(x)
    except TypeError:
        return ops.log_sigmoid(convert_to_tensor(x))


def squareplus(x, b=4):
    """``(x + sqrt(x ** 2 + b)) / 2``, a smooth ReLU.

    Args:
        x: input tensor.
        b: the smoothness (0 gives ReLU).
    """
    return ops.squareplus(x, b=b)


def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1) ** 2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    return ops.sparse_plus(x)


def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``."""
    return ops.sparse_sigmoid(x)


def sparsemax(x, axis=-1):
    """Sparse softmax: the projection of ``x`` onto the probability simplex along ``axis``.

    Like softmax its output sums to 1, but small entries become exactly 0.

    Args:
        x: input tensor (logits).
        axis: the axis normalised over.
    """
    return ops.sparsemax(x, axis=axis)
