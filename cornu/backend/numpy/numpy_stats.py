"""NumPy-like statistics on NumPy arrays (NaN-ignoring reductions, quantiles, histograms,
window functions, correlation), with Keras's names, signatures and result dtypes."""

import warnings

import numpy as np

from cornu.backend.numpy.core import to_numpy_dtype
from cornu.backend.numpy.operands import _array, _cast, _dtype_of, _name
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


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _accumulator_dtype(dtype):
    """The dtype Keras sums or multiplies ``dtype`` in: narrow integers widen to 32 bits."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


# As Keras on torch, a reduction over all axes (axis=None) gives a scalar even with keepdims.


def amax(x, axis=None, keepdims=False):
    """The maximum along ``axis`` (all axes when None, as a scalar)."""
    return np.asarray(np.amax(_array(x), axis=_axis(axis), keepdims=keepdims and axis is not None))


def amin(x, axis=None, keepdims=False):
    """The minimum along ``axis`` (all axes when None, as a scalar)."""
    return np.asarray(np.amin(_array(x), axis=_axis(axis), keepdims=keepdims and axis is not None))


def ptp(x, axis=None, keepdims=False):
    """The range (maximum minus minimum) along ``axis`` (all axes when None, as a scalar)."""
    return np.asarray(np.ptp(_array(x), axis=_axis(axis), keepdims=keepdims and axis is not None))


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
    return _cast(np.asarray(np.average(x, axis=_axis(axis), weights=weights)), dtype)


def median(x, axis=None, keepdims=False):
    """The median along ``axis``, as a float."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _cast(np.asarray(np.median(x, axis=_axis(axis), keepdims=keepdims)), dtype)


def _quantile_input(x):
    x = _array(x)
    return _cast(x, floatx()) if _name(x) == "bool" else x


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) along ``axis``."""
    x = _array(x)
    dtype = floatx() if _name(x) == "int64" else result_type(_name(x), float)
    x = _quantile_input(x)
    out = np.quantile(x, _array(q), axis=_axis(axis), method=method, keepdims=keepdims)
    return _cast(np.asarray(out), dtype)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) along ``axis``."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    out = np.percentile(x, _array(q), axis=_axis(axis), method=method, keepdims=keepdims)
    return _cast(np.asarray(out), dtype)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """``quantile`` ignoring NaNs."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    out = np.nanquantile(x, _array(q), axis=_axis(axis), method=method, keepdims=keepdims)
    return _cast(np.asarray(out), dtype)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """``percentile`` ignoring NaNs."""
    x = _quantile_input(x)
    dtype = _name(x) if x.dtype.kind == "f" else floatx()
    out = np.nanpercentile(x, _array(q), axis=_axis(axis), method=method, keepdims=keepdims)
    return _cast(np.asarray(out), dtype)


def _quiet(fn, *args, **kwargs):
    """``fn`` without NumPy's warnings about all-NaN slices and empty means."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(fn(*args, **kwargs))


def nanmax(x, axis=None, keepdims=False):
    """The maximum along ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return _quiet(np.nanmax, _array(x), axis=_axis(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    """The minimum along ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return _quiet(np.nanmin, _array(x), axis=_axis(axis), keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """The mean along ``axis``, ignoring NaNs."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _cast(_quiet(np.nanmean, x, axis=_axis(axis), keepdims=keepdims), dtype)


def nanmedian(x, axis=None, keepdims=False):
    """The median along ``axis``, ignoring NaNs."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _cast(_quiet(np.nanmedian, x, axis=_axis(axis), keepdims=keepdims), dtype)


def _nan_moment(np_fn, x, axis, keepdims):
    x = _array(x)
    compute = result_type(_name(x), "float32")
    dtype = result_type(_name(x), float)
    out = _quiet(np_fn, _cast(x, compute), axis=_axis(axis), keepdims=keepdims)
    return _cast(out, dtype)


def nanstd(x, axis=None, keepdims=False):
    """The standard deviation along ``axis``, ignoring NaNs."""
    return _nan_moment(np.nanstd, x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    """The variance along ``axis``, ignoring NaNs."""
    return _nan_moment(np.nanvar, x, axis, keepdims)


def nansum(x, axis=None, keepdims=False):
    """The sum along ``axis``, NaNs counted as zero."""
    x = _array(x)
    dtype = _name(x)
    if dtype in ("bool", "uint8", "int8", "int16"):
        dtype = "int32"
    return _cast(np.asarray(np.nansum(x, axis=_axis(axis), keepdims=keepdims)), dtype)


def nanprod(x, axis=None, keepdims=False):
    """The product along ``axis``, NaNs counted as one."""
    x = _array(x)
    dtype = result_type(_name(x))
    if dtype in ("bool", "uint8", "int8", "int16"):
        dtype = "int32"
    keepdims = keepdims and axis is not None
    out = np.nanprod(x, axis=_axis(axis), keepdims=keepdims, dtype=to_numpy_dtype(dtype))
    return _cast(np.asarray(out), dtype)


def _nan_cumulative(np_fn, x, axis, dtype):
    x = _array(x)
    dtype = result_type(dtype or _name(x))
    if dtype == "bool":
        dtype = "int32"
    return _cast(np.asarray(np_fn(x, axis=axis, dtype=dtype)), dtype)


def nancumsum(x, axis=None, dtype=None):
    """The cumulative sum along ``axis`` (flattened when None), NaNs counted as zero."""
    return _nan_cumulative(np.nancumsum, x, axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    """The cumulative product along ``axis`` (flattened when None), NaNs counted as one."""
    return _nan_cumulative(np.nancumprod, x, axis, dtype)


def _nan_arg(np_fn, fill, x, axis, keepdims):
    x = _array(x)
    if x.dtype.kind != "f":
        reduce = np.argmax if np_fn is np.nanargmax else np.argmin
        return _cast(np.asarray(reduce(x, axis=axis, keepdims=keepdims)), "int32")
    nan = np.isnan(x)
    index = np_fn(np.where(nan, fill, x), axis=axis, keepdims=keepdims)
    return _cast(
        np.asarray(np.where(np.all(nan, axis=axis, keepdims=keepdims), -1, index)), "int32"
    )


def nanargmax(x, axis=None, keepdims=False):
    """The index (int32) of the maximum along ``axis``, ignoring NaNs; -1 where all are NaN."""
    return _nan_arg(np.nanargmax, -np.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """The index (int32) of the minimum along ``axis``, ignoring NaNs; -1 where all are NaN."""
    return _nan_arg(np.nanargmin, np.inf, x, axis, keepdims)


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum along the ``offset`` diagonal of the ``axis1``/``axis2`` planes."""
    x = _array(x)
    dtype = _accumulator_dtype(_name(x))
    out = np.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)
    return _cast(np.asarray(out), dtype)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule (over ``x``, or steps
    of ``dx``)."""
    y = _array(y)
    if y.dtype == np.bool_:
        y = _cast(y, floatx())
    dtype = result_type(_name(y), float)
    if x is not None:
        x = _array(x)
    return _cast(np.asarray(np.trapezoid(y, x, dx=dx, axis=axis)), dtype)


def _window(np_fn, x, *args):
    return _cast(np.asarray(np_fn(int(_array(x)), *args)), floatx())


def bartlett(x):
    """The Bartlett (triangular) window of ``x`` points."""
    return _window(np.bartlett, x)


def blackman(x):
    """The Blackman window of ``x`` points."""
    return _window(np.blackman, x)


def hamming(x):
    """The Hamming window of ``x`` points."""
    return _window(np.hamming, x)


def hanning(x):
    """The Hann window of ``x`` points."""
    return _window(np.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of ``x`` points with shape parameter ``beta``."""
    return _window(np.kaiser, x, beta)


def bincount(x, weights=None, minlength=0, sparse=False):
    """The number of occurrences (or the sum of ``weights``) of each non-negative integer in
    ``x``; a 2-D ``x`` counts each row."""
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported on the NumPy backend.")
    x = _array(x)
    if weights is not None:
        weights = _array(weights)
        dtype = result_type(_name(x), _name(weights))
    else:
        dtype = "int32"
    if x.ndim == 2:
        rows = [
            np.bincount(row, None if weights is None else weights[i], minlength)
            for i, row in enumerate(x)
        ]
        length = max(len(r) for r in rows) if rows else minlength
        rows = [np.pad(r, (0, length - len(r))) for r in rows]
        return _cast(np.stack(rows), dtype)
    return _cast(np.asarray(np.bincount(x, weights, minlength)), dtype)


def digitize(x, bins):
    """The index (int32) of the bin each element of ``x`` falls in."""
    bins = _array(bins)
    if bins.ndim > 1:
        raise ValueError(
            f"digitize: `bins` must be a 1D array. Received: bins.shape={tuple(bins.shape)}"
        )
    return _cast(np.asarray(np.digitize(_array(x), _array(bins))), "int32")


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
    if x.dtype.kind != "f":
        x = _cast(x, floatx())
    counts, edges = np.histogram(x, bins=bins, range=range)
    return counts.astype(x.dtype), edges.astype(x.dtype)


def corrcoef(x):
    """The Pearson correlation coefficients of the rows of ``x``."""
    x = _array(x)
    dtype = _name(x)
    if dtype in ("int64", "float64"):
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16"):
        dtype = floatx()
    return _cast(np.asarray(np.corrcoef(x)), dtype)


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
    return np.squeeze(np.correlate(_array(x1, dtype), _array(x2, dtype), mode))
