"""Reductions and statistics on torch tensors (arg-reductions, cumulative and NaN-ignoring
reductions, quantiles, averages, histograms), with Keras's names, signatures and result dtypes.
"""

import math

import torch

from cornu.backend.torch.core import to_torch_dtype
from cornu.backend.torch.operands import _cast, _dtype_name, _to_tensor, floatx, result_type

__all__ = [
    "amax",
    "amin",
    "argmax",
    "argmin",
    "argsort",
    "average",
    "bincount",
    "corrcoef",
    "cumprod",
    "cumsum",
    "histogram",
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
    "prod",
    "ptp",
    "quantile",
    "trace",
    "trapezoid",
]

_SMALL_INTS = ("bool", "uint8", "int8", "int16")


def _empty_axis(axis):
    return isinstance(axis, (tuple, list)) and len(axis) == 0


def _dims(axis):
    """``axis`` as torch's ``dim`` argument: all axes (``()``) when None."""
    if axis is None:
        return ()
    return tuple(axis) if isinstance(axis, (tuple, list)) else axis


def _extreme(reduce, x, axis, keepdims):
    """``torch.amax`` or ``torch.amin`` (``reduce``) over ``axis``: all axes when None, ``x``
    itself for an empty tuple of axes."""
    x = _to_tensor(x)
    if axis is None:
        return reduce(x)
    if _empty_axis(axis):
        return x
    return reduce(x, dim=_dims(axis), keepdim=keepdims)


def amax(x, axis=None, keepdims=False):
    """The largest element over ``axis`` (all axes when None)."""
    return _extreme(torch.amax, x, axis, keepdims)


def amin(x, axis=None, keepdims=False):
    """The smallest element over ``axis`` (all axes when None)."""
    return _extreme(torch.amin, x, axis, keepdims)


def _arg_input(x):
    x = _to_tensor(x)
    return x.to(torch.uint8) if x.dtype == torch.bool else x


def argmax(x, axis=None, keepdims=False):
    """Index (int32) of the largest element along ``axis`` (of the flattened array when None)."""
    return torch.argmax(_arg_input(x), dim=axis, keepdim=keepdims).to(torch.int32)


def argmin(x, axis=None, keepdims=False):
    """Index (int32) of the smallest element along ``axis`` (of the flattened array when None)."""
    return torch.argmin(_arg_input(x), dim=axis, keepdim=keepdims).to(torch.int32)


def argsort(x, axis=-1):
    """Indices (int32) that sort ``x`` along ``axis`` (the flattened array when None)."""
    x = _arg_input(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def _cumulative(fn, x, axis, dtype):
    x = _to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    dtype = result_type(dtype or x.dtype)
    if dtype == "bool":
        dtype = "int32"
    elif dtype == "float16" and x.device.type == "cpu":
        return fn(x, dim=axis, dtype=torch.float32).to(torch.float16)
    return fn(x, dim=axis, dtype=to_torch_dtype(dtype))


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (of the flattened array when None); booleans give int32."""
    return _cumulative(torch.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    """Cumulative product along ``axis`` (of the flattened array when None)."""
    return _cumulative(torch.cumprod, x, axis, dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of the elements over ``axis``; booleans and small integers give int32."""
    x = _to_tensor(x)
    if dtype is None:
        dtype = result_type(x.dtype)
        if dtype in _SMALL_INTS:
            dtype = "int32"
    dtype = result_type(dtype)
    compute = to_torch_dtype(dtype)
    if dtype == "float16" and x.device.type == "cpu":
        compute = torch.float32
    if axis is None:
        return _cast(torch.prod(x, dtype=compute), dtype)
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in sorted((a % x.ndim for a in axes), reverse=True):
        x = _cast(torch.prod(x, dim=a, keepdim=keepdims, dtype=compute), dtype)
    return x


def average(x, axis=None, weights=None):
    """Weighted mean over ``axis`` (an int or None); ``weights`` has ``x``'s shape, or is 1-D
    with the length of ``x`` along ``axis``.

    Keras on torch divides by the weights summed over their last axis, which fails for 1-D
    weights along another axis and gives a vector for 2-D weights with ``axis=None``; here
    the weights are summed over the averaged axis, as NumPy does (the same wherever Keras's
    result is right).
    """
    x = _to_tensor(x)
    dtypes = [x.dtype, float]
    if weights is not None:
        weights = _to_tensor(weights)
        dtypes.append(weights.dtype)
    dtype = result_type(*dtypes)
    x = _cast(x, dtype)
    if _empty_axis(axis):
        return x
    if weights is None:
        return torch.mean(x) if axis is None else torch.mean(x, dim=axis)
    weights = _cast(weights, dtype)
    if weights.shape == x.shape:
        return torch.sum(x * weights, dim=axis) / torch.sum(weights, dim=axis)
    if axis is not None and weights.ndim == 1 and weights.shape[0] == x.shape[axis]:
        shape = [1] * x.ndim
        shape[axis] = -1
        return torch.sum(x * weights.reshape(shape), dim=axis) / torch.sum(weights)
    raise ValueError(
        "average: `weights` must have the shape of `x`, or be 1-D with the length of `x` at "
        f"`axis={axis}`. Received: weights.shape={tuple(weights.shape)}, "
        f"x.shape={tuple(x.shape)}"
    )


def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts of each non-negative integer in ``x`` (1-D, or 2-D counted row by row), weighted
    when ``weights`` is given."""
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported on the torch backend.")
    x = _to_tensor(x)
    dtype = "int32"
    if weights is not None:
        weights = _to_tensor(weights)
        dtype = result_type(x.dtype, weights.dtype)
    if x.ndim == 2:
        # Every row counts up to the same length (the largest value), so the rows stack.
        if x.numel():
            minlength = max(minlength, int(x.max()) + 1)
        rows = [
            torch.bincount(row, None if weights is None else w, minlength=minlength)
            for row, w in zip(x, weights if weights is not None else [None] * len(x))
        ]
        return _cast(torch.stack(rows), dtype)
    return _cast(torch.bincount(x, weights, minlength), dtype)


def histogram(x, bins=10, range=None):
    """The counts of 1-D ``x`` in ``bins`` equal bins over ``range`` (its min and max when
    None), and the ``bins + 1`` bin edges."""
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
    x = _to_tensor(x)
    if x.ndim > 1:
        raise ValueError(
            f"histogram: input tensor must be 1-dimensional. Received: input.shape={tuple(x.shape)}"
        )
    device = x.device
    if not (x.is_floating_point()):
        x = x.to(to_torch_dtype(floatx()))
    # torch.histogram runs on the CPU only.
    counts, edges = torch.histogram(x.cpu(), bins=bins, range=range)
    return counts.to(device), edges.to(device)


def corrcoef(x):
    """Pearson correlation coefficients of the rows of ``x``."""
    x = _to_tensor(x)
    if x.dtype == torch.bool:
        x = _cast(x, floatx())
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.corrcoef(x)


def ptp(x, axis=None, keepdims=False):
    """Range (maximum minus minimum) of the values over ``axis``."""
    x = _to_tensor(x)
    if axis is None:
        return x.max() - x.min()
    if axis == ():
        return torch.zeros_like(x)
    dims = _dims(axis)
    return torch.amax(x, dim=dims, keepdim=keepdims) - torch.amin(x, dim=dims, keepdim=keepdims)


def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along a diagonal of ``x`` (booleans and small integers give int32)."""
    x = _to_tensor(x)
    dtype = _dtype_name(x)
    if dtype in _SMALL_INTS:
        dtype = "int32"
    diagonal = torch.diagonal(x, offset, axis1, axis2)
    return torch.sum(diagonal, dim=-1, dtype=to_torch_dtype(dtype))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of ``y`` along ``axis`` by the trapezoidal rule, at points ``x`` or spaced
    ``dx`` apart."""
    y = _to_tensor(y)
    if y.dtype == torch.bool:
        y = _cast(y, floatx())
    if x is not None:
        return torch.trapezoid(y, x=_to_tensor(x), dim=axis)
    return torch.trapezoid(y, dx=_to_tensor(dx), dim=axis)


# ---- quantiles ----------------------------------------------------------------------------


def _quantile(fn, x, q, axis, method, keepdims):
    x = _to_tensor(x)
    q = _to_tensor(q)
    if isinstance(axis, int):
        axis = (axis,)
    compute = result_type(x.dtype, "float32")
    out_dtype = result_type(x.dtype, float)
    x = _cast(x, compute)
    q = q.to(x.dtype)
    if axis is None:
        y = x.reshape(-1)
    else:
        axis = [a % x.ndim for a in axis]
        others = [i for i in range(x.ndim) if i not in axis]
        y = x.permute(*others, *axis)
        y = y.reshape([x.shape[i] for i in others] + [math.prod(x.shape[i] for i in axis)])
    y = fn(y, q, dim=-1, interpolation=method)
    if keepdims:
        if axis is None:
            y = y.reshape(y.shape + (1,) * x.ndim)
        else:
            for i in sorted(axis):
                y = y.unsqueeze(i + 1 if q.ndim > 0 else i)
    return _cast(y, out_dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) of ``x`` over ``axis``; a 1-D ``q`` adds a
    leading axis. ``method`` is one of "linear", "lower", "higher", "midpoint", "nearest"."""
    return _quantile(torch.quantile, x, q, axis, method, keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """``quantile`` ignoring NaNs."""
    return _quantile(torch.nanquantile, x, q, axis, method, keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) of ``x`` over ``axis``."""
    q = _to_tensor(q).to(to_torch_dtype(floatx())) / 100.0
    return quantile(x, q, axis=axis, method=method, keepdims=keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """``percentile`` ignoring NaNs."""
    q = _to_tensor(q).to(to_torch_dtype(floatx())) / 100.0
    return nanquantile(x, q, axis=axis, method=method, keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    """The median over ``axis`` (the mean of the two middle values for even lengths)."""
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    """The median over ``axis``, ignoring NaNs."""
    x = _to_tensor(x)
    if _empty_axis(axis):
        return x
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


# ---- reductions that ignore NaN -----------------------------------------------------------


def _nan_arg(fn, fill, x, axis, keepdims):
    x = _to_tensor(x)
    if not x.is_floating_point():
        return fn(x, axis=axis, keepdims=keepdims)
    nan = torch.isnan(x)
    index = fn(torch.where(nan, fill, x), axis=axis, keepdims=keepdims)
    all_nan = nan.all() if axis is None else nan.all(dim=axis, keepdim=keepdims)
    if axis is None and keepdims:
        all_nan = all_nan.reshape((1,) * x.ndim)
    return torch.where(all_nan, torch.tensor(-1, dtype=torch.int32, device=x.device), index)


def nanargmax(x, axis=None, keepdims=False):
    """``argmax`` ignoring NaNs; -1 where every value is NaN."""
    return _nan_arg(argmax, float("-inf"), x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """``argmin`` ignoring NaNs; -1 where every value is NaN."""
    return _nan_arg(argmin, float("inf"), x, axis, keepdims)


def _without_nan(x, value):
    x = _to_tensor(x)
    if x.is_floating_point() or x.is_complex():
        return torch.nan_to_num(x, nan=value)
    return x


def nancumsum(x, axis=None, dtype=None):
    """``cumsum`` with NaNs counted as zero."""
    return cumsum(_without_nan(x, 0.0), axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    """``cumprod`` with NaNs counted as one."""
    return cumprod(_without_nan(x, 1.0), axis=axis, dtype=dtype)


def _nan_extreme(reduce, fill, x, axis, keepdims):
    x = _to_tensor(x)
    if not x.is_floating_point():
        return reduce(x, dim=_dims(axis), keepdim=keepdims)
    if _empty_axis(axis):
        return x
    nan = torch.isnan(x)
    out = reduce(torch.where(nan, fill, x), dim=_dims(axis), keepdim=keepdims)
    all_nan = nan.all(dim=_dims(axis) if axis is not None else None, keepdim=keepdims)
    if axis is None and keepdims:
        all_nan = all_nan.reshape((1,) * x.ndim)
    return torch.where(all_nan, torch.tensor(float("nan"), dtype=x.dtype, device=x.device), out)


def nanmax(x, axis=None, keepdims=False):
    """The largest element over ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return _nan_extreme(torch.amax, float("-inf"), x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    """The smallest element over ``axis``, ignoring NaNs (NaN where all are NaN)."""
    return _nan_extreme(torch.amin, float("inf"), x, axis, keepdims)


def nansum(x, axis=None, keepdims=False):
    """Sum over ``axis`` with NaNs counted as zero; booleans and small integers give int32."""
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], torch.Tensor):
        x = torch.stack(list(x))
    x = _to_tensor(x)
    dtype = _dtype_name(x)
    if dtype in _SMALL_INTS:
        dtype = "int32"
    if _empty_axis(axis):
        return _cast(torch.nan_to_num(x, nan=0), dtype)
    return _cast(torch.nansum(x, dim=_dims(axis), keepdim=keepdims), dtype)


def nanprod(x, axis=None, keepdims=False):
    """Product over ``axis`` with NaNs counted as one."""
    x = _to_tensor(x)
    if _empty_axis(axis):
        return torch.nan_to_num(x, nan=1)
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), torch.ones((), dtype=x.dtype, device=x.device), x)
    return prod(x, axis=axis, keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """Mean over ``axis`` of the values that are not NaN."""
    x = _to_tensor(x)
    if _empty_axis(axis):
        return x
    x = _cast(x, result_type(x.dtype, float))
    return torch.nanmean(x, dim=_dims(axis) if axis is not None else None, keepdim=keepdims)


def nanvar(x, axis=None, keepdims=False):
    """Variance over ``axis`` of the values that are not NaN."""
    x = _to_tensor(x)
    x = _cast(x, result_type(x.dtype, float))
    if _empty_axis(axis):
        return torch.where(torch.isnan(x), x, torch.zeros((), dtype=x.dtype, device=x.device))
    dims = _dims(axis) if axis is not None else None
    valid = ~torch.isnan(x)
    mean = torch.nanmean(x, dim=dims, keepdim=True)
    centered = torch.where(valid, x - mean, torch.zeros_like(x))
    if centered.is_complex():
        squares = centered.real * centered.real + centered.imag * centered.imag
    else:
        squares = centered.square()
    count = valid.sum(dim=dims, keepdim=keepdims)
    return squares.sum(dim=dims, keepdim=keepdims) / count


def nanstd(x, axis=None, keepdims=False):
    """Standard deviation over ``axis`` of the values that are not NaN."""
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))
