"""NumPy-like operations on TensorFlow tensors, with Keras's names, signatures and result
dtypes (those of cornu on torch)."""

import builtins

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

from cornu.backend.tensorflow.core import to_tf_dtype
from cornu.backend.tensorflow.numpy_array import *  # noqa: F401,F403
from cornu.backend.tensorflow.numpy_extra import *  # noqa: F401,F403
from cornu.backend.tensorflow.numpy_stats import *  # noqa: F401,F403
from cornu.backend.tensorflow.operands import (
    _array,
    _axis,
    _cast,
    _computed,
    _dtype_of,
    _float,
    _is_float,
    _joined,
    _name,
    _normalize_axis,
    _pair,
    _promote,
    _split_sizes,
    _static,
    _strong_pair,
)
from cornu.core.config import floatx
from cornu.core.dtypes import result_type


def _binary(name, fn, doc, promote=True, bool_fn=None):
    def op(x1, x2):
        if not promote:
            return fn(_array(x1, "bool"), _array(x2, "bool"))
        x1, x2 = _pair(x1, x2)
        if bool_fn is not None and x1.dtype == tf.bool:
            return bool_fn(x1, x2)
        return _computed(fn, _name(x1), x1, x2)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _unary(name, fn, doc, floating=False):
    def op(x):
        x = _float(x) if floating else _array(x)
        return _cast(fn(x), x.dtype)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


add = _binary("add", tf.add, "``x1 + x2`` element-wise, with broadcasting.", True, tf.logical_or)
multiply = _binary(
    "multiply", tf.multiply, "``x1 * x2`` element-wise, with broadcasting.", True, tf.logical_and
)


def _extremum(name, fn, bool_fn, doc):
    def op(x1, x2):
        # As cornu on torch: both operands cast to Keras's ``result_type`` (64-bit narrowed).
        dtype = result_type(_dtype_of(x1), _dtype_of(x2))
        x1, x2 = _array(x1, dtype), _array(x2, dtype)
        if x1.dtype == tf.bool:
            return bool_fn(x1, x2)
        out = _computed(fn, dtype, x1, x2)
        if x1.dtype.is_floating:
            # torch's maximum/minimum give NaN when either operand is NaN.
            nan = tf.math.is_nan(x1) | tf.math.is_nan(x2)
            out = tf.where(nan, tf.cast(np.nan, x1.dtype), out)
        return out

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


maximum = _extremum(
    "maximum", tf.maximum, tf.logical_or, "The element-wise maximum (NaN when either is NaN)."
)
minimum = _extremum(
    "minimum", tf.minimum, tf.logical_and, "The element-wise minimum (NaN when either is NaN)."
)
equal = _binary("equal", tf.equal, "``x1 == x2`` element-wise, as booleans.")
not_equal = _binary("not_equal", tf.not_equal, "``x1 != x2`` element-wise.")
greater = _binary("greater", tf.greater, "``x1 > x2`` element-wise, as booleans.")
greater_equal = _binary("greater_equal", tf.greater_equal, "``x1 >= x2`` element-wise.")
less = _binary("less", tf.less, "``x1 < x2`` element-wise, as booleans.")
less_equal = _binary("less_equal", tf.less_equal, "``x1 <= x2`` element-wise.")
logical_and = _binary("logical_and", tf.logical_and, "Element-wise logical AND.", False)
logical_or = _binary("logical_or", tf.logical_or, "Element-wise logical OR.", False)


def _int_power(x1, x2):
    if x1.dtype.is_integer:
        # TensorFlow's integer pow refuses negative exponents; torch gives 0 (1 for base 1,
        # +-1 for base -1) as integer division would.
        one = tf.ones_like(x1)
        odd = tf.math.floormod(x2, 2) == 1 if x2.dtype.is_integer else x2 != x2
        negative = tf.where(odd, -one, one) if not x1.dtype.is_unsigned else one
        safe = tf.pow(x1, tf.where(x2 < 0, tf.zeros_like(x2), x2))
        inverse = tf.where(x1 == 1, one, tf.where(x1 == -1, negative, tf.zeros_like(x1)))
        return tf.where(x2 < 0, inverse, safe)
    return tf.pow(x1, x2)


def power(x1, x2):
    """``x1 ** x2`` element-wise (booleans stay booleans: ``x1 or not x2``)."""
    x1, x2 = _pair(x1, x2)
    if x1.dtype == tf.bool:
        return tf.logical_or(x1, tf.logical_not(x2))
    return _computed(_int_power, _name(x1), x1, x2)


def subtract(x1, x2):
    """``x1 - x2`` element-wise; a boolean operand takes the other operand's dtype."""
    x1, x2 = _pair(x1, x2)
    if x1.dtype == tf.bool:
        return tf.math.logical_xor(x1, x2)
    return _computed(tf.subtract, _name(x1), x1, x2)


def divide(x1, x2):
    """``x1 / x2`` element-wise (true division: integers give floats)."""
    x1, x2 = _pair(x1, x2)
    dtype = _name(x1) if _is_float(x1) else result_type(_name(x1), float)
    return tf.math.divide(_cast(x1, dtype), _cast(x2, dtype))


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
    zero = x2 == tf.zeros((), x2.dtype)
    safe = tf.where(zero, tf.ones_like(x2), x2)
    return tf.where(zero, tf.zeros_like(x1 / safe), x1 / safe)


def negative(x):
    """``-x`` element-wise."""
    x = _array(x)
    return _computed(tf.negative, _name(x), x)


def logical_not(x):
    """Element-wise logical NOT."""
    return tf.logical_not(_array(x, "bool"))


def abs(x):
    """The absolute value element-wise."""
    x = _array(x)
    if x.dtype == tf.bool or x.dtype.is_unsigned:
        return x
    return _computed(tf.abs, _name(x), x)


absolute = abs


def sign(x):
    """The sign (-1, 0 or 1) element-wise; booleans are their own sign."""
    x = _array(x)
    if x.dtype == tf.bool:
        return x
    if x.dtype.is_unsigned:
        return _cast(x > 0, x.dtype)
    return _computed(tf.sign, _name(x), x)


def sqrt(x):
    """The square root element-wise."""
    x = _array(x)
    if _name(x) == "int64":
        x = _cast(x, floatx())  # as torch: int64 gives floatx()
    x = _float(x)
    return tf.sqrt(x)


def square(x):
    """``x * x`` element-wise (booleans square as int32)."""
    x = _array(x)
    if x.dtype == tf.bool:
        x = _cast(x, "int32")
    return _computed(tf.square, _name(x), x)


exp = _unary("exp", tf.exp, "``e ** x`` element-wise.", True)
expm1 = _unary("expm1", tf.math.expm1, "``exp(x) - 1`` element-wise.", True)
log = _unary("log", tf.math.log, "The natural logarithm element-wise.", True)
log1p = _unary("log1p", tf.math.log1p, "``log(1 + x)`` element-wise.", True)
log2 = _unary("log2", tnp.log2, "The base-2 logarithm element-wise.", True)
log10 = _unary("log10", tnp.log10, "The base-10 logarithm element-wise.", True)
sin = _unary("sin", tf.sin, "The sine element-wise.", True)
cos = _unary("cos", tf.cos, "The cosine element-wise.", True)
tan = _unary("tan", tf.tan, "The tangent element-wise.", True)
tanh = _unary("tanh", tf.tanh, "The hyperbolic tangent element-wise.", True)
arctan = _unary("arctan", tf.atan, "The inverse tangent element-wise.", True)


def _float_predicate(name, fn, default, doc):
    def op(x):
        x = _array(x)
        if not _is_float(x):
            return tf.fill(tf.shape(x), default)
        return fn(x)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


isnan = _float_predicate("isnan", tnp.isnan, False, "True where ``x`` is NaN.")
isinf = _float_predicate("isinf", tnp.isinf, False, "True where ``x`` is infinite.")
isfinite = _float_predicate("isfinite", tnp.isfinite, True, "True where ``x`` is finite.")


def rsqrt(x):
    """``1 / sqrt(x)`` element-wise."""
    x = _float(x)
    return tf.math.rsqrt(x)


def _rounding_dtype(x):
    # Keras rounds integers to floats: int64 to floatx(), the others to their float type.
    if _is_float(x):
        return x.dtype
    if _name(x) == "int64":
        return floatx()
    return result_type(_name(x), float)


def floor(x):
    """The largest integer not above ``x`` element-wise; integers give floats, as in Keras."""
    x = _array(x)
    return tf.floor(_cast(x, _rounding_dtype(x)))


def ceil(x):
    """The smallest integer not below ``x`` element-wise; integers give floats, as in Keras."""
    x = _array(x)
    return tf.math.ceil(_cast(x, _rounding_dtype(x)))


def outer(x1, x2):
    """The outer product of two flattened arrays."""
    x1, x2 = _strong_pair(x1, x2)
    if x1.dtype == tf.bool:
        return tf.logical_and(tf.reshape(x1, (-1, 1)), tf.reshape(x2, (1, -1)))
    return _computed(
        lambda a, b: tf.reshape(a, (-1, 1)) * tf.reshape(b, (1, -1)), _name(x1), x1, x2
    )


def _band(x, k, lower):
    x = _array(x)
    rows, cols = tf.shape(x)[-2], tf.shape(x)[-1]
    i = tf.range(rows)[:, None]
    j = tf.range(cols)[None, :]
    keep = (j - i <= k) if lower else (j - i >= k)
    return tf.where(keep, x, tf.zeros_like(x))


def tril(x, k=0):
    """``x`` with the elements above the ``k``-th diagonal zeroed."""
    return _band(x, k, True)


def triu(x, k=0):
    """``x`` with the elements below the ``k``-th diagonal zeroed."""
    return _band(x, k, False)


def zeros_like(x, dtype=None):
    """Zeros of the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    return tf.zeros(tf.shape(x), dtype=to_tf_dtype(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    """Ones of the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    return tf.ones(tf.shape(x), dtype=to_tf_dtype(dtype) if dtype else x.dtype)


def full_like(x, fill_value, dtype=None):
    """``fill_value`` in the shape (and dtype unless given) of ``x``."""
    x = _array(x)
    dtype = dtype or x.dtype
    return tf.broadcast_to(_array(fill_value, dtype), tf.shape(x))


def _matmul(x1, x2):
    return _computed(tf.linalg.matmul, _name(x1), x1, x2)


def matmul(x1, x2):
    """The matrix product (batched over leading axes); int8 by int8 gives int32."""
    x1, x2 = _array(x1), _array(x2)
    if x1.dtype == tf.int8 and x2.dtype == tf.int8:
        return tf.linalg.matmul(_cast(x1, "int32"), _cast(x2, "int32"))
    # Keras's matmul casts to its result_type (64-bit narrowed to 32), not torch's promotion.
    dtype = result_type(_name(x1), _name(x2))
    x1, x2 = _cast(x1, dtype), _cast(x2, dtype)
    if x1.dtype == tf.bool:
        return _cast(tf.linalg.matmul(_cast(x1, floatx()), _cast(x2, floatx())), "bool")
    if x1.shape.rank == 1 and x2.shape.rank == 1:
        return tf.reduce_sum(_computed(tf.multiply, dtype, x1, x2))
    if x1.shape.rank == 1:
        return _matmul(x1[None, :], x2)[..., 0, :]
    if x2.shape.rank == 1:
        return _matmul(x1, x2[:, None])[..., 0]
    if x1.shape.rank != x2.shape.rank:
        shape = tf.broadcast_dynamic_shape(tf.shape(x1)[:-2], tf.shape(x2)[:-2])
        x1 = tf.broadcast_to(x1, tf.concat([shape, tf.shape(x1)[-2:]], 0))
        x2 = tf.broadcast_to(x2, tf.concat([shape, tf.shape(x2)[-2:]], 0))
    return _matmul(x1, x2)


def where(condition, x1=None, x2=None):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``; with ``condition``
    alone, the indices (int64) of its true elements as a ``(ndim, count)`` tensor."""
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "`x1` and `x2` either both should be `None` or both should have non-None value. "
            f"Received: x1={x1!r}, x2={x2!r}"
        )
    condition = _array(condition, "bool")
    if x1 is None:
        return tf.transpose(tf.where(condition))
    x1, x2 = _pair(x1, x2)
    return tf.where(condition, x1, x2)


def _sum_dtype(dtype):
    """The dtype torch sums ``dtype`` in: booleans and narrow integers as int32."""
    if dtype in ("bool", "int8", "int16", "uint8", "uint16"):
        return "int32"
    return dtype


def sum(x, axis=None, keepdims=False):
    """Sum of the elements over ``axis`` (all when None)."""
    x = _array(x)
    dtype = _sum_dtype(_name(x))
    x = _cast(x, dtype)
    return _computed(lambda t: tf.reduce_sum(t, _axis(axis), keepdims), dtype, x)


def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all when None); integer inputs give floats."""
    x = _float(x)
    work = "float32" if _name(x) in ("float16", "bfloat16") else x.dtype
    out = tf.reduce_mean(_cast(x, work), _axis(axis), keepdims)
    return _cast(out, x.dtype)


def var(x, axis=None, keepdims=False):
    """Biased variance over ``axis``."""
    x = _float(x)
    work = "float32" if _name(x) in ("float16", "bfloat16") else x.dtype
    out = tf.math.reduce_variance(_cast(x, work), _axis(axis), keepdims)
    return _cast(out, x.dtype)


def std(x, axis=None, keepdims=False):
    """Biased standard deviation over ``axis``."""
    x = _float(x)
    work = "float32" if _name(x) in ("float16", "bfloat16") else x.dtype
    out = tf.math.reduce_std(_cast(x, work), _axis(axis), keepdims)
    return _cast(out, x.dtype)


def _extreme(reduce, bool_reduce, pick, x, axis, keepdims, initial):
    x = _array(x)
    if x.dtype == tf.bool:
        out = bool_reduce(x, _axis(axis), keepdims)
    else:
        out = _computed(lambda t: reduce(t, _axis(axis), keepdims), _name(x), x)
        if x.dtype.is_floating:
            # torch propagates NaN through max/min; TensorFlow's reductions skip it.
            nan = tf.reduce_any(tf.math.is_nan(x), _axis(axis), keepdims)
            out = tf.where(nan, tf.cast(np.nan, x.dtype), out)
    if initial is not None:
        out = pick(out, _array(initial, out.dtype))
    return out


def max(x, axis=None, keepdims=False, initial=None):
    """Largest element over ``axis``."""
    return _extreme(tf.reduce_max, tf.reduce_any, tf.maximum, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Smallest element over ``axis``."""
    return _extreme(tf.reduce_min, tf.reduce_all, tf.minimum, x, axis, keepdims, initial)


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of the elements over ``axis``; small integers and booleans multiply as int32,
    and a 64-bit dtype gives its 32-bit one, as Keras's ``result_type``."""
    x = _array(x)
    if dtype is None:
        dtype = result_type(_name(x))
        if dtype in ("bool", "uint8", "int8", "int16", "uint16"):
            dtype = "int32"
    dtype = result_type(dtype)
    if axis is None:
        keepdims = False  # as Keras on torch
    x = _cast(x, dtype)
    return _computed(lambda t: tf.reduce_prod(t, _axis(axis), keepdims), dtype, x)


def all(x, axis=None, keepdims=False):
    """True where every element over ``axis`` is true."""
    return tf.reduce_all(_array(x, "bool"), _axis(axis), keepdims)


def any(x, axis=None, keepdims=False):
    """True where some element over ``axis`` is true."""
    return tf.reduce_any(_array(x, "bool"), _axis(axis), keepdims)


def _arg(fn, x, axis, keepdims):
    x = _array(x)
    if x.dtype == tf.bool:
        x = _cast(x, "int32")
    if axis is None:
        out = fn(tf.reshape(x, (-1,)), axis=0, output_type=tf.int32)
        return tf.reshape(out, [1] * x.shape.rank) if keepdims else out
    out = fn(x, axis=axis, output_type=tf.int32)
    return tf.expand_dims(out, axis) if keepdims else out


def argmax(x, axis=None, keepdims=False):
    """Index (int32) of the largest element along ``axis`` (of the flattened array when None)."""
    return _arg(tf.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """Index (int32) of the smallest element along ``axis``."""
    return _arg(tf.argmin, x, axis, keepdims)


def _sortable(x):
    # TensorFlow sorts floats and int32/int64; the narrower dtypes sort as int32.
    if x.dtype == tf.bool or _name(x) in ("int8", "int16", "uint8", "uint16"):
        return _cast(x, "int32")
    if _name(x) in ("uint32",):
        return _cast(x, "int64")
    return x


def argsort(x, axis=-1):
    """Indices (int32) that sort ``x`` along ``axis`` (stable)."""
    x = _array(x)
    if x.shape.rank == 0:
        return tf.zeros((), tf.int32)
    return tf.argsort(_sortable(x), axis=axis, stable=True)


def sort(x, axis=-1):
    """``x`` sorted along ``axis``."""
    x = _array(x)
    if x.shape.rank == 0:
        return x
    return _cast(tf.sort(_sortable(x), axis=axis), x.dtype)


def _cumulative(tf_fn, x, axis, dtype):
    x = _array(x)
    dtype = result_type(dtype or _name(x))  # 64-bit dtypes give 32-bit ones, as Keras
    if dtype == "bool":
        dtype = "int32"
    x = _cast(x, dtype)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    return _computed(lambda t: tf_fn(t, axis=axis), dtype, x)


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (of the flattened array when None)."""
    return _cumulative(tf.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    """Cumulative product along ``axis`` (of the flattened array when None)."""
    return _cumulative(tf.math.cumprod, x, axis, dtype)


def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]``."""
    x = _array(x)
    if x.dtype == tf.bool:
        x = _cast(x, "int32")
    # Python bounds are weak types: a float bound makes an integer ``x`` a float, as in torch.
    bounds = [b for b in (x_min, x_max) if b is not None]
    dtype = _promote(_name(x), *(_dtype_of(b) for b in bounds))
    x = _cast(x, dtype)
    if x_min is not None:
        x = _computed(tf.maximum, dtype, x, _array(x_min, dtype))
    if x_max is not None:
        x = _computed(tf.minimum, dtype, x, _array(x_max, dtype))
    return x


def round(x, decimals=0):
    """``x`` rounded half to even."""
    x = _array(x)
    if not _is_float(x):
        if decimals >= 0:
            return x
        factor = 10 ** (-decimals)
        work = _cast(x, "float64")
        return _cast(tf.round(work / factor) * factor, x.dtype)
    if decimals == 0:
        return tf.round(x)
    factor = tf.cast(10.0**decimals, x.dtype)
    return tf.round(x * factor) / factor


def reshape(x, newshape):
    """``x`` with a new shape (one size may be -1)."""
    if isinstance(newshape, (int, np.integer)):
        newshape = (int(newshape),)
    return tf.reshape(_array(x), [int(s) if s is not None else -1 for s in newshape])


def transpose(x, axes=None):
    """``x`` with its axes permuted (reversed when ``axes`` is None)."""
    return tf.transpose(_array(x), None if axes is None else list(axes))


def swapaxes(x, axis1, axis2):
    """``x`` with two axes exchanged."""
    x = _array(x)
    perm = list(range(x.shape.rank))
    a, b = axis1 % len(perm), axis2 % len(perm)
    perm[a], perm[b] = perm[b], perm[a]
    return tf.transpose(x, perm)


def moveaxis(x, source, destination):
    """``x`` with axes moved to new positions."""
    return tnp.moveaxis(_array(x), source, destination)


def expand_dims(x, axis):
    """``x`` with a new axis of size 1 at ``axis``."""
    x = _array(x)
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    rank = x.shape.rank + len(axes)
    for a in sorted(_normalize_axis(a, rank) for a in axes):
        x = tf.expand_dims(x, a)
    return x


def squeeze(x, axis=None):
    """``x`` without its axes of size 1 (only ``axis`` when given)."""
    x = _array(x)
    if axis is None:
        return tf.squeeze(x)
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    for a in axes:
        if x.shape[a] is not None and x.shape[a] != 1:
            raise ValueError(
                f"Cannot squeeze axis {a}: it has size {x.shape[a]}, not 1. "
                f"Received: x.shape={tuple(x.shape)}"
            )
    return tf.squeeze(x, axes)


def concatenate(xs, axis=0):
    """Joins arrays along an existing axis."""
    arrays = _joined(xs)
    if axis is None:
        return tf.concat([tf.reshape(a, (-1,)) for a in arrays], 0)
    return tf.concat(arrays, axis)


def stack(x, axis=0):
    """Joins the arrays of ``x`` along a new axis."""
    return tf.stack(_joined(x), axis=axis)


def split(x, indices_or_sections, axis=0):
    """Splits ``x`` into equal sections, or at the given indices."""
    x = _array(x)
    if x.shape[axis] is None and isinstance(indices_or_sections, (int, np.integer)):
        return tf.split(x, int(indices_or_sections), axis=axis)  # equal parts, sized at run
    sizes = _split_sizes(x.shape[axis], indices_or_sections)
    return tf.split(x, sizes, axis=axis)


def tile(x, repeats):
    """``x`` repeated ``repeats`` times along each axis."""
    x = _array(x)
    repeats = [int(repeats)] if isinstance(repeats, (int, np.integer)) else list(repeats)
    rank = x.shape.rank
    if len(repeats) > rank:
        x = tf.reshape(x, [1] * (len(repeats) - rank) + tf.unstack(tf.shape(x)))
    repeats = [1] * (x.shape.rank - len(repeats)) + repeats
    return tf.tile(x, repeats)


def repeat(x, repeats, axis=None):
    """Each element repeated ``repeats`` times along ``axis``."""
    x = _array(x)
    if not isinstance(repeats, (int, np.integer)):
        repeats = _array(repeats)
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    return tf.repeat(x, repeats, axis=axis)


def take(x, indices, axis=None):
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened array when None)."""
    x = _array(x)
    indices = _array(indices)
    if indices.dtype.is_floating or indices.dtype == tf.bool:
        indices = _cast(indices, "int32")
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    size = tf.cast(tf.shape(x)[axis], indices.dtype)
    indices = tf.where(indices < 0, indices + size, indices)
    return tf.gather(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    """Elements of ``x`` picked by ``indices`` along ``axis``."""
    x = _array(x)
    indices = _cast(_array(indices), "int64")
    if axis is None:
        return take(x, indices)
    rank = x.shape.rank
    axis = axis % rank
    # Both broadcast to one shape except along ``axis`` (dynamic sizes allowed).
    x_shape, i_shape = tf.shape(x, tf.int64), tf.shape(indices, tf.int64)
    at_axis, one = [[axis]], tf.ones([1], tf.int64)
    common = tf.broadcast_dynamic_shape(
        tf.tensor_scatter_nd_update(x_shape, at_axis, one),
        tf.tensor_scatter_nd_update(i_shape, at_axis, one),
    )
    x = tf.broadcast_to(x, tf.tensor_scatter_nd_update(common, at_axis, [x_shape[axis]]))
    indices = tf.broadcast_to(
        indices, tf.tensor_scatter_nd_update(common, at_axis, [i_shape[axis]])
    )
    indices = tf.where(indices < 0, indices + x_shape[axis], indices)
    perm = [d for d in range(rank) if d != axis] + [axis]
    inverse = np.argsort(perm).tolist()
    out = tf.gather(
        tf.transpose(x, perm), tf.transpose(indices, perm), batch_dims=rank - 1, axis=rank - 1
    )
    return tf.transpose(out, inverse)


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def zeros(shape, dtype=None):
    """An array of zeros."""
    return tf.zeros(_shape(shape), dtype=to_tf_dtype(dtype))


def ones(shape, dtype=None):
    """An array of ones."""
    return tf.ones(_shape(shape), dtype=to_tf_dtype(dtype))


def full(shape, fill_value, dtype=None):
    """An array filled with ``fill_value`` (of ``floatx()`` unless ``dtype`` is given)."""
    fill = _array(fill_value, dtype or floatx())
    return tf.broadcast_to(fill, _shape(shape))


def eye(N, M=None, k=0, dtype=None):
    """A 2-D array with ones on the ``k``-th diagonal."""
    M = N if M is None else M
    i = tf.range(N)[:, None]
    j = tf.range(M)[None, :]
    return tf.cast(j - i == k, to_tf_dtype(dtype))


def identity(n, dtype=None):
    """The ``n`` by ``n`` identity matrix."""
    return eye(n, dtype=dtype)


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
    dtype = to_tf_dtype(dtype)
    if dtype.is_floating or _is_float(_array(start)) or isinstance(step, float):
        values = [_static(_array(v)) for v in (start, stop, step)]
        if builtins.all(v is not None for v in values):
            count = builtins.max(int(np.ceil((values[1] - values[0]) / values[2])), 0)
            out = tf.range(count, dtype=tf.float64) * float(values[2]) + float(values[0])
            return tf.cast(out, dtype)
        return tf.cast(tf.range(start, stop, step, dtype=tf.float64), dtype)
    work = tf.int64 if dtype in (tf.int64, tf.uint64, tf.uint32) else tf.int32
    return tf.cast(tf.range(start, stop, step, dtype=work), dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` along ``axis``; with ``retstep``
    also the spacing."""
    if dtype is None:
        dtype = result_type(_dtype_of(start), _dtype_of(stop), float)
    lo, hi = _float(start), _float(stop)
    work = tf.float64 if tf.float64 in (lo.dtype, hi.dtype) else tf.float32
    lo, hi = tf.cast(lo, work), tf.cast(hi, work)
    div = (num - 1) if endpoint else num
    step = (hi - lo) / div if div > 0 else tf.zeros_like(hi - lo) * np.nan
    grid = tf.range(num, dtype=work)
    shape = tf.concat([[num], tf.ones(tf.rank(lo + hi), tf.int32)], 0)
    out = lo + tf.reshape(grid, shape) * step
    if endpoint and num > 1:
        last = tf.expand_dims(hi + tf.zeros_like(lo), 0)
        out = tf.concat([out[:-1], last], 0)
    out = tnp.moveaxis(out, 0, axis)
    out = tf.cast(out, to_tf_dtype(dtype))
    if retstep:
        # The spacing is computed as Keras on torch computes it: from the arguments as given.
        value = _static(step)
        if value is not None and np.ndim(value) == 0:
            return out, float(value)
        return out, step
    return out


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of ``x``."""
    x = _array(x)
    rank = x.shape.rank
    a, b = axis1 % rank, axis2 % rank
    perm = [d for d in range(rank) if d not in (a, b)] + [a, b]
    moved = tf.transpose(x, perm)
    if x.dtype == tf.bool:
        return _cast(tf.linalg.diag_part(_cast(moved, "int32"), k=offset), "bool")
    return tf.linalg.diag_part(moved, k=offset)


def diag(x, k=0):
    """The ``k``-th diagonal of a 2-D ``x``, or a 2-D array with a 1-D ``x`` on it."""
    x = _array(x)
    if x.shape.rank == 1:
        return tf.linalg.diag(x, k=k)
    if x.shape.rank == 2:
        return tf.linalg.diag_part(x, k=k)
    raise ValueError(f"`diag` expects a 1-D or 2-D input. Received: x.shape={tuple(x.shape)}")


def _tensordot(x1, x2, axes):
    return _computed(lambda a, b: tf.tensordot(a, b, axes), _name(x1), x1, x2)


def dot(x1, x2):
    """The dot product (matrix product for 2-D, sum over the last and first axes else)."""
    x1, x2 = _pair(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        return multiply(x1, x2)
    if x2.shape.rank == 1:
        return _tensordot(x1, x2, [[-1 % x1.shape.rank], [0]])
    return _tensordot(x1, x2, [[x1.shape.rank - 1], [x2.shape.rank - 2]])


def tensordot(x1, x2, axes=2):
    """Sum of products over the given axes."""
    x1, x2 = _pair(x1, x2)
    if isinstance(axes, (list, tuple)):
        axes = [list(a) if isinstance(a, (list, tuple)) else [a] for a in axes]
    return _tensordot(x1, x2, axes)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation (extra keyword arguments are accepted and ignored, as Keras's
    other backends take engine options there)."""
    arrays = [_array(o) for o in operands]
    if arrays and builtins.all(a.dtype == tf.int8 for a in arrays):  # as Keras on torch
        return tf.einsum(subscripts, *(_cast(a, "int32") for a in arrays))
    if len(arrays) == 1 and not _is_float(arrays[0]) and "->" in subscripts:
        inputs, output = subscripts.replace(" ", "").split("->")
        if len(set(output)) < len(set(inputs)):  # a sum over an axis: torch sums ints as int64
            return tf.einsum(subscripts, _cast(arrays[0], "int64"))
    arrays = _joined(arrays)
    dtype = _name(arrays[0])
    return _computed(lambda *a: tf.einsum(subscripts, *a), dtype, *arrays)


def pad(x, pad_width, mode="constant", constant_values=None):
    """``x`` padded by ``pad_width`` (pairs of before/after sizes per axis, as NumPy)."""
    x = _array(x)
    rank = x.shape.rank
    widths = np.broadcast_to(np.asarray(pad_width, dtype="int64"), (rank, 2)).tolist()
    if mode == "constant":
        fill = 0 if constant_values is None else constant_values
        return tf.pad(x, widths, constant_values=_array(fill, x.dtype))
    if constant_values is not None:
        raise ValueError(
            "Argument `constant_values` can only be provided when `mode == 'constant'`. "
            f"Received: mode={mode}"
        )
    if mode not in ("reflect", "symmetric", "edge", "wrap"):
        raise ValueError(
            "`pad` supports the modes 'constant', 'reflect', 'symmetric', 'edge' and 'wrap'. "
            f"Received: mode={mode!r}"
        )
    for axis, (before, after) in enumerate(widths):
        if before == 0 and after == 0:
            continue
        index = np.pad(np.arange(x.shape[axis]), (before, after), mode=mode)
        x = tf.gather(x, index, axis=axis)
    return x


def count_nonzero(x, axis=None):
    """Number (int32) of non-zero elements over ``axis``."""
    x = _array(x)
    return tf.math.count_nonzero(x, axis=_axis(axis), dtype=tf.int32)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with NaN and infinities replaced."""
    x = _array(x)
    if not x.dtype.is_floating:
        return x
    info = np.finfo(x.dtype.as_numpy_dtype) if x.dtype != tf.bfloat16 else None
    big = info.max if info is not None else x.dtype.max
    posinf = big if posinf is None else posinf
    neginf = -big if neginf is None else neginf
    x = tf.where(tf.math.is_nan(x), tf.cast(nan, x.dtype), x)
    x = tf.where(x == np.inf, tf.cast(posinf, x.dtype), x)
    return tf.where(x == -np.inf, tf.cast(neginf, x.dtype), x)


def size(x):
    """Number of elements, as Keras on torch gives it: a 0-d int64 tensor."""
    return tf.size(_array(x), out_type=tf.int64)


def broadcast_to(x, shape):
    """``x`` broadcast to ``shape``."""
    return tf.broadcast_to(_array(x), _shape(shape))


def copy(x):
    """A copy of ``x``."""
    return tf.identity(_array(x))


def flip(x, axis=None):
    """``x`` with the order of its elements reversed along ``axis`` (all axes when None)."""
    x = _array(x)
    if axis is None:
        axis = list(range(x.shape.rank))
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    return tf.reverse(x, axes)
