"""NumPy-like statistics on TensorFlow tensors (NaN-ignoring reductions, quantiles,
histograms, window functions, correlation), with Keras's names, signatures and result
dtypes."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.operands import (
    _array,
    _axis,
    _cast,
    _computed,
    _dtype_of,
    _name,
    _static,
)
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
    """The dtype torch sums ``dtype`` in: booleans and narrow integers as int32."""
    if dtype in ("bool", "int8", "int16", "uint8", "uint16"):
        return "int32"
    return dtype


def _nan(dtype):
    return tf.cast(np.nan, dtype)


def _extreme(reduce, bool_reduce, x, axis, keepdims):
    x = _array(x)
    if x.dtype == tf.bool:
        return bool_reduce(x, _axis(axis), keepdims)
    out = _computed(lambda t: reduce(t, _axis(axis), keepdims), _name(x), x)
    if x.dtype.is_floating:
        # torch propagates NaN through max/min; TensorFlow's reductions skip it.
        nan = tf.reduce_any(tf.math.is_nan(x), _axis(axis), keepdims)
        out = tf.where(nan, _nan(x.dtype), out)
    return out


# As cornu on torch, ``keepdims`` is ignored when ``axis`` is None: amax, amin, ptp and nanprod
# give a 0-d result there.


def amax(x, axis=None, keepdims=False):
    """The maximum along ``axis`` (all axes when None)."""
    keepdims = keepdims and axis is not None
    return _extreme(tf.reduce_max, tf.reduce_any, x, axis, keepdims)


def amin(x, axis=None, keepdims=False):
    """The minimum along ``axis`` (all axes when None)."""
    keepdims = keepdims and axis is not None
    return _extreme(tf.reduce_min, tf.reduce_all, x, axis, keepdims)


def ptp(x, axis=None, keepdims=False):
    """The range (maximum minus minimum) along ``axis`` (all axes when None)."""
    keepdims = keepdims and axis is not None
    x = _array(x)
    hi = _extreme(tf.reduce_max, tf.reduce_any, x, axis, keepdims)
    lo = _extreme(tf.reduce_min, tf.reduce_all, x, axis, keepdims)
    if x.dtype == tf.bool:
        return tf.math.logical_xor(hi, lo)
    return _computed(tf.subtract, _name(x), hi, lo)


def average(x, axis=None, weights=None):
    """The (weighted) mean along ``axis``, as a float."""
    x = _array(x)
    dtypes = [_name(x), float]
    if weights is not None:
        weights = _array(weights)
        dtypes.append(_name(weights))
    dtype = result_type(*dtypes)
    x = _cast(x, dtype)
    if weights is None:
        return tf.reduce_mean(x, _axis(axis))
    weights = _cast(weights, dtype)
    fits_axis = axis is not None and weights.shape.rank == 1 and weights.shape[0] == x.shape[axis]
    if weights.shape != x.shape and not fits_axis:
        raise ValueError(
            "average: `weights` must have the shape of `x`, or be 1-D with the length of "
            f"`x` at `axis={axis}`. Received: weights.shape={tuple(weights.shape)}, "
            f"x.shape={tuple(x.shape)}"
        )
    if weights.shape != x.shape:
        shape = [1] * x.shape.rank
        shape[axis] = -1
        weights = tf.reshape(weights, shape)
    total = tf.reduce_sum(x * weights, _axis(axis))
    return total / tf.reduce_sum(weights * tf.ones_like(x), _axis(axis))


# ---- quantiles ------------------------------------------------------------------------------


def _rows(x, axis):
    """``x`` with the reduced axes flattened into one last axis, and the kept shape."""
    rank = x.shape.rank
    if axis is None:
        axes = list(range(rank))
    else:
        axes = [a % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
    kept = [d for d in range(rank) if d not in axes]
    moved = tf.transpose(x, kept + axes)
    kept_shape = tf.shape(x)[:0] if not kept else tf.gather(tf.shape(x), kept)
    rows = tf.reshape(moved, tf.concat([kept_shape, [-1]], 0))
    return rows, axes


def _quantile_impl(x, q, axis, method, keepdims, ignore_nan):
    if method not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise ValueError(
            "`method` must be one of 'linear', 'lower', 'higher', 'midpoint' and 'nearest'. "
            f"Received: method={method!r}"
        )
    rank = x.shape.rank
    q = _cast(_array(q), x.dtype)
    rows, axes = _rows(x, axis)
    nan = tf.math.is_nan(rows)
    n_all = tf.shape(rows)[-1]
    if ignore_nan:
        n = tf.reduce_sum(tf.cast(tf.logical_not(nan), tf.int32), -1, keepdims=True)
    else:
        n = tf.fill(tf.shape(rows[..., :1]), n_all)
    ordered = tf.sort(tf.where(nan, tf.cast(np.inf, x.dtype), rows), axis=-1)
    flat_q = tf.reshape(q, (-1,))
    work = tf.float64 if x.dtype == tf.float64 else tf.float32
    pos = tf.cast(flat_q, work) * tf.cast(tf.maximum(n - 1, 0), work)  # (..., Q)
    lo = tf.floor(pos)
    hi = tf.math.ceil(pos)
    batch = rows.shape.rank - 1

    def at(index):
        index = tf.clip_by_value(tf.cast(index, tf.int32), 0, tf.maximum(n_all - 1, 0))
        return tf.cast(tf.gather(ordered, index, axis=-1, batch_dims=batch), work)

    if method == "linear":
        v_lo = at(lo)
        out = v_lo + (at(hi) - v_lo) * (pos - lo)
    elif method == "lower":
        out = at(lo)
    elif method == "higher":
        out = at(hi)
    elif method == "midpoint":
        out = (at(lo) + at(hi)) / 2
    else:
        out = at(tf.round(pos))
    empty = n == 0 if ignore_nan else tf.reduce_any(nan, -1, keepdims=True)
    out = tf.where(empty, tf.cast(np.nan, work), out)
    out = _cast(out, x.dtype)
    out = tf.transpose(out, [batch] + list(range(batch)))  # (Q, kept axes...)
    if keepdims and rank:
        dims = tf.unstack(tf.shape(x))
        shape = tf.stack([1 if d in axes else dims[d] for d in range(rank)])
        out = tf.reshape(out, tf.concat([[-1], shape], 0))
    if q.shape.rank == 0:
        return out[0]
    return tf.reshape(out, tf.concat([tf.shape(q), tf.shape(out)[1:]], 0))


def _quantile_input(x):
    x = _array(x)
    return _cast(x, floatx()) if _name(x) == "bool" else x


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) along ``axis``."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    return _quantile_impl(_cast(x, dtype), q, axis, method, keepdims, False)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) along ``axis``."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    q = _cast(_array(q), dtype) / 100
    return _quantile_impl(_cast(x, dtype), q, axis, method, keepdims, False)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """``quantile`` ignoring NaNs."""
    x = _quantile_input(x)
    dtype = result_type(_name(x), float)
    return _quantile_impl(_cast(x, dtype), q, axis, method, keepdims, True)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """``percentile`` ignoring NaNs."""
    x = _quantile_input(x)
    dtype = _name(x) if x.dtype.is_floating else floatx()
    q = _cast(_array(q), dtype) / 100
    return _quantile_impl(_cast(x, dtype), q, axis, method, keepdims, True)


def median(x, axis=None, keepdims=False):
    """The median along ``axis``, as a float."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _quantile_impl(_cast(x, dtype), 0.5, axis, "linear", keepdims, False)


def nanmedian(x, axis=None, keepdims=False):
    """The median along ``axis``, ignoring NaNs."""
    x = _array(x)
    dtype = result_type(_name(x), float)
    return _quantile_impl(_cast(x, dtype), 0.5, axis, "linear", keepdims, True)


# ---- NaN-ignoring reductions ----------------------------------------------------------------


def _nan_extreme(reduce, fill, x, axis, keepdims):
    x = _array(x)
    if not x.dtype.is_floating:
        return _extreme(reduce, tf.reduce_any, x, axis, keepdims)
    nan = tf.math.is_nan(x)
    out = reduce(tf.where(nan, tf.cast(fill, x.dtype), x), _axis(axis), keepdims)
    return tf.where(tf.reduce_all(nan, _axis(axis), keepdims), _nan(x.dtype), out)


def nanmax(x, axis=None, keepdims=False):
    """The maximum along ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return _nan_extreme(tf.reduce_max, -np.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    """The minimum along ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return _nan_extreme(tf.reduce_min, np.inf, x, axis, keepdims)


def _nan_parts(x):
    x = _array(x)
    dtype = result_type(_name(x), float)
    x = _cast(x, dtype)
    valid = tf.logical_not(tf.math.is_nan(x))
    return tf.where(valid, x, tf.zeros_like(x)), tf.cast(valid, dtype)


def nanmean(x, axis=None, keepdims=False):
    """The mean along ``axis``, ignoring NaNs."""
    values, valid = _nan_parts(x)
    total = tf.reduce_sum(values, _axis(axis), keepdims)
    return total / tf.reduce_sum(valid, _axis(axis), keepdims)


def nanvar(x, axis=None, keepdims=False):
    """The variance along ``axis``, ignoring NaNs."""
    values, valid = _nan_parts(x)
    count = tf.reduce_sum(valid, _axis(axis), True)
    mean = tf.reduce_sum(values, _axis(axis), True) / count
    squares = tf.square(values - mean) * valid
    return tf.reduce_sum(squares, _axis(axis), keepdims) / tf.reduce_sum(
        valid, _axis(axis), keepdims
    )


def nanstd(x, axis=None, keepdims=False):
    """The standard deviation along ``axis``, ignoring NaNs."""
    return tf.sqrt(nanvar(x, axis, keepdims))


def _without_nan(x, fill):
    x = _array(x)
    if x.dtype.is_floating:
        x = tf.where(tf.math.is_nan(x), tf.cast(fill, x.dtype), x)
    return x


def nansum(x, axis=None, keepdims=False):
    """The sum along ``axis``, NaNs counted as zero."""
    x = _without_nan(x, 0)
    dtype = _accumulator_dtype(_name(x))
    x = _cast(x, dtype)
    return _computed(lambda t: tf.reduce_sum(t, _axis(axis), keepdims), dtype, x)


def nanprod(x, axis=None, keepdims=False):
    """The product along ``axis``, NaNs counted as one."""
    keepdims = keepdims and axis is not None
    x = _without_nan(x, 1)
    dtype = _accumulator_dtype(result_type(_name(x)))
    x = _cast(x, dtype)
    return _computed(lambda t: tf.reduce_prod(t, _axis(axis), keepdims), dtype, x)


def _nan_cumulative(tf_fn, fill, x, axis, dtype):
    x = _without_nan(x, fill)
    dtype = result_type(dtype or _name(x))
    if dtype == "bool":
        dtype = "int32"
    x = _cast(x, dtype)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    return _computed(lambda t: tf_fn(t, axis=axis), dtype, x)


def nancumsum(x, axis=None, dtype=None):
    """The cumulative sum along ``axis`` (flattened when None), NaNs counted as zero."""
    return _nan_cumulative(tf.cumsum, 0, x, axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    """The cumulative product along ``axis`` (flattened when None), NaNs counted as one."""
    return _nan_cumulative(tf.math.cumprod, 1, x, axis, dtype)


def _argreduce(fn, x, axis, keepdims):
    if x.dtype == tf.bool:
        x = _cast(x, "int32")
    if axis is None:
        out = fn(tf.reshape(x, (-1,)), axis=0, output_type=tf.int32)
        return tf.reshape(out, [1] * x.shape.rank) if keepdims else out
    out = fn(x, axis=axis, output_type=tf.int32)
    return tf.expand_dims(out, axis) if keepdims else out


def _nan_arg(fn, fill, x, axis, keepdims):
    x = _array(x)
    if not x.dtype.is_floating:
        return _argreduce(fn, x, axis, keepdims)
    nan = tf.math.is_nan(x)
    index = _argreduce(fn, tf.where(nan, tf.cast(fill, x.dtype), x), axis, keepdims)
    every = tf.reduce_all(nan, axis=axis, keepdims=keepdims)
    if axis is None and keepdims:
        every = tf.reshape(every, [1] * x.shape.rank)
    return tf.where(every, -tf.ones_like(index), index)


def nanargmax(x, axis=None, keepdims=False):
    """The index (int32) of the maximum along ``axis``, ignoring NaNs; -1 where all are NaN."""
    return _nan_arg(tf.argmax, -np.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """The index (int32) of the minimum along ``axis``, ignoring NaNs; -1 where all are NaN."""
    return _nan_arg(tf.argmin, np.inf, x, axis, keepdims)


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum along the ``offset`` diagonal of the ``axis1``/``axis2`` planes."""
    x = _array(x)
    dtype = _accumulator_dtype(_name(x))
    x = _cast(x, dtype)
    rank = x.shape.rank
    a, b = axis1 % rank, axis2 % rank
    perm = [d for d in range(rank) if d not in (a, b)] + [a, b]
    moved = tf.transpose(x, perm)
    return _computed(lambda t: tf.reduce_sum(tf.linalg.diag_part(t, k=offset), -1), dtype, moved)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule (over ``x``, or steps
    of ``dx``)."""
    y = _array(y)
    dtype = result_type(_name(y), float)
    y = _cast(y, dtype)
    size = tf.shape(y)[axis]
    hi = tf.gather(y, tf.range(1, size), axis=axis)
    lo = tf.gather(y, tf.range(0, size - 1), axis=axis)
    if x is None:
        steps = tf.cast(dx, dtype)
    else:
        x = _cast(_array(x), dtype)
        if x.shape.rank == 1:
            steps = x[1:] - x[:-1]
            shape = [1] * y.shape.rank
            shape[axis] = -1
            steps = tf.reshape(steps, shape)
        else:
            n = tf.shape(x)[axis]
            steps = tf.gather(x, tf.range(1, n), axis=axis) - tf.gather(
                x, tf.range(0, n - 1), axis=axis
            )
    return tf.reduce_sum((hi + lo) * steps / 2, axis)


# ---- windows, counting, binning -------------------------------------------------------------


def _window_length(name, x):
    value = _static(_array(x))
    if value is None:
        raise ValueError(
            f"{name}: the window length sets the output shape, so it must be a Python int "
            "(not a symbolic value) inside a `tf.function`."
        )
    return int(value)


def _window(name, np_fn, x, *args):
    values = np_fn(_window_length(name, x), *args)
    return tf.constant(values.astype(floatx()))


def bartlett(x):
    """The Bartlett (triangular) window of ``x`` points."""
    return _window("bartlett", np.bartlett, x)


def blackman(x):
    """The Blackman window of ``x`` points."""
    return _window("blackman", np.blackman, x)


def hamming(x):
    """The Hamming window of ``x`` points."""
    return _window("hamming", np.hamming, x)


def hanning(x):
    """The Hann window of ``x`` points."""
    return _window("hanning", np.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of ``x`` points with shape parameter ``beta``."""
    return _window("kaiser", np.kaiser, x, float(beta))


def bincount(x, weights=None, minlength=0, sparse=False):
    """The number of occurrences (or the sum of ``weights``) of each non-negative integer in
    ``x``; a 2-D ``x`` counts each row."""
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported on the TensorFlow backend.")
    x = _cast(_array(x), "int32")
    if weights is not None:
        weights = _array(weights)
        dtype = result_type(_name(x), _name(weights))
        work = tf.float64 if dtype == "float64" else tf.float32
        weights = tf.cast(weights, work)
    else:
        dtype, work = "int32", tf.int32
    axis = -1 if x.shape.rank == 2 else None
    out = tf.math.bincount(x, weights, minlength=minlength, dtype=work, axis=axis)
    return _cast(out, dtype)


def digitize(x, bins):
    """The index (int32) of the bin each element of ``x`` falls in."""
    bins = _array(bins)
    if bins.shape.rank > 1:
        raise ValueError(
            f"digitize: `bins` must be a 1D array. Received: bins.shape={tuple(bins.shape)}"
        )
    x = _array(x)
    dtype = result_type(_name(x), _name(bins))
    x, bins = _cast(x, dtype), _cast(bins, dtype)
    flat = tf.reshape(x, (1, -1))
    out = tf.searchsorted(bins[None], flat, side="right", out_type=tf.int32)
    return tf.reshape(out, tf.shape(x))


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
    if x.shape.rank != 1:
        raise ValueError(
            f"histogram: input tensor must be 1-dimensional. Received: input.shape={tuple(x.shape)}"
        )
    if not x.dtype.is_floating:
        x = _cast(x, floatx())
    if range:
        lo, hi = tf.cast(range[0], x.dtype), tf.cast(range[1], x.dtype)
    else:
        lo, hi = tf.reduce_min(x), tf.reduce_max(x)
        same = tf.equal(lo, hi)
        lo = tf.where(same, lo - 0.5, lo)
        hi = tf.where(same, hi + 0.5, hi)
    edges = lo + (hi - lo) * tf.range(bins + 1, dtype=x.dtype) / bins
    inside = (x >= lo) & (x <= hi)
    index = tf.cast(tf.floor((x - lo) / (hi - lo) * bins), tf.int32)
    index = tf.clip_by_value(index, 0, bins - 1)
    counts = tf.math.unsorted_segment_sum(tf.cast(inside, x.dtype), index, bins)
    return counts, edges


def corrcoef(x):
    """The Pearson correlation coefficients of the rows of ``x``."""
    x = _array(x)
    dtype = _name(x)
    if dtype in ("int64", "float64"):
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16"):
        dtype = floatx()
    x = _cast(x, result_type(dtype, "float32"))
    if x.shape.rank == 1:
        x = x[None]
    centered = x - tf.reduce_mean(x, axis=1, keepdims=True)
    cov = tf.linalg.matmul(centered, centered, transpose_b=True)
    d = tf.sqrt(tf.linalg.diag_part(cov))
    out = cov / d[:, None] / d[None, :]
    return _cast(tf.clip_by_value(out, -1.0, 1.0), dtype)


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
    a = tf.reshape(_array(x1, dtype), (-1,))
    v = tf.reshape(_array(x2, dtype), (-1,))
    n, m = a.shape[0], v.shape[0]
    padded = tf.pad(a, [[m - 1, m - 1]])
    full = tf.linalg.matvec(tf.signal.frame(padded, m, 1), v)  # length n + m - 1
    if mode == "full":
        out = full
    elif mode == "same":
        length = max(n, m)
        start = (n + m - 1 - length) // 2
        out = full[start : start + length]
    else:
        length = max(n, m) - min(n, m) + 1
        start = min(n, m) - 1
        out = full[start : start + length]
    return tf.squeeze(out, 0) if out.shape[0] == 1 else out  # a single value is 0-d
