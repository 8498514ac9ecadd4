"""Math operations on torch tensors that NumPy does not name: top_k, in_top_k, logsumexp."""

import torch

from cornu.backend.torch.core import convert_to_tensor


def top_k(x, k, sorted=True):
    """The ``k`` largest values along the last axis, and their indices."""
    result = torch.topk(convert_to_tensor(x), k, dim=-1, sorted=sorted)
    return result.values, result.indices


def in_top_k(targets, predictions, k):
    """True where ``targets[i]`` is among the ``k`` largest of ``predictions[i]``."""
    targets = convert_to_tensor(targets).long().reshape(-1, 1)
    predictions = convert_to_tensor(predictions)
    target_values = torch.gather(predictions, 1, targets)
    larger = torch.sum(predictions > target_values, dim=1)
    return larger < k


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed stably."""
    x = convert_to_tensor(x)
    if axis is None:
        return torch.logsumexp(x.reshape(-1), dim=0)
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


def erf(x):
    """The error function."""
    return torch.erf(convert_to_tensor(x))


def qr(x, mode="reduced"):
    """The QR decomposition ``(q, r)`` of ``x`` (``mode`` is ``"reduced"`` or ``"complete"``)."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")
    return torch.linalg.qr(convert_to_tensor(x), mode=mode)
