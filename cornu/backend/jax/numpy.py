"""NumPy-like operations on jax arrays, with Keras's names, signatures and result dtypes."""

import builtins

import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import from_host, to_jax_dtype, tracing
from cornu.backend.jax.numpy_array import *  # noqa: F401,F403
from cornu.backend.jax.numpy_extra import *  # noqa: F401,F403
from cornu.backend.jax.numpy_stats import *  # noqa: F401,F403
from cornu.backend.jax.operands import (
    _array,
    _axis,
    _cast,
    _dtype_of,
    _float,
    _is_concrete,
    _is_float,
    _name,
    _pair,
    _promote,
    _strong_pair,
)
from cornu.core.config import floatx
from cornu.core.dtypes import result_type


def _binary(name, fn, doc, promote=True):
    def op(x1, x2):
        if promote:
            x1, x2 = _pair(x1, x2)
        else:
            x1, x2 = _array(x1), _array(x2)
        return fn(x1, x2)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _unary(name, fn, doc, floating=False):
    def op(x):
        x = _float(x) if floating else _array(x)
        out = fn(x)
        return _cast(out, x.dtype) if floating else out

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


add = _binary("add", jnp.add, "``x1 + x2`` element-wise, with broadcasting.")
multiply = _binary("multiply", jnp.multiply, "``x1 * x2`` element-wise, with broadcasting.")
maximum = _binary("maximum", jnp.maximum, "The element-wise maximum (NaN when either is NaN).")
minimum = _binary("minimum", jnp.minimum, "The element-wise minimum (NaN when either is NaN).")
equal = _binary("equal", jnp.equal, "``x1 == x2`` element-wise, as booleans.")
not_equal = _binary("not_equal", jnp.not_equal, "``x1 != x2`` element-wise.")
greater = _binary("greater", jnp.greater, "``x1 > x2`` element-wise, as booleans.")
greater_equal = _binary("greater_equal", jnp.greater_equal, "``x1 >= x2`` element-wise.")
less = _binary("less", jnp.less, "``x1 < x2`` element-wise, as booleans.")
less_equal = _binary("less_equal", jnp.less_equal, "``x1 <= x2`` element-wise.")
logical_and = _binary("logical_and", jnp.logical_and, "Element-wise logical AND.", False)
logical_or = _binary("logical_or", jnp.logical_or, "Element-wise logical OR.", False)


def power(x1, x2):
    """``x1 ** x2`` element-wise (booleans stay booleans: ``x1 or not x2``)."""
    x1, x2 = _pair(x1, x2)
    if x1.dtype == jnp.bool_:
        return jnp.logical_or(x1, jnp.logical_not(x2))
    return jnp.power(x1, x2)


def subtract(x1, x2):
    """``x1 - x2`` element-wise; a boolean operand takes the other operand's dtype."""
    x1, x2 = _pair(x1, x2)
    if x1.dtype == jnp.bool_:
        return jnp.logical_xor(x1, x2)
    return jnp.subtract(x1, x2)


def divide(x1, x2):
    """``x1 / x2`` element-wise (true division: integers give floats)."""
    x1, x2 = _pair(x1, x2)
    dtype = x1.dtype if _is_float(x1) else to_jax_dtype(result_type(_name(x1), float))
    return _cast(jnp.true_divide(x1, x2), dtype)


true_divide = divide


def divide_no_nan(x1, x2):
    """``x1 / x2``, and 0 where ``x2`` is 0."""
    # As Keras on torch: ``x1`` as a float, then promoted with ``x2`` as torch promotes.
    # Python numbers there are 0-d tensors, which yield to an array of the same kind.
    weak1 = float if isinstance(x1, (bool, int, float)) else None
    weak2 = type(x2) if isinstance(x2, (bool, int, float)) else None
    x1, x2 = _float(x1), _array(x2)
    dtype = _promote(weak1 or _name(x1), weak2 or _name(x2))
    x1, x2 = _cast(x1, dtype), _cast(x2, dtype)
    zero = x2 == 0
    return jnp.where(zero, jnp.zeros_like(x1), x1 / jnp.where(zero, jnp.ones_like(x2), x2))


negative = _unary("negative", jnp.negative, "``-x`` element-wise.")
logical_not = _unary("logical_not", jnp.logical_not, "Element-wise logical NOT.")
abs = _unary("abs", jnp.abs, "The absolute value element-wise.")
absolute = abs


def sign(x):
    """The sign (-1, 0 or 1) element-wise; booleans are their own sign."""
    x = _array(x)
    return x if x.dtype == jnp.bool_ else jnp.sign(x)


sqrt = _unary("sqrt", jnp.sqrt, "The square root element-wise.", True)


def square(x):
    """``x * x`` element-wise (booleans square as int32)."""
    x = _array(x)
    return jnp.square(x.astype(jnp.int32) if x.dtype == jnp.bool_ else x)


exp = _unary("exp", jnp.exp, "``e ** x`` element-wise.", True)
expm1 = _unary("expm1", jnp.expm1, "``exp(x) - 1`` element-wise.", True)
log = _unary("log", jnp.log, "The natural logarithm element-wise.", True)
log1p = _unary("log1p", jnp.log1p, "``log(1 + x)`` element-wise.", True)
log2 = _unary("log2", jnp.log2, "The base-2 logarithm element-wise.", True)
log10 = _unary("log10", jnp.log10, "The base-10 logarithm element-wise.", True)
sin = _unary("sin", jnp.sin, "The sine element-wise.", True)
cos = _unary("cos", jnp.cos, "The cosine element-wise.", True)
tan = _unary("tan", jnp.tan, "The tangent element-wise.", True)
tanh = _unary("tanh", jnp.tanh, "The hyperbolic tangent element-wise.", True)
arctan = _unary("arctan", jnp.arctan, "The inverse tangent element-wise.", True)
isnan = _unary("isnan", jnp.isnan, "True where ``x`` is NaN.")
isinf = _unary("isinf", jnp.isinf, "True where ``x`` is infinite.")
isfinite = _unary("isfinite", jnp.isfinite, "True where ``x`` is finite.")


def rsqrt(x):
    """``1 / sqrt(x)`` element-wise."""
    x = _float(x)
    return _cast(1.0 / jnp.sqrt(x), x.dtype)


def _rounding_dtype(x):
    # Keras rounds integers to floats: int64 to floatx(), the others to their float type.
    if _is_float(x):
        return x.dtype
    return to_jax_dtype(result_type(_name(x), float))


def floor(x):
    """The largest integer not above ``x`` element-wise; integers give floats, as in Keras."""
    x = _array(x)
    return jnp.floor(_cast(x, _rounding_dtype(x)))


def ceil(x):
    """The smallest integer not below ``x`` element-wise; integers give floats, as in Keras."""
    x = _array(x)
    return jnp.ceil(_cast(x, _rounding_dtype(x)))


def outer(x1, x2):
    """The outer product of two flattened arrays."""
    x1, x2 = _strong_pair(x1, x2)
    return jnp.outer(x1, x2)


def tril(x, k=0):
    """``x`` with the elements above the ``k``-th diagonal zeroed."""
    return jnp.tril(_array(x), k)


def triu(x, k=0):
    """``x`` with the elements below the ``k``-th diagonal zeroed."""
    return jnp.triu(_array(x), k)


def zeros_like(x, dtype=None):
    """Zeros of the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    return jnp.zeros(x.shape, dtype=to_jax_dtype(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    """Ones of the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    return jnp.ones(x.shape, dtype=to_jax_dtype(dtype) if dtype else x.dtype)


def full_like(x, fill_value, dtype=None):
    """``fill_value`` in the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    dtype = to_jax_dtype(dtype) if dtype else x.dtype
    return jnp.full(x.shape, _array(fill_value), dtype=dtype)


def matmul(x1, x2):
    """The matrix product (batched over leading axes); int8 by int8 gives int32."""
    x1, x2 = _array(x1), _array(x2)
    if x1.dtype == jnp.int8 and x2.dtype == jnp.int8:
        return jnp.matmul(x1, x2, preferred_element_type=jnp.int32)
    # Keras's matmul casts to its result_type (64-bit narrowed to 32), not torch's promotion.
    dtype = result_type(_name(x1), _name(x2))
    x1, x2 = _cast(x1, dtype), _cast(x2, dtype)
    if x1.dtype == jnp.bool_:
        return _cast(jnp.matmul(_cast(x1, floatx()), _cast(x2, floatx())), "bool")
    return jnp.matmul(x1, x2)


def where(condition, x1=None, x2=None):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``; with ``condition``
    alone (eagerly only), the indices of its true elements as a ``(ndim, count)`` array."""
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "`x1` and `x2` either both should be `None` or both should have non-None value. "
            f"Received: x1={x1!r}, x2={x2!r}"
        )
    condition = _array(condition, "bool")
    if x1 is None:
        return jnp.stack(jnp.nonzero(condition), axis=0)
    x1, x2 = _pair(x1, x2)
    return jnp.where(condition, x1, x2)


def sum(x, axis=None, keepdims=False):
    """Sum of the elements over ``axis`` (all when None)."""
    x = _array(x)
    dtype = _accumulator(_name(x))
    return jnp.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=to_jax_dtype(dtype))


def _accumulator(dtype):
    """The dtype Keras's JAX backend sums and multiplies ``dtype`` in: booleans and narrow
    signed integers in int32, narrow unsigned ones in uint32 (Keras on torch, which has no
    uint32 kernels, gives int32 there)."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all when None); integer inputs give floats."""
    x = _float(x)
    return _cast(jnp.mean(x, axis=_axis(axis), keepdims=keepdims), x.dtype)


def var(x, axis=None, keepdims=False):
    """Biased variance over ``axis``."""
    x = _float(x)
    return _cast(jnp.var(x, axis=_axis(axis), keepdims=keepdims), x.dtype)


def std(x, axis=None, keepdims=False):
    """Biased standard deviation over ``axis``."""
    x = _float(x)
    return _cast(jnp.std(x, axis=_axis(axis), keepdims=keepdims), x.dtype)


def max(x, axis=None, keepdims=False, initial=None):
    """Largest element over ``axis``."""
    return jnp.max(_array(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Smallest element over ``axis``."""
    return jnp.min(_array(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of the elements over ``axis``; small integers and booleans multiply as int32
    (uint32 when unsigned), and a 64-bit dtype gives its 32-bit one, as Keras's
    ``result_type``."""
    x = _array(x)
    if dtype is None:
        dtype = _accumulator(result_type(_name(x)))
    dtype = to_jax_dtype(result_type(dtype))
    return _cast(jnp.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype), dtype)


def all(x, axis=None, keepdims=False):
    """True where every element over ``axis`` is true."""
    return jnp.all(_array(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    """True where some element over ``axis`` is true."""
    return jnp.any(_array(x), axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    """Index (int32) of the largest element along ``axis`` (of the flattened array when None)."""
    return _cast(jnp.argmax(_array(x), axis=axis, keepdims=keepdims), "int32")


def argmin(x, axis=None, keepdims=False):
    """Index (int32) of the smallest element along ``axis``."""
    return _cast(jnp.argmin(_array(x), axis=axis, keepdims=keepdims), "int32")


def argsort(x, axis=-1):
    """Indices (int32) that sort ``x`` along ``axis`` (stable)."""
    x = _array(x)
    if x.ndim == 0:
        return jnp.zeros((), jnp.int32)
    return _cast(jnp.argsort(x, axis=axis, stable=True), "int32")


def sort(x, axis=-1):
    """``x`` sorted along ``axis``."""
    x = _array(x)
    return x if x.ndim == 0 else jnp.sort(x, axis=axis)


def _cumulative(jnp_fn, x, axis, dtype):
    x = _array(x)
    dtype = result_type(dtype or _name(x))  # 64-bit dtypes give 32-bit ones, as Keras
    if dtype == "bool":
        dtype = "int32"
    return _cast(jnp_fn(x, axis=axis, dtype=to_jax_dtype(dtype)), dtype)


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (of the flattened array when None)."""
    return _cumulative(jnp.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    """Cumulative product along ``axis`` (of the flattened array when None)."""
    return _cumulative(jnp.cumprod, x, axis, dtype)


def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]``."""
    x = _array(x)
    if x.dtype == jnp.bool_:
        x = x.astype(jnp.int32)
    # Python bounds are weak types: a float bound makes an integer ``x`` a float, as in torch.
    bounds = [b for b in (x_min, x_max) if b is not None]
    dtype = _promote(_name(x), *(_dtype_of(b) for b in bounds))
    lo = None if x_min is None else _array(x_min, dtype)
    hi = None if x_max is None else _array(x_max, dtype)
    return _cast(jnp.clip(_cast(x, dtype), lo, hi), dtype)


def round(x, decimals=0):
    """``x`` rounded half to even."""
    return jnp.round(_array(x), decimals=decimals)


def reshape(x, newshape):
    """``x`` with a new shape (one size may be -1)."""
    if isinstance(newshape, (int, np.integer)):
        newshape = (int(newshape),)
    return jnp.reshape(_array(x), tuple(int(s) for s in newshape))


def transpose(x, axes=None):
    """``x`` with its axes permuted (reversed when ``axes`` is None)."""
    return jnp.transpose(_array(x), None if axes is None else tuple(axes))


def swapaxes(x, axis1, axis2):
    """``x`` with two axes exchanged."""
    return jnp.swapaxes(_array(x), axis1, axis2)


def moveaxis(x, source, destination):
    """``x`` with axes moved to new positions."""
    return jnp.moveaxis(_array(x), _axis(source), _axis(destination))


def expand_dims(x, axis):
    """``x`` with a new axis of size 1 at ``axis``."""
    return jnp.expand_dims(_array(x), _axis(axis))


def squeeze(x, axis=None):
    """``x`` without its axes of size 1 (only ``axis`` when given)."""
    return jnp.squeeze(_array(x), axis=_axis(axis))


def _joined(xs):
    arrays = [_array(x) for x in xs]
    dtype = _promote(*(_name(a) for a in arrays))
    return [_cast(a, dtype) for a in arrays]


def concatenate(xs, axis=0):
    """Joins arrays along an existing axis."""
    return jnp.concatenate(_joined(xs), axis=axis)


def stack(x, axis=0):
    """Joins the arrays of ``x`` along a new axis."""
    return jnp.stack(_joined(x), axis=axis)


def split(x, indices_or_sections, axis=0):
    """Splits ``x`` into equal sections, or at the given indices."""
    if not isinstance(indices_or_sections, (int, np.integer)):
        indices_or_sections = [int(i) for i in indices_or_sections]
    return jnp.array_split(_array(x), indices_or_sections, axis=axis)


def tile(x, repeats):
    """``x`` repeated ``repeats`` times along each axis."""
    return jnp.tile(_array(x), repeats)


def repeat(x, repeats, axis=None):
    """Each element repeated ``repeats`` times along ``axis``."""
    if not isinstance(repeats, (int, np.integer)):
        repeats = _array(repeats)
        if _is_concrete(repeats):
            repeats = np.asarray(repeats)  # static sizes: the output shape depends on them
    return jnp.repeat(_array(x), repeats, axis=axis)


def take(x, indices, axis=None):
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened array when None)."""
    return jnp.take(_array(x), _cast(_array(indices), "int32"), axis=axis)


def take_along_axis(x, indices, axis=None):
    """Elements of ``x`` picked by ``indices`` along ``axis``."""
    x = _array(x)
    indices = _cast(_array(indices), "int32")
    if axis is None:
        return jnp.take(x.reshape(-1), indices)
    axis = axis % x.ndim
    shape = list(
        np.broadcast_shapes(
            x.shape[:axis] + (1,) + x.shape[axis + 1 :],
            indices.shape[:axis] + (1,) + indices.shape[axis + 1 :],
        )
    )
    x_shape = list(shape)
    x_shape[axis] = x.shape[axis]
    i_shape = list(shape)
    i_shape[axis] = indices.shape[axis]
    indices = jnp.where(indices < 0, indices + x.shape[axis], indices)
    return jnp.take_along_axis(
        jnp.broadcast_to(x, x_shape), jnp.broadcast_to(indices, i_shape), axis
    )


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def zeros(shape, dtype=None):
    """An array of zeros."""
    dtype = to_jax_dtype(dtype)
    if tracing():
        return jnp.zeros(_shape(shape), dtype=dtype)
    return from_host(np.zeros(_shape(shape), dtype=dtype))  # no compilation per shape


def ones(shape, dtype=None):
    """An array of ones."""
    dtype = to_jax_dtype(dtype)
    if tracing():
        return jnp.ones(_shape(shape), dtype=dtype)
    return from_host(np.ones(_shape(shape), dtype=dtype))  # no compilation per shape


def full(shape, fill_value, dtype=None):
    """An array filled with ``fill_value`` (of ``floatx()`` unless ``dtype`` is given)."""
    return jnp.full(_shape(shape), _array(fill_value), dtype=to_jax_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    """A 2-D array with ones on the ``k``-th diagonal."""
    return jnp.eye(N, M, k, dtype=to_jax_dtype(dtype))


def identity(n, dtype=None):
    """The ``n`` by ``n`` identity matrix."""
    return jnp.identity(n, dtype=to_jax_dtype(dtype))


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
    return jnp.arange(start, stop, step, dtype=to_jax_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` along ``axis``; with ``retstep``
    also the spacing."""
    if dtype is None:
        dtype = result_type(_dtype_of(start), _dtype_of(stop), float)
    out = jnp.linspace(
        _float(start), _float(stop), num, endpoint=endpoint, retstep=retstep, axis=axis
    )
    if retstep:
        # The spacing is computed as Keras on torch computes it: from the arguments as given.
        step = out[1]
        if _is_concrete(step) and jnp.ndim(step) == 0:
            step = step.item()
        return _cast(out[0], dtype), step
    return _cast(out, dtype)


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of ``x``."""
    return jnp.diagonal(_array(x), offset, axis1, axis2)


def diag(x, k=0):
    """The ``k``-th diagonal of a 2-D ``x``, or a 2-D array with a 1-D ``x`` on it."""
    return jnp.diag(_array(x), k)


def dot(x1, x2):
    """The dot product (matrix product for 2-D, sum over the last and first axes else)."""
    x1, x2 = _pair(x1, x2)
    return jnp.dot(x1, x2)


def tensordot(x1, x2, axes=2):
    """Sum of products over the given axes."""
    x1, x2 = _pair(x1, x2)
    return jnp.tensordot(x1, x2, axes=axes)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation (extra keyword arguments are accepted and ignored, as Keras's
    other backends take engine options there)."""
    arrays = [_array(o) for o in operands]
    if arrays and builtins.all(a.dtype == jnp.int8 for a in arrays):  # as Keras on torch
        return jnp.einsum(subscripts, *(a.astype(jnp.int32) for a in arrays))
    if len(arrays) == 1 and not _is_float(arrays[0]) and "->" in subscripts:
        inputs, output = subscripts.replace(" ", "").split("->")
        if len(set(output)) < len(set(inputs)):  # a sum over an axis: torch sums ints as int64
            return jnp.einsum(subscripts, _cast(arrays[0], "int64"))
    arrays = _joined(arrays)
    return jnp.einsum(subscripts, *arrays)


def pad(x, pad_width, mode="constant", constant_values=None):
    """``x`` padded by ``pad_width`` (pairs of before/after sizes per axis, as NumPy)."""
    x = _array(x)
    pad_width = (
        [tuple(int(v) for v in p) for p in pad_width]
        if not isinstance(pad_width, int)
        else pad_width
    )
    if mode == "constant":
        fill = 0 if constant_values is None else constant_values
        return jnp.pad(x, pad_width, mode="constant", constant_values=fill)
    if constant_values is not None:
        raise ValueError(
            "Argument `constant_values` can only be provided when `mode == 'constant'`. "
            f"Received: mode={mode}"
        )
    return jnp.pad(x, pad_width, mode=mode)


def count_nonzero(x, axis=None):
    """Number (int32) of non-zero elements over ``axis``."""
    return _cast(jnp.count_nonzero(_array(x), axis=_axis(axis)), "int32")


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with NaN and infinities replaced."""
    return jnp.nan_to_num(_array(x), nan=nan, posinf=posinf, neginf=neginf)


def size(x):
    """Number of elements, as Keras on torch gives it: a 0-d integer array (int32, as jax
    narrows Keras's int64)."""
    return jnp.asarray(_array(x).size, dtype=to_jax_dtype("int64"))


def broadcast_to(x, shape):
    """``x`` broadcast to ``shape``."""
    return jnp.broadcast_to(_array(x), _shape(shape))


def copy(x):
    """A copy of ``x`` that shares no memory with it."""
    return jnp.array(_array(x), copy=True)


def flip(x, axis=None):
    """``x`` with the order of its elements reversed along ``axis`` (all axes when None)."""
    return jnp.flip(_array(x), axis=_axis(axis))
