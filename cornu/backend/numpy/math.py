"""Math operations on NumPy arrays that NumPy does not name: top_k, in_top_k, logsumexp,
segment reductions, the error functions; the signal ops live beside, in signal.py."""

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor
from cornu.backend.numpy.signal import (  # noqa: F401  (bound as math.*)
    extract_sequences,
    fft,
    fft2,
    ifft2,
    irfft,
    istft,
    rfft,
    stft,
)


def _scipy_special():
    try:
        import scipy.special
    except ImportError:  # pragma: no cover - SciPy is optional
        return None
    return scipy.special


def _float(x):
    x = convert_to_tensor(x)
    return x if x.dtype.kind in "fc" else x.astype(np.float32)


def top_k(x, k, sorted=True):
    """The ``k`` largest values along the last axis, and their indices (int64, as torch)."""
    x = convert_to_tensor(x)
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int64)


def in_top_k(targets, predictions, k):
    """True where ``targets[i]`` is among the ``k`` largest of ``predictions[i]``."""
    targets = np.asarray(convert_to_tensor(targets), dtype=np.int64).reshape(-1, 1)
    predictions = convert_to_tensor(predictions)
    target_values = np.take_along_axis(predictions, targets, axis=1)
    return np.sum(predictions > target_values, axis=1) < k


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed stably."""
    x = _float(x)
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    peak = np.max(x, axis=axes, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0)
    out = np.log(np.sum(np.exp(x - peak), axis=axes, keepdims=True)) + peak
    if not keepdims:
        out = np.squeeze(out, axis=axes) if axes is not None else out.reshape(())
    return np.asarray(out, dtype=x.dtype)


def erf(x):
    """The error function."""
    x = _float(x)
    special = _scipy_special()
    if special is not None:
        return special.erf(x).astype(x.dtype)
    import math as _math

    return np.vectorize(_math.erf, otypes=[x.dtype])(x)


def erfc(x):
    """The complementary error function ``1 - erf(x)``."""
    x = _float(x)
    special = _scipy_special()
    if special is not None:
        return special.erfc(x).astype(x.dtype)
    import math as _math

    return np.vectorize(_math.erfc, otypes=[x.dtype])(x)


def erfinv(x):
    """The inverse error function."""
    x = _float(x)
    special = _scipy_special()
    if special is None:
        raise NotImplementedError(
            "`erfinv` on the NumPy backend needs SciPy (`pip install scipy`); the torch "
            "backend has it built in."
        )
    return special.erfinv(x).astype(x.dtype)


def qr(x, mode="reduced"):
    """The QR decomposition ``(q, r)`` of ``x`` (``mode`` is ``"reduced"`` or ``"complete"``)."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")
    return np.linalg.qr(convert_to_tensor(x), mode=mode)


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


def _segments(data, segment_ids, num_segments, ufunc, identity, op):
    data = convert_to_tensor(data)
    segment_ids = np.asarray(convert_to_tensor(segment_ids), dtype=np.int64)
    if op != "segment_sum":
        _check_segments(data, segment_ids, op)
    if num_segments is None:
        num_segments = int(segment_ids.max()) + 1 if segment_ids.size else 0
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    work = data.dtype if op == "segment_sum" else np.dtype(np.float32)
    out = np.full((num_segments,) + data.shape[1:], identity, dtype=work)
    ufunc.at(out, segment_ids[valid], data[valid].astype(work))
    return out.astype(data.dtype)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums of the rows of ``data`` that share a segment id (ids out of range are dropped)."""
    return _segments(data, segment_ids, num_segments, np.add, 0, "segment_sum")


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maxima of the rows of ``data`` that share a segment id (``-inf`` for empty segments)."""
    return _segments(data, segment_ids, num_segments, np.maximum, -np.inf, "segment_max")


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minima of the rows of ``data`` that share a segment id (``inf`` for empty segments)."""
    return _segments(data, segment_ids, num_segments, np.minimum, np.inf, "segment_min")


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Products of the rows of ``data`` that share a segment id (1 for empty segments)."""
    return _segments(data, segment_ids, num_segments, np.multiply, 1.0, "segment_prod")


def cdist(x, y):
    """Euclidean distances between the rows of ``x`` ``(..., N, D)`` and ``y`` ``(..., M, D)``."""
    x, y = convert_to_tensor(x), convert_to_tensor(y)
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
    diff = x[..., :, None, :] - y[..., None, :, :]
    return np.sqrt(np.sum(diff * diff, axis=-1))


def logdet(x):
    """``log(det(x))`` of each square matrix (NaN for a negative determinant)."""
    x = _float(x)
    sign, logabs = np.linalg.slogdet(x)
    with np.errstate(invalid="ignore"):
        return np.where(sign > 0, logabs, np.where(sign == 0, -np.inf, np.nan)).astype(x.dtype)


def view_as_complex(x):
    """A complex64 array from a real one whose last axis (of size 2) holds the two parts."""
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(
            "`view_as_complex` expects a last dimension of size 2 (real and imaginary). "
            f"Received: input with shape {tuple(x.shape)}"
        )
    real, imag = x[..., 0].astype(np.float32), x[..., 1].astype(np.float32)
    return (real + 1j * imag).astype(np.complex64)


def view_as_real(x):
    """A real array with a new last axis of size 2 holding ``x``'s real and imaginary parts."""
    x = convert_to_tensor(x)
    if x.dtype.kind != "c":
        raise ValueError(f"`view_as_real` expects a complex tensor. Received: dtype {x.dtype}")
    return np.stack((x.real, x.imag), axis=-1)
