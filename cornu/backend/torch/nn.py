"""Neural-network operations on torch tensors: activations, one-hot and cross-entropies."""

import torch
import torch.nn.functional as F

from cornu.backend.config import epsilon
from cornu.backend.torch.core import convert_to_tensor, to_torch_dtype

relu = torch.relu
sigmoid = torch.sigmoid
tanh = torch.tanh
softsign = F.softsign
silu = F.silu
swish = F.silu
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
