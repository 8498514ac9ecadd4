"""NumPy-like statistics on jax arrays (NaN-ignoring reductions, quantiles, histograms,
window functions, correlation), with Keras's names, signatures and result dtypes."""

import jax.numpy as jnp

from cornu.backend.jax.core import to_jax_dtype
from cornu.backend.jax.operands import _array, _axis, _cast, _dtype_of, _is_concrete, _name
from cornu.core.config import floatx
from cornu.core.dtypes import result_type

__all__ = [
    "amax",
    "amin",
    "average",
    "bartlett",
    "bincount",
    "blackman",
    "corrcoef",
    "correlate",
    "digitize",
    "hamming",
    "hanning",
    "histogram",
    "kaiser",
    "median",
    "nanargmax",
    "nanargmin",
    "nancumprod",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmedian",
    "nanmin",
    "nanpercentile",
    "nanprod",
    "nanquantile",
    "nanstd",
    "nansum",
    "nanvar",
    "percentile",
    "ptp",
    "quantile",
    "trace",
    "trapezoid",
]


def _accumulator_dtype(dtype):
    """The dtype Keras's JAX backend sums ``dtype`` in: narrow integers widen to 32 bits
    (unsigned ones to uint32, where Keras on torch, without uint32 kernels, gives int32)."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


# As Keras on JAX, ``keepdims`` keeps every axis when ``axis`` is None (Keras on torch gives a
# scalar there).


def amax(x, axis=None, keepdims=False):
    """The maximum along ``axis`` (all axes when None)."""
    return jnp.amax(_array(x), axis=_axis(axis), keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    """The minimum along ``axis`` (all axes when None)."""
    return jnp.amin(_array(x), axis=_axis(axis), keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    """The range (maximum minus minimum) along ``axis`` (all axes when None)."""
    return jnp.ptp(_array(x), axis=_axis(axis), keepdims=keepdims)


def average(x, axis=None, weights=None):
    """The (weighted) mean along ``axis``, as a float."""
    x = _array(x)
    dtypes = [_name(x), float]
    if weights is not None:
        weights = _array(weights)
        dtypes.append(_name(weights))
    dtype = result_type(*dtypes)
    x = _cast(x, dtype)
    if weights is not None:
        weights = _cast(weights, dtype)
        fits_axis = axis is not None and weights.ndim == 1 and weights.shape[0] == x.shape[axis]
        if weights.shape != x.shape and not fits_axis:
            raise ValueError(
                "average: `weights` must have the shape of `x`, or be 1-D with the length of "
                f"`x` at `axis={axis}`. Received: weights.shape={tuple(weights.shape)}, "
                f"x.shape={tuple(x.shape)}"
            )
    return _cast(jnp.average(x, axis=_axis(axis), weights=weights), dtype)


def median(x, axis=None, keepdims=False):
    """The median along ``axis``, as a float."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _cast(jnp.median(_cast(x, dtype), axis=_axis(axis), keepdims=keepdims), dtype)


def _quantile_input(x):
    x = _array(x)
    return _cast(x, floatx()) if _name(x) == "bool" else x


def _quantile(jnp_fn, x, q, axis, method, keepdims, dtype):
    x = _cast(x, dtype)
    out = jnp_fn(x, _array(q, dtype), axis=_axis(axis), method=method, keepdims=keepdims)
    return _cast(out, dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) along ``axis``."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    return _quantile(jnp.quantile, x, q, axis, method, keepdims, dtype)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) along ``axis``."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    return _quantile(jnp.percentile, x, q, axis, method, keepdims, dtype)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """``quantile`` ignoring NaNs."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    return _quantile(jnp.nanquantile, x, q, axis, method, keepdims, dtype)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """``percentile`` ignoring NaNs."""
    x = _quantile_input(x)
    dtype = _name(x) if jnp.issubdtype(x.dtype, jnp.floating) else floatx()
    return _quantile(jnp.nanpercentile, x, q, axis, method, keepdims, dtype)


def nanmax(x, axis=None, keepdims=False):
    """The maximum along ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return jnp.nanmax(_array(x), axis=_axis(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    """The minimum along ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return jnp.nanmin(_array(x), axis=_axis(axis), keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """The mean along ``axis``, ignoring NaNs."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _cast(jnp.nanmean(_cast(x, dtype), axis=_axis(axis), keepdims=keepdims), dtype)


def nanmedian(x, axis=None, keepdims=False):
    """The median along ``axis``, ignoring NaNs."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _cast(jnp.nanmedian(_cast(x, dtype), axis=_axis(axis), keepdims=keepdims), dtype)


def _nan_moment(jnp_fn, x, axis, keepdims):
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _cast(jnp_fn(_cast(x, dtype), axis=_axis(axis), keepdims=keepdims), dtype)


def nanstd(x, axis=None, keepdims=False):
    """The standard deviation along ``axis``, ignoring NaNs."""
    return _nan_moment(jnp.nanstd, x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    """The variance along ``axis``, ignoring NaNs."""
    return _nan_moment(jnp.nanvar, x, axis, keepdims)


def nansum(x, axis=None, keepdims=False):
    """The sum along ``axis``, NaNs counted as zero."""
    x = _array(x)
    dtype = _accumulator_dtype(_name(x))
    return _cast(jnp.nansum(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype), dtype)


def nanprod(x, axis=None, keepdims=False):
    """The product along ``axis``, NaNs counted as one."""
    x = _array(x)
    dtype = _accumulator_dtype(result_type(_name(x)))
    out = jnp.nanprod(x, axis=_axis(axis), keepdims=keepdims, dtype=to_jax_dtype(dtype))
    return _cast(out, dtype)


def _nan_cumulative(jnp_fn, x, axis, dtype):
    x = _array(x)
    dtype = result_type(dtype or _name(x))
    if dtype == "bool":
        dtype = "int32"
    return _cast(jnp_fn(x, axis=axis, dtype=to_jax_dtype(dtype)), dtype)


def nancumsum(x, axis=None, dtype=None):
    """The cumulative sum along ``axis`` (flattened when None), NaNs counted as zero."""
    return _nan_cumulative(jnp.nancumsum, x, axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    """The cumulative product along ``axis`` (flattened when None), NaNs counted as one."""
    return _nan_cumulative(jnp.nancumprod, x, axis, dtype)


def _nan_arg(reduce, fill, x, axis, keepdims):
    x = _array(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return _cast(reduce(x, axis=axis, keepdims=keepdims), "int32")
    nan = jnp.isnan(x)
    index = reduce(jnp.where(nan, fill, x), axis=axis, keepdims=keepdims)
    return _cast(jnp.where(jnp.all(nan, axis=axis, keepdims=keepdims), -1, index), "int32")


def nanargmax(x, axis=None, keepdims=False):
    """The index (int32) of the maximum along ``axis``, ignoring NaNs; -1 where all are NaN."""
    return _nan_arg(jnp.argmax, -jnp.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """The index (int32) of the minimum along ``axis``, ignoring NaNs; -1 where all are NaN."""
    return _nan_arg(jnp.argmin, jnp.inf, x, axis, keepdims)


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum along the ``offset`` diagonal of the ``axis1``/``axis2`` planes."""
    x = _array(x)
    dtype = _accumulator_dtype(_name(x))
    out = jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=to_jax_dtype(dtype))
    return _cast(out, dtype)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule (over ``x``, or steps
    of ``dx``)."""
    y = _array(y)
    dtype = result_type(_name(y), float)
    y = _cast(y, dtype)
    if x is not None:
        x = _cast(_array(x), dtype)
    return _cast(jnp.trapezoid(y, x, dx=dx, axis=axis), dtype)


def _window_length(name, x):
    x = _array(x)
    if not _is_concrete(x):
        raise ValueError(
            f"{name}: the window length sets the output shape, so it must be a Python int "
            "(not a traced value) inside `jax.jit`."
        )
    return int(x)


def _window(name, jnp_fn, x, *args):
    return _cast(jnp_fn(_window_length(name, x), *args), floatx())


def bartlett(x):
    """The Bartlett (triangular) window of ``x`` points."""
    return _window("bartlett", jnp.bartlett, x)


def blackman(x):
    """The Blackman window of ``x`` points."""
    return _window("blackman", jnp.blackman, x)


def hamming(x):
    """The Hamming window of ``x`` points."""
    return _window("hamming", jnp.hamming, x)


def hanning(x):
    """The Hann window of ``x`` points."""
    return _window("hanning", jnp.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of ``x`` points with shape parameter ``beta``."""
    return _window("kaiser", jnp.kaiser, x, beta)


def _bincount_length(x, minlength):
    """The number of bins: eagerly ``max(x) + 1`` (at least ``minlength``); inside
    ``jax.jit``, where the shape must be static, ``minlength``."""
    if not _is_concrete(x):
        return minlength
    largest = int(jnp.max(x)) + 1 if x.size else 0
    return max(minlength, largest)


def bincount(x, weights=None, minlength=0, sparse=False):
    """The number of occurrences (or the sum of ``weights``) of each non-negative integer in
    ``x``; a 2-D ``x`` counts each row."""
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported on the JAX backend.")
    x = _array(x)
    if weights is not None:
        weights = _array(weights)
        dtype = result_type(_name(x), _name(weights))
    else:
        dtype = "int32"
    length = _bincount_length(x, minlength)
    if x.ndim == 2:
        rows = [
            jnp.bincount(row, None if weights is None else weights[i], length=length)
            for i, row in enumerate(x)
        ]
        out = jnp.stack(rows) if rows else jnp.zeros((0, length))
        return _cast(out, dtype)
    return _cast(jnp.bincount(x, weights, length=length), dtype)


def digitize(x, bins):
    """The index (int32) of the bin each element of ``x`` falls in."""
    bins = _array(bins)
    if bins.ndim > 1:
        raise ValueError(
            f"digitize: `bins` must be a 1D array. Received: bins.shape={tuple(bins.shape)}"
        )
    return _cast(jnp.digitize(_array(x), bins), "int32")


def histogram(x, bins=10, range=None):
    """The counts of ``x`` in ``bins`` equal bins over ``range`` (the data's range when
    None), and the bin edges."""
    if not isinstance(bins, int):
        raise TypeError(f"histogram: argument `bins` must be of type `int`. Received: bins={bins}")
    if bins < 0:
        raise ValueError(
            f"histogram: argument `bins` should be a non-negative integer. Received: bins={bins}"
        )
    if range:
        if not isinstance(range, tuple) or len(range) < 2:
            raise ValueError(
                f"histogram: argument `range` must be a tuple of two elements. Received: "
                f"range={range}"
            )
        if range[1] < range[0]:
            raise ValueError(
                "histogram: the second element of `range` must be greater than the first. "
                f"Received: range={range}"
            )
    x = _array(x)
    if x.ndim != 1:
        raise ValueError(
            f"histogram: input tensor must be 1-dimensional. Received: input.shape={tuple(x.shape)}"
        )
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = _cast(x, floatx())
    counts, edges = jnp.histogram(x, bins=bins, range=range)
    return _cast(counts, x.dtype), _cast(edges, x.dtype)


def corrcoef(x):
    """The Pearson correlation coefficients of the rows of ``x``."""
    x = _array(x)
    dtype = _name(x)
    if dtype in ("int64", "float64"):
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16"):
        dtype = floatx()
    return _cast(jnp.corrcoef(_cast(x, result_type(dtype, "float32"))), dtype)


def correlate(x1, x2, mode="valid"):
    """The cross-correlation of the 1-D ``x1`` and ``x2`` (``mode``: valid, same, full)."""
    if mode not in ("valid", "same", "full"):
        raise ValueError(
            f"correlate: `mode` must be either `valid`, `same`, or `full`. Received: {mode!r}"
        )
    dtype = result_type(_dtype_of(x1), _dtype_of(x2))
    if dtype == "int64":
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16", "float64"):
        dtype = "float32"
    return jnp.squeeze(jnp.correlate(_array(x1, dtype), _array(x2, dtype), mode))
