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


def _check_segments(data, segment_ids, op):
    if segment_ids.ndim != 1:
        raise ValueError(
            f"`{op}` expects 1-D `segment_ids`. Received: segment_ids with shape "
            f"{tuple(segment_ids.shape)}. Flatten the inputs first, or map over them."
        )
    if data.ndim < 1 or segment_ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"`{op}` expects `segment_ids` with `data`'s leading dimension. Received: "
            f"segment_ids.shape={tuple(segment_ids.shape)}, data.shape={tuple(data.shape)}"
        )


def _segment_reduce(data, segment_ids, num_segments, reduction, op):
    """``scatter_reduce`` of the rows of ``data`` into their segments, computed in float32 as
    Keras's torch backend does (so float64 and large int64 values are rounded to float32: a
    Keras trap kept for identical numbers); empty segments hold the reduction's identity
    (``-inf`` for max, ``inf`` for min, 1 for prod), then the result takes ``data``'s dtype."""
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids)
    _check_segments(data, segment_ids, op)
    segment_ids = segment_ids.long()
    if num_segments is None:
        num_segments = int(segment_ids.max()) + 1 if segment_ids.numel() else 0
    # Out-of-range ids go to one extra segment, dropped afterwards.
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    segment_ids = torch.where(valid, segment_ids, num_segments)
    index = segment_ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    work_dtype = torch.float32
    identity = {"amax": -float("inf"), "amin": float("inf"), "prod": 1.0}[reduction]
    out = torch.full(
        (num_segments + 1,) + tuple(data.shape[1:]), identity, dtype=work_dtype, device=data.device
    )
    out = out.scatter_reduce(0, index, data.to(work_dtype), reduction)
    return out[:num_segments].to(data.dtype)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maxima of the rows of ``data`` that share a segment id (``-inf`` for empty segments,
    cast to ``data``'s dtype). ``sorted`` is accepted for Keras compatibility."""
    return _segment_reduce(data, segment_ids, num_segments, "amax", "segment_max")


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minima of the rows of ``data`` that share a segment id (``inf`` for empty segments)."""
    return _segment_reduce(data, segment_ids, num_segments, "amin", "segment_min")


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Products of the rows of ``data`` that share a segment id (1 for empty segments)."""
    return _segment_reduce(data, segment_ids, num_segments, "prod", "segment_prod")


def cdist(x, y):
    """Euclidean distances between the rows of ``x`` (``(..., N, D)``) and of ``y``
    (``(..., M, D)``): shape ``(..., N, M)``, batch axes broadcast."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(
            "`cdist` expects inputs of rank >= 2. "
            f"Received: x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(
            "`cdist` expects inputs with the same last dimension. "
            f"Received: x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    diff = x.unsqueeze(-2) - y.unsqueeze(-3)
    return torch.sqrt(torch.sum(diff * diff, dim=-1))


def erfc(x):
    """The complementary error function ``1 - erf(x)``."""
    return torch.erfc(convert_to_tensor(x))


def erfinv(x):
    """The inverse error function."""
    return torch.erfinv(convert_to_tensor(x))


def logdet(x):
    """``log(det(x))`` of each square matrix in ``x`` (NaN for a negative determinant)."""
    return torch.logdet(convert_to_tensor(x))


def view_as_complex(x):
    """A complex64 tensor from a real one whose last axis (of size 2) holds the real and
    imaginary parts."""
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(
            "`view_as_complex` expects a last dimension of size 2 (real and imaginary). "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return torch.complex(x[..., 0].to(torch.float32), x[..., 1].to(torch.float32))


def view_as_real(x):
    """A real tensor with a new last axis of size 2 holding ``x``'s real and imaginary parts."""
    x = convert_to_tensor(x)
    if not x.is_complex():
        raise ValueError(f"`view_as_real` expects a complex tensor. Received: dtype {x.dtype}")
    return torch.stack((x.real, x.imag), dim=-1)
