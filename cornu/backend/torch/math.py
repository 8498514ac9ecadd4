"""Math operations on torch tensors that NumPy does not name: top_k, in_top_k, logsumexp."""

import torch

from cornu.backend.torch.core import convert_to_tensor
from cornu.backend.torch.signal import (  # noqa: F401 (the signal ops live beside, in signal.py)
    extract_sequences,
    fft,
    fft2,
    ifft2,
    irfft,
    istft,
    rfft,
    stft,
)


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


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums of the rows of ``data`` that share a segment id: ``out[i] = sum(data[ids == i])``.

    ``segment_ids`` has ``data``'s leading axis; ids outside ``[0, num_segments)`` are dropped.
    ``num_segments`` None reads the largest id back from the device (a host sync). ``sorted``
    is accepted for Keras compatibility.
    """
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids).long()
    if num_segments is None:
        num_segments = int(segment_ids.max()) + 1 if segment_ids.numel() else 0
    # Out-of-range ids go to one extra segment, dropped afterwards.
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    segment_ids = torch.where(valid, segment_ids, num_segments)
    out = torch.zeros(
        (num_segments + 1,) + tuple(data.shape[1:]), dtype=data.dtype, device=data.device
    )
    out.index_add_(0, segment_ids, data)
    return out[:num_segments]
