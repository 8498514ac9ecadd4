"""Math operations on jax arrays that NumPy does not name: top_k, in_top_k, logsumexp,
segment reductions, the error functions; the signal ops live beside, in signal.py."""

import jax
import jax.numpy as jnp
from jax import lax

from cornu.backend.jax.core import convert_to_tensor, to_jax_dtype
from cornu.backend.jax.signal import (  # noqa: F401  (bound as math.*)
    extract_sequences,
    fft,
    fft2,
    ifft2,
    irfft,
    istft,
    rfft,
    stft,
)
from cornu.core.config import floatx


def _float(x):
    x = convert_to_tensor(x)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return x.astype(to_jax_dtype(floatx()))


def top_k(x, k, sorted=True):
    """The ``k`` largest values along the last axis, and their indices (int32)."""
    values, indices = lax.top_k(convert_to_tensor(x), k)
    return values, indices.astype(jnp.int32)


def in_top_k(targets, predictions, k):
    """True where ``targets[i]`` is among the ``k`` largest of ``predictions[i]``."""
    targets = convert_to_tensor(targets).astype(jnp.int32).reshape(-1, 1)
    predictions = convert_to_tensor(predictions)
    target_values = jnp.take_along_axis(predictions, targets, axis=1)
    return jnp.sum(predictions > target_values, axis=1) < k


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed stably."""
    x = _float(x)
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return jax.nn.logsumexp(x, axis=axes, keepdims=keepdims).astype(x.dtype)


def erf(x):
    """The error function."""
    x = _float(x)
    return jax.scipy.special.erf(x).astype(x.dtype)


def erfc(x):
    """The complementary error function ``1 - erf(x)``."""
    x = _float(x)
    return jax.scipy.special.erfc(x).astype(x.dtype)


def erfinv(x):
    """The inverse error function."""
    x = _float(x)
    return jax.scipy.special.erfinv(x).astype(x.dtype)


def qr(x, mode="reduced"):
    """The QR decomposition ``(q, r)`` of ``x`` (``mode`` is ``"reduced"`` or ``"complete"``)."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")
    return tuple(jnp.linalg.qr(_float(convert_to_tensor(x)), mode=mode))


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


def _count(segment_ids, num_segments):
    if num_segments is not None:
        return int(num_segments)
    try:
        return int(jnp.max(segment_ids)) + 1 if segment_ids.size else 0
    except jax.errors.ConcretizationTypeError:
        raise ValueError(
            "Argument `num_segments` must be set when using the JAX backend inside a "
            "compiled function (the number of segments must be known while tracing)."
        ) from None


def _segments(data, segment_ids, num_segments, op, reduce):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids)
    if op != "segment_sum":
        _check_segments(data, segment_ids, op)
    segment_ids = segment_ids.astype(jnp.int32)
    num_segments = _count(segment_ids, num_segments)
    # Out-of-range ids go to one extra segment, dropped afterwards.
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    segment_ids = jnp.where(valid, segment_ids, num_segments)
    return reduce(data, segment_ids, num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums of the rows of ``data`` that share a segment id (ids out of range are dropped)."""

    def reduce(data, ids, n):
        return jax.ops.segment_sum(data, ids, n + 1)[:n]

    return _segments(data, segment_ids, num_segments, "segment_sum", reduce)


def _float32_reduction(kind, identity):
    # As cornu-on-torch (and Keras's torch backend): computed in float32, empty segments
    # hold the identity, then cast to ``data``'s dtype.
    def reduce(data, ids, n):
        work = data.astype(jnp.float32)
        out = jnp.full((n + 1,) + data.shape[1:], identity, jnp.float32)
        out = getattr(out.at[ids], kind)(work)[:n]
        if jnp.issubdtype(data.dtype, jnp.integer):
            # torch converts the empty segments' infinities to the lowest int32 (x86's
            # "integer indefinite"), where jax would saturate: kept as torch gives them.
            lowest = jnp.asarray(jnp.iinfo(jnp.int32).min, jnp.int32)
            out = jnp.where(jnp.isfinite(out), out.astype(jnp.int32), lowest)
        return out.astype(data.dtype)

    return reduce


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maxima of the rows of ``data`` that share a segment id (``-inf`` for empty segments)."""
    reduce = _float32_reduction("max", -jnp.inf)
    return _segments(data, segment_ids, num_segments, "segment_max", reduce)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minima of the rows of ``data`` that share a segment id (``inf`` for empty segments)."""
    reduce = _float32_reduction("min", jnp.inf)
    return _segments(data, segment_ids, num_segments, "segment_min", reduce)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Products of the rows of ``data`` that share a segment id (1 for empty segments)."""
    reduce = _float32_reduction("multiply", 1.0)
    return _segments(data, segment_ids, num_segments, "segment_prod", reduce)


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
    return jnp.sqrt(jnp.sum(diff * diff, axis=-1))


def logdet(x):
    """``log(det(x))`` of each square matrix (NaN for a negative determinant)."""
    x = _float(x)
    sign, logabs = jnp.linalg.slogdet(x)
    return jnp.where(sign > 0, logabs, jnp.where(sign == 0, -jnp.inf, jnp.nan)).astype(x.dtype)


def view_as_complex(x):
    """A complex64 array from a real one whose last axis (of size 2) holds the two parts."""
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(
            "`view_as_complex` expects a last dimension of size 2 (real and imaginary). "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return lax.complex(x[..., 0].astype(jnp.float32), x[..., 1].astype(jnp.float32))


def view_as_real(x):
    """A real array with a new last axis of size 2 holding ``x``'s real and imaginary parts."""
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.complexfloating):
        raise ValueError(f"`view_as_real` expects a complex tensor. Received: dtype {x.dtype}")
    return jnp.stack((jnp.real(x), jnp.imag(x)), axis=-1)
