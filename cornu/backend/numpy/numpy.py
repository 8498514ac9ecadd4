"""NumPy-like operations on NumPy arrays, with Keras's names, signatures and result dtypes."""

import builtins

import numpy as np

from cornu.backend.numpy.core import to_numpy_dtype
from cornu.backend.numpy.numpy_array import *  # noqa: F401,F403
from cornu.backend.numpy.numpy_extra import *  # noqa: F401,F403
from cornu.backend.numpy.numpy_stats import *  # noqa: F401,F403
from cornu.backend.numpy.operands import _array, _dtype_of, _float, _pair, _promote
from cornu.core.config import floatx
from cornu.core.dtypes import result_type


def _binary(name, fn, doc, promote=True):
    def op(x1, x2):
        if promote:
            x1, x2 = _pair(x1, x2)
        else:
            x1, x2 = _array(x1), _array(x2)
        return np.asarray(fn(x1, x2))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _unary(name, fn, doc, floating=False):
    def op(x):
        x = _float(x) if floating else _array(x)
        out = np.asarray(fn(x))
        return out.astype(x.dtype, copy=False) if out.dtype != x.dtype and floating else out

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


add = _binary("add", np.add, "``x1 + x2`` element-wise, with broadcasting.")
multiply = _binary("multiply", np.multiply, "``x1 * x2`` element-wise, with broadcasting.")
maximum = _binary("maximum", np.maximum, "The element-wise maximum (NaN when either is NaN).")
minimum = _binary("minimum", np.minimum, "The element-wise minimum (NaN when either is NaN).")
power = _binary("power", np.power, "``x1 ** x2`` element-wise.")
equal = _binary("equal", np.equal, "``x1 == x2`` element-wise, as booleans.")
not_equal = _binary("not_equal", np.not_equal, "``x1 != x2`` element-wise.")
greater = _binary("greater", np.greater, "``x1 > x2`` element-wise, as booleans.")
greater_equal = _binary("greater_equal", np.greater_equal, "``x1 >= x2`` element-wise.")
less = _binary("less", np.less, "``x1 < x2`` element-wise, as booleans.")
less_equal = _binary("less_equal", np.less_equal, "``x1 <= x2`` element-wise.")
logical_and = _binary("logical_and", np.logical_and, "Element-wise logical AND.", False)
logical_or = _binary("logical_or", np.logical_or, "Element-wise logical OR.", False)


def subtract(x1, x2):
    """``x1 - x2`` element-wise; a boolean operand takes the other operand's dtype."""
    x1, x2 = _pair(x1, x2)
    if x1.dtype == np.bool_:
        return np.logical_xor(x1, x2)
    return np.subtract(x1, x2)


def divide(x1, x2):
    """``x1 / x2`` element-wise (true division: integers give floats)."""
    x1, x2 = _pair(x1, x2)
    dtype = x1.dtype
    if dtype.kind not in "fc" and dtype.name != "bfloat16":
        dtype = to_numpy_dtype(result_type(dtype.name, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.true_divide(x1, x2)).astype(dtype, copy=False)


true_divide = divide


def divide_no_nan(x1, x2):
    """``x1 / x2``, and 0 where ``x2`` is 0."""
    x1, x2 = _pair(x1, x2)
    if x1.dtype.kind not in "fc":
        x1, x2 = _float(x1), _float(x2)
    zero = x2 == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zero, np.zeros_like(x1), x1 / np.where(zero, np.ones_like(x2), x2))


negative = _unary("negative", np.negative, "``-x`` element-wise.")
logical_not = _unary("logical_not", np.logical_not, "Element-wise logical NOT.")
abs = _unary("abs", np.abs, "The absolute value element-wise.")
absolute = abs
sign = _unary("sign", np.sign, "The sign (-1, 0 or 1) element-wise.")
sqrt = _unary("sqrt", np.sqrt, "The square root element-wise.", True)


def square(x):
    """``x * x`` element-wise (booleans square as int32)."""
    x = _array(x)
    return np.square(x.astype(np.int32) if x.dtype == np.bool_ else x)


exp = _unary("exp", np.exp, "``e ** x`` element-wise.", True)
expm1 = _unary("expm1", np.expm1, "``exp(x) - 1`` element-wise.", True)
log = _unary("log", np.log, "The natural logarithm element-wise.", True)
log1p = _unary("log1p", np.log1p, "``log(1 + x)`` element-wise.", True)
log2 = _unary("log2", np.log2, "The base-2 logarithm element-wise.", True)
log10 = _unary("log10", np.log10, "The base-10 logarithm element-wise.", True)
sin = _unary("sin", np.sin, "The sine element-wise.", True)
cos = _unary("cos", np.cos, "The cosine element-wise.", True)
tan = _unary("tan", np.tan, "The tangent element-wise.", True)
tanh = _unary("tanh", np.tanh, "The hyperbolic tangent element-wise.", True)
arctan = _unary("arctan", np.arctan, "The inverse tangent element-wise.", True)
isnan = _unary("isnan", np.isnan, "True where ``x`` is NaN.")
isinf = _unary("isinf", np.isinf, "True where ``x`` is infinite.")
isfinite = _unary("isfinite", np.isfinite, "True where ``x`` is finite.")


def rsqrt(x):
    """``1 / sqrt(x)`` element-wise."""
    x = _float(x)
    with np.errstate(divide="ignore"):
        return (1.0 / np.sqrt(x)).astype(x.dtype, copy=False)


def _rounding_dtype(x):
    # Keras rounds integers to floats: int64 to floatx(), the others to their float type.
    if x.dtype.kind in "fc" or x.dtype.name == "bfloat16":
        return x.dtype
    return to_numpy_dtype(floatx() if x.dtype == np.int64 else result_type(x.dtype.name, float))


def floor(x):
    """The largest integer not above ``x`` element-wise; integers give floats, as in Keras."""
    x = _array(x)
    return np.floor(x.astype(_rounding_dtype(x), copy=False))


def ceil(x):
    """The smallest integer not below ``x`` element-wise; integers give floats, as in Keras."""
    x = _array(x)
    return np.ceil(x.astype(_rounding_dtype(x), copy=False))


def outer(x1, x2):
    """The outer product of two flattened arrays."""
    x1, x2 = _pair(x1, x2)
    return np.outer(x1, x2)


def tril(x, k=0):
    """``x`` with the elements above the ``k``-th diagonal zeroed."""
    return np.tril(_array(x), k)


def triu(x, k=0):
    """``x`` with the elements below the ``k``-th diagonal zeroed."""
    return np.triu(_array(x), k)


def zeros_like(x, dtype=None):
    """Zeros of the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    return np.zeros(x.shape, dtype=to_numpy_dtype(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    """Ones of the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    return np.ones(x.shape, dtype=to_numpy_dtype(dtype) if dtype else x.dtype)


def full_like(x, fill_value, dtype=None):
    """``fill_value`` in the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    return np.full(x.shape, fill_value, dtype=to_numpy_dtype(dtype) if dtype else x.dtype)


def matmul(x1, x2):
    """The matrix product (batched over leading axes); int8 by int8 gives int32."""
    x1, x2 = _array(x1), _array(x2)
    if x1.dtype == np.int8 and x2.dtype == np.int8:
        return np.matmul(x1.astype(np.int32), x2.astype(np.int32))
    # Keras's matmul casts to its result_type (64-bit narrowed to 32), not torch's promotion.
    dtype = to_numpy_dtype(result_type(x1.dtype.name, x2.dtype.name))
    x1, x2 = x1.astype(dtype, copy=False), x2.astype(dtype, copy=False)
    if x1.dtype == np.bool_:
        return np.matmul(x1.astype(floatx()), x2.astype(floatx())).astype(np.bool_)
    return np.matmul(x1, x2)


def where(condition, x1=None, x2=None):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``; with ``condition``
    alone, the indices of its true elements as a ``(ndim, count)`` array."""
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "`x1` and `x2` either both should be `None` or both should have non-None value. "
            f"Received: x1={x1!r}, x2={x2!r}"
        )
    condition = _array(condition, "bool")
    if x1 is None:
        return np.stack(np.nonzero(condition), axis=0)
    x1, x2 = _pair(x1, x2)
    return np.where(condition, x1, x2)


def _axis(axis):
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def sum(x, axis=None, keepdims=False):
    """Sum of the elements over ``axis`` (all when None)."""
    x = _array(x)
    dtype = x.dtype
    if dtype.kind == "b" or (dtype.kind in "iu" and dtype.itemsize < 4) or dtype == np.int32:
        dtype = np.dtype("int32")  # as torch sums them (uint8 included)
    return np.asarray(np.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype))


def _accumulator(x):
    # NumPy sums float32 along strided axes one by one in float32; torch's cascaded sums are
    # closer to exact. Accumulating in float64 gives the correctly rounded result.
    return np.float64 if x.dtype.kind == "f" and x.dtype.itemsize <= 4 else None


def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all when None); integer inputs give floats."""
    x = _float(x)
    out = np.mean(x, axis=_axis(axis), keepdims=keepdims, dtype=_accumulator(x))
    return np.asarray(out).astype(x.dtype)


def var(x, axis=None, keepdims=False):
    """Biased variance over ``axis``."""
    x = _float(x)
    out = np.var(x, axis=_axis(axis), keepdims=keepdims, dtype=_accumulator(x))
    return np.asarray(out).astype(x.dtype)


def std(x, axis=None, keepdims=False):
    """Biased standard deviation over ``axis``."""
    x = _float(x)
    out = np.std(x, axis=_axis(axis), keepdims=keepdims, dtype=_accumulator(x))
    return np.asarray(out).astype(x.dtype)


def max(x, axis=None, keepdims=False, initial=None):
    """Largest element over ``axis``."""
    return np.asarray(np.max(_array(x), axis=_axis(axis), keepdims=keepdims, initial=initial))


def min(x, axis=None, keepdims=False, initial=None):
    """Smallest element over ``axis``."""
    return np.asarray(np.min(_array(x), axis=_axis(axis), keepdims=keepdims, initial=initial))


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of the elements over ``axis``; small integers and booleans multiply as int32,
    and a 64-bit dtype gives its 32-bit one, as Keras's ``result_type``."""
    x = _array(x)
    if dtype is None:
        dtype = result_type(x.dtype.name)
        if dtype in ("bool", "uint8", "int8", "int16"):
            dtype = "int32"
    dtype = to_numpy_dtype(result_type(dtype))
    if axis is None:
        keepdims = False  # as Keras on torch
    return np.asarray(np.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)).astype(dtype)


def all(x, axis=None, keepdims=False):
    """True where every element over ``axis`` is true."""
    return np.asarray(np.all(_array(x), axis=_axis(axis), keepdims=keepdims))


def any(x, axis=None, keepdims=False):
    """True where some element over ``axis`` is true."""
    return np.asarray(np.any(_array(x), axis=_axis(axis), keepdims=keepdims))


def argmax(x, axis=None, keepdims=False):
    """Index of the largest element along ``axis`` (of the flattened array when None)."""
    out = np.argmax(_array(x), axis=axis, keepdims=keepdims)
    return np.asarray(out, dtype=np.int32)


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest element along ``axis``."""
    out = np.argmin(_array(x), axis=axis, keepdims=keepdims)
    return np.asarray(out, dtype=np.int32)


def argsort(x, axis=-1):
    """Indices that sort ``x`` along ``axis`` (stable)."""
    x = _array(x)
    if x.ndim == 0:
        return np.zeros((), np.int32)
    return np.argsort(x, axis=axis, kind="stable").astype(np.int32)


def sort(x, axis=-1):
    """``x`` sorted along ``axis``."""
    x = _array(x)
    return x.copy() if x.ndim == 0 else np.sort(x, axis=axis)


def _cumulative(np_fn, x, axis, dtype):
    x = _array(x)
    dtype = result_type(dtype or x.dtype.name)  # 64-bit dtypes give 32-bit ones, as Keras
    if dtype == "bool":
        dtype = "int32"
    dtype = to_numpy_dtype(dtype)
    return np.asarray(np_fn(x, axis=axis, dtype=dtype)).astype(dtype, copy=False)


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (of the flattened array when None)."""
    return _cumulative(np.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    """Cumulative product along ``axis`` (of the flattened array when None)."""
    return _cumulative(np.cumprod, x, axis, dtype)


def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]``."""
    x = _array(x)
    if x.dtype == np.bool_:
        x = x.astype(np.int32)
    return np.clip(x, x_min, x_max).astype(x.dtype, copy=False)


def round(x, decimals=0):
    """``x`` rounded half to even."""
    return np.round(_array(x), decimals=decimals)


def reshape(x, newshape):
    """``x`` with a new shape (one size may be -1)."""
    if isinstance(newshape, (int, np.integer)):
        newshape = (int(newshape),)
    return np.reshape(_array(x), tuple(int(s) for s in newshape))


def transpose(x, axes=None):
    """``x`` with its axes permuted (reversed when ``axes`` is None)."""
    return np.transpose(_array(x), axes)


def swapaxes(x, axis1, axis2):
    """``x`` with two axes exchanged."""
    return np.swapaxes(_array(x), axis1, axis2)


def moveaxis(x, source, destination):
    """``x`` with axes moved to new positions."""
    return np.moveaxis(_array(x), source, destination)


def expand_dims(x, axis):
    """``x`` with a new axis of size 1 at ``axis``."""
    return np.expand_dims(_array(x), _axis(axis))


def squeeze(x, axis=None):
    """``x`` without its axes of size 1 (only ``axis`` when given)."""
    return np.squeeze(_array(x), axis=_axis(axis))


def _joined(xs):
    arrays = [_array(x) for x in xs]
    dtype = to_numpy_dtype(_promote(*(a.dtype.name for a in arrays)))
    return [a.astype(dtype, copy=False) for a in arrays]


def concatenate(xs, axis=0):
    """Joins arrays along an existing axis."""
    return np.concatenate(_joined(xs), axis=axis)


def stack(x, axis=0):
    """Joins the arrays of ``x`` along a new axis."""
    return np.stack(_joined(x), axis=axis)


def split(x, indices_or_sections, axis=0):
    """Splits ``x`` into equal sections, or at the given indices."""
    return np.array_split(_array(x), indices_or_sections, axis=axis)


def tile(x, repeats):
    """``x`` repeated ``repeats`` times along each axis."""
    return np.tile(_array(x), repeats)


def repeat(x, repeats, axis=None):
    """Each element repeated ``repeats`` times along ``axis``."""
    return np.repeat(_array(x), repeats, axis=axis)


def take(x, indices, axis=None):
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened array when None)."""
    return np.take(_array(x), np.asarray(_array(indices), dtype=np.int64), axis=axis)


def take_along_axis(x, indices, axis=None):
    """Elements of ``x`` picked by ``indices`` along ``axis``."""
    x = _array(x)
    indices = np.asarray(_array(indices), dtype=np.int64)
    if axis is None:
        return np.take(x.reshape(-1), indices)
    shape = list(
        np.broadcast_shapes(
            x.shape[: axis % x.ndim] + (1,) + x.shape[axis % x.ndim + 1 :],
            indices.shape[: axis % x.ndim] + (1,) + indices.shape[axis % x.ndim + 1 :],
        )
    )
    x_shape = list(shape)
    x_shape[axis] = x.shape[axis]
    i_shape = list(shape)
    i_shape[axis] = indices.shape[axis]
    return np.take_along_axis(np.broadcast_to(x, x_shape), np.broadcast_to(indices, i_shape), axis)


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def zeros(shape, dtype=None):
    """An array of zeros."""
    return np.zeros(_shape(shape), dtype=to_numpy_dtype(dtype))


def ones(shape, dtype=None):
    """An array of ones."""
    return np.ones(_shape(shape), dtype=to_numpy_dtype(dtype))


def full(shape, fill_value, dtype=None):
    """An array filled with ``fill_value`` (of ``floatx()`` unless ``dtype`` is given)."""
    return np.full(_shape(shape), fill_value, dtype=to_numpy_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    """A 2-D array with ones on the ``k``-th diagonal."""
    return np.eye(N, M, k, dtype=to_numpy_dtype(dtype))


def identity(n, dtype=None):
    """The ``n`` by ``n`` identity matrix."""
    return np.identity(n, dtype=to_numpy_dtype(dtype))


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in ``[start, stop)`` (``[0, start)`` when ``stop`` is None), ``step``
    apart (1 when None); the dtype is promoted from the arguments when None."""
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = result_type(*(_dtype_of(v) for v in given))
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    return np.arange(start, stop, step, dtype=to_numpy_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` along ``axis``; with ``retstep``
    also the spacing."""
    if dtype is None:
        dtype = result_type(_dtype_of(start), _dtype_of(stop), float)
    dtype = to_numpy_dtype(dtype)
    out = np.linspace(
        _array(start), _array(stop), num, endpoint=endpoint, retstep=retstep, axis=axis
    )
    if retstep:
        # The spacing is computed as Keras on torch computes it: from the arguments as given.
        step = out[1].item() if np.ndim(out[1]) == 0 else out[1]
        return out[0].astype(dtype), step
    return out.astype(dtype)


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of ``x``."""
    return np.diagonal(_array(x), offset, axis1, axis2)


def diag(x, k=0):
    """The ``k``-th diagonal of a 2-D ``x``, or a 2-D array with a 1-D ``x`` on it."""
    return np.diag(_array(x), k)


def dot(x1, x2):
    """The dot product (matrix product for 2-D, sum over the last and first axes else)."""
    x1, x2 = _pair(x1, x2)
    return np.asarray(np.dot(x1, x2))


def tensordot(x1, x2, axes=2):
    """Sum of products over the given axes."""
    x1, x2 = _pair(x1, x2)
    return np.tensordot(x1, x2, axes=axes)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation (extra keyword arguments are accepted and ignored, as Keras's
    other backends take engine options there)."""
    arrays = [_array(o) for o in operands]
    if arrays and builtins.all(a.dtype == np.int8 for a in arrays):  # as Keras on torch
        return np.asarray(np.einsum(subscripts, *(a.astype(np.int32) for a in arrays)))
    if len(arrays) == 1 and arrays[0].dtype.kind in "biu" and "->" in subscripts:
        inputs, output = subscripts.replace(" ", "").split("->")
        if len(set(output)) < len(set(inputs)):  # a sum over an axis: torch sums ints as int64
            return np.asarray(np.einsum(subscripts, arrays[0].astype(np.int64)))
    arrays = _joined(arrays)
    return np.asarray(np.einsum(subscripts, *arrays, optimize=len(arrays) > 2))


def pad(x, pad_width, mode="constant", constant_values=None):
    """``x`` padded by ``pad_width`` (pairs of before/after sizes per axis, as NumPy)."""
    x = _array(x)
    pad_width = (
        [tuple(int(v) for v in p) for p in pad_width]
        if not isinstance(pad_width, int)
        else pad_width
    )
    if mode == "constant":
        return np.pad(x, pad_width, mode="constant", constant_values=constant_values or 0)
    if constant_values is not None:
        raise ValueError(
            "Argument `constant_values` can only be provided when `mode == 'constant'`. "
            f"Received: mode={mode}"
        )
    return np.pad(x, pad_width, mode=mode)


def count_nonzero(x, axis=None):
    """Number of non-zero elements over ``axis``."""
    return np.asarray(np.count_nonzero(_array(x), axis=_axis(axis)), dtype=np.int32)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with NaN and infinities replaced."""
    return np.nan_to_num(_array(x), nan=nan, posinf=posinf, neginf=neginf)


def size(x):
    """Number of elements."""
    return int(np.size(_array(x)))


def broadcast_to(x, shape):
    """``x`` broadcast to ``shape``."""
    return np.broadcast_to(_array(x), _shape(shape))


def copy(x):
    """A copy of ``x`` that shares no memory with it."""
    return np.array(_array(x), copy=True)


def flip(x, axis=None):
    """``x`` with the order of its elements reversed along ``axis`` (all axes when None)."""
    return np.flip(_array(x), axis=_axis(axis))
