"""NumPy-like element-wise operations on TensorFlow tensors (trigonometry, bitwise, rounding,
comparisons with tolerance, number theory), with Keras's names, signatures and result dtypes."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.operands import (
    _INTS_TO_FLOATX,
    _array,
    _cast,
    _computed,
    _dtype_of,
    _float_result_dtype,
    _is_float,
    _name,
    _pair,
    _promote,
    _strong_dtype_of,
)
from cornu.core.config import floatx
from cornu.core.dtypes import INT_TYPES, result_type

__all__ = [
    "allclose",
    "angle",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan2",
    "arctanh",
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "cbrt",
    "conj",
    "conjugate",
    "cosh",
    "deg2rad",
    "exp2",
    "fabs",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "gcd",
    "heaviside",
    "hypot",
    "i0",
    "imag",
    "isclose",
    "isin",
    "isneginf",
    "isposinf",
    "isreal",
    "lcm",
    "ldexp",
    "left_shift",
    "logaddexp",
    "logaddexp2",
    "logical_xor",
    "mod",
    "nextafter",
    "rad2deg",
    "real",
    "reciprocal",
    "right_shift",
    "signbit",
    "sinc",
    "sinh",
    "trunc",
]


def _to_float(x):
    """``x`` as the float dtype Keras computes a transcendental function in: ``floatx()`` for
    integers and booleans (int64 included), the float dtype otherwise."""
    x = _array(x)
    dtype = _name(x)
    return _cast(x, floatx() if dtype == "int64" else _promote(dtype, float))


def _transcendental(name, tf_fn, doc):
    def op(x):
        x = _to_float(x)
        return _cast(tf_fn(x), x.dtype)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _sinc(x):
    pix = np.pi * x
    safe = tf.where(x == 0, tf.ones_like(x), pix)
    return tf.where(x == 0, tf.ones_like(x), tf.sin(safe) / safe)


arccos = _transcendental("arccos", tf.acos, "Inverse cosine, element-wise.")
arccosh = _transcendental("arccosh", tf.acosh, "Inverse hyperbolic cosine, element-wise.")
arcsin = _transcendental("arcsin", tf.asin, "Inverse sine, element-wise.")
arcsinh = _transcendental("arcsinh", tf.asinh, "Inverse hyperbolic sine, element-wise.")
arctanh = _transcendental("arctanh", tf.atanh, "Inverse hyperbolic tangent, element-wise.")
cosh = _transcendental("cosh", tf.cosh, "Hyperbolic cosine, element-wise.")
sinh = _transcendental("sinh", tf.sinh, "Hyperbolic sine, element-wise.")
sinc = _transcendental("sinc", _sinc, "Normalized sinc, ``sin(pi x) / (pi x)``, element-wise.")


def angle(x):
    """The argument (angle in radians) of complex ``x``, element-wise."""
    x = _to_float(x)
    if x.dtype.is_complex:
        return tf.math.angle(x)
    return tf.where(x < 0, tf.cast(np.pi, x.dtype), tf.zeros_like(x))


def signbit(x):
    """True where the sign bit is set (``x < 0``, -0.0)."""
    x = _array(x)
    if x.dtype.is_floating:
        work = _cast(x, "float32") if _name(x) in ("float16", "bfloat16") else x
        bits = tf.bitcast(work, tf.int64 if work.dtype == tf.float64 else tf.int32)
        return bits < 0
    if x.dtype == tf.bool or x.dtype.is_unsigned:
        return tf.zeros_like(x, dtype=tf.bool)
    return x < 0


def isneginf(x):
    """True where ``x`` is negative infinity."""
    x = _array(x)
    if not x.dtype.is_floating:
        return tf.zeros_like(x, dtype=tf.bool)
    return x == -np.inf


def isposinf(x):
    """True where ``x`` is positive infinity."""
    x = _array(x)
    if not x.dtype.is_floating:
        return tf.zeros_like(x, dtype=tf.bool)
    return x == np.inf


def isreal(x):
    """True where ``x`` has no imaginary part."""
    x = _array(x)
    if x.dtype.is_complex:
        return tf.math.imag(x) == 0
    return tf.ones_like(x, dtype=tf.bool)


def _invert(x):
    x = _array(x)
    if x.dtype == tf.bool:
        return tf.logical_not(x)
    return tf.bitwise.invert(x)


def bitwise_invert(x):
    """Bitwise NOT, element-wise."""
    return _invert(x)


def bitwise_not(x):
    """Bitwise NOT, element-wise."""
    return _invert(x)


def conjugate(x):
    """The complex conjugate, element-wise."""
    x = _array(x)
    return tf.math.conj(x) if x.dtype.is_complex else x


def conj(x):
    """The complex conjugate, element-wise (``conjugate``)."""
    return conjugate(x)


def real(x):
    """The real part, element-wise."""
    x = _array(x)
    return tf.math.real(x) if x.dtype.is_complex else x


def imag(x):
    """The imaginary part, element-wise."""
    x = _array(x)
    return tf.math.imag(x) if x.dtype.is_complex else tf.zeros_like(x)


def reciprocal(x):
    """``1 / x`` element-wise."""
    x = _array(x)
    if not _is_float(x):
        return _computed(lambda t: tf.math.floordiv(tf.ones_like(t), t), _name(x), x)
    return tf.math.reciprocal(x)


def _rounded_float(x, fn):
    # int64 and float64 give float64, half floats keep their dtype, the rest floatx().
    x = _array(x)
    dtype = _name(x)
    if dtype in ("int64", "float64"):
        target = "float64"
    elif dtype in ("bfloat16", "float16"):
        target = dtype
    else:
        target = floatx()
    return _cast(fn(_cast(x, target)), target)


def deg2rad(x):
    """Degrees to radians, element-wise."""
    return _rounded_float(x, lambda t: t * tf.cast(np.pi / 180.0, t.dtype))


def rad2deg(x):
    """Radians to degrees, element-wise."""
    return _rounded_float(x, lambda t: t * tf.cast(180.0 / np.pi, t.dtype))


def cbrt(x):
    """Cube root, element-wise (negative inputs give negative roots)."""
    x = _array(x)
    dtype = _float_result_dtype(_name(x))
    x = _cast(x, dtype)
    return tf.sign(x) * tf.pow(tf.abs(x), tf.cast(1.0 / 3.0, x.dtype))


def exp2(x):
    """``2 ** x`` element-wise; integer and boolean inputs give ``floatx()``."""
    x = _array(x)
    if not _is_float(x):
        x = _cast(x, floatx())
    return tf.pow(tf.cast(2.0, x.dtype), x)


def fabs(x):
    """The absolute value as a float, element-wise."""
    x = _array(x)
    if x.dtype.is_complex:
        raise TypeError(f"fabs does not support complex inputs. Received: x.dtype={x.dtype.name}")
    if not _is_float(x):
        x = _cast(x, floatx())
    return tf.abs(x)


def trunc(x):
    """Rounds toward zero, element-wise; integers are returned as they are."""
    x = _array(x)
    if not _is_float(x):
        return x
    return tf.where(x < 0, tf.math.ceil(x), tf.floor(x))


def i0(x):
    """The modified Bessel function of the first kind, order 0, element-wise."""
    x = _array(x)
    dtype = _name(x)
    x = _cast(x, "float64" if dtype in ("int64", "float64") else _promote(dtype, float))
    work = _cast(x, "float32") if _name(x) in ("float16", "bfloat16") else x
    return _cast(tf.math.bessel_i0(work), x.dtype)


def _nextafter(x1, x2):
    if x1.dtype in (tf.float32, tf.float64):
        return tf.math.nextafter(x1, x2)
    return _cast(tf.math.nextafter(_cast(x1, "float32"), _cast(x2, "float32")), x1.dtype)


def _logaddexp(x1, x2):
    big = tf.maximum(x1, x2)
    out = big + tf.math.log1p(tf.exp(-tf.abs(x1 - x2)))
    return tf.where(tf.math.is_inf(big) & (x1 == x2), big, out)


def _logaddexp2(x1, x2):
    ln2 = tf.cast(np.log(2.0), x1.dtype)
    return _logaddexp(x1 * ln2, x2 * ln2) / ln2


def _gcd(x1, x2):
    a, b = tf.abs(x1), tf.abs(x2)

    def body(a, b):
        nonzero = b != 0
        safe = tf.where(nonzero, b, tf.ones_like(b))
        return tf.where(nonzero, b, a), tf.where(nonzero, tf.math.floormod(a, safe), b)

    a, b = tf.broadcast_to(a, tf.shape(a + b)), tf.broadcast_to(b, tf.shape(a + b))
    a, _ = tf.while_loop(lambda a, b: tf.reduce_any(b != 0), body, (a, b))
    return a


def _lcm(x1, x2):
    g = _gcd(x1, x2)
    safe = tf.where(g == 0, tf.ones_like(g), g)
    return tf.where(g == 0, tf.zeros_like(g), tf.abs(x1 // safe * x2))


def _fmax(x1, x2):
    if not x1.dtype.is_floating:
        return tf.maximum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, tf.maximum(x1, x2)))


def _fmin(x1, x2):
    if not x1.dtype.is_floating:
        return tf.minimum(x1, x2)
    return tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, tf.minimum(x1, x2)))


def _floordiv(x1, x2):
    if x1.dtype.is_floating:
        return tf.floor(x1 / x2)
    return tf.math.floordiv(x1, x2)


def _fmod(x1, x2):
    return tf.truncatemod(x1, x2)


def _promoted(name, tf_fn, doc, with_float=False, bool_as=None, narrow=False):
    # With ``with_float``, Keras casts both to its ``result_type`` (64-bit narrowed to 32);
    # with ``narrow`` too, without the float.
    def op(x1, x2):
        if with_float:  # Keras converts Python numbers to tensors first there
            dtype = result_type(_strong_dtype_of(x1), _strong_dtype_of(x2), float)
        elif narrow:
            dtype = result_type(_dtype_of(x1), _dtype_of(x2))
        else:
            dtype = _promote(_dtype_of(x1), _dtype_of(x2))
        if bool_as is not None and dtype == "bool":
            dtype = bool_as
        x1, x2 = _array(x1, dtype), _array(x2, dtype)
        if dtype == "bool":
            return _cast(_computed(tf_fn, "int32", _cast(x1, "int32"), _cast(x2, "int32")), dtype)
        return _cast(_computed(tf_fn, dtype, x1, x2), dtype)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


arctan2 = _promoted("arctan2", tf.atan2, "The angle of ``(x2, x1)``, element-wise.", True)
logaddexp = _promoted("logaddexp", _logaddexp, "``log(exp(x1) + exp(x2))``.", True)
logaddexp2 = _promoted("logaddexp2", _logaddexp2, "``log2(2**x1 + 2**x2)``.", True)
nextafter = _promoted("nextafter", _nextafter, "The next float after x1 toward x2.", True)
gcd = _promoted("gcd", _gcd, "The greatest common divisor, element-wise.")
lcm = _promoted("lcm", _lcm, "The least common multiple, element-wise.")
fmax = _promoted("fmax", _fmax, "The element-wise maximum, ignoring NaNs.", narrow=True)
fmin = _promoted("fmin", _fmin, "The element-wise minimum, ignoring NaNs.", narrow=True)
floor_divide = _promoted("floor_divide", _floordiv, "``x1 // x2`` element-wise.", narrow=True)
mod = _promoted(
    "mod", tf.math.floormod, "The remainder of ``x1 / x2`` (sign of ``x2``).", bool_as="int32"
)
fmod = _promoted("fmod", _fmod, "The remainder of ``x1 / x2`` (sign of ``x1``).", bool_as="int32")


def logical_xor(x1, x2):
    """Element-wise logical XOR."""
    return tf.math.logical_xor(_array(x1, "bool"), _array(x2, "bool"))


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _shift(tf_fn, x, y):
    # As Keras on torch: a Python int shift keeps the tensor's dtype (booleans become int32),
    # a Python int shifted by a tensor takes the tensor's dtype.
    if _is_int(y) or (_is_int(x) and _array(y).shape.rank):
        tensor = _array(y if _is_int(x) else x)
        if tensor.dtype == tf.bool:
            # torch: a boolean tensor shifted by a Python int is int64; a Python int (an
            # int32 0-d tensor there) shifted by booleans stays int32.
            tensor = _cast(tensor, "int32" if _is_int(x) else "int64")
        number = _array(x if _is_int(x) else y, tensor.dtype)
        x, y = (number, tensor) if _is_int(x) else (tensor, number)
    else:
        x, y = _pair(x, y)
        if x.dtype == tf.bool:
            x, y = _cast(x, "int32"), _cast(y, "int32")
    return tf_fn(x, y)


def bitwise_left_shift(x, y):
    """``x << y`` element-wise."""
    return _shift(tf.bitwise.left_shift, x, y)


def left_shift(x, y):
    """``x << y`` element-wise (``bitwise_left_shift``)."""
    return _shift(tf.bitwise.left_shift, x, y)


def bitwise_right_shift(x, y):
    """``x >> y`` element-wise."""
    return _shift(tf.bitwise.right_shift, x, y)


def right_shift(x, y):
    """``x >> y`` element-wise (``bitwise_right_shift``)."""
    return _shift(tf.bitwise.right_shift, x, y)


def _heaviside(x1, x2):
    zero = tf.zeros_like(x1)
    return tf.where(x1 < 0, zero, tf.where(x1 > 0, tf.ones_like(x1), x2))


def _int_to_float_pair(tf_fn, x1, x2):
    x1, x2 = _array(x1), _array(x2)
    dtype = result_type(_name(x1), _name(x2))
    if dtype in _INTS_TO_FLOATX and dtype != "bool":
        dtype = floatx()
    elif dtype == "int64":
        dtype = "float64"
    if dtype == "bool":
        return _cast(tf_fn(_cast(x1, floatx()), _cast(x2, floatx())), dtype)
    return _cast(tf_fn(_cast(x1, dtype), _cast(x2, dtype)), dtype)


def heaviside(x1, x2):
    """The Heaviside step of ``x1``: 0 below zero, 1 above, ``x2`` at zero."""
    return _int_to_float_pair(_heaviside, x1, x2)


def hypot(x1, x2):
    """``sqrt(x1**2 + x2**2)`` element-wise."""
    return _int_to_float_pair(lambda a, b: tf.sqrt(a * a + b * b), x1, x2)


def ldexp(x1, x2):
    """``x1 * 2**x2`` element-wise; ``x2`` must be an integer."""
    x1, x2 = _array(x1), _array(x2)
    if _name(x2) not in INT_TYPES:
        raise TypeError(
            f"ldexp exponent must be an integer type. Received: x2 dtype={x2.dtype.name}"
        )
    dtype = _promote(_name(x1), _name(x2), float)
    x1 = _cast(x1, dtype)
    return x1 * tf.pow(tf.cast(2.0, x1.dtype), _cast(x2, dtype))


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True where ``|x1 - x2| <= atol + rtol * |x2|``, element-wise."""
    x1, x2 = _pair(x1, x2)
    if not _is_float(x1):
        return tf.equal(x1, x2)
    close = tf.abs(x1 - x2) <= tf.cast(atol, x1.dtype) + tf.cast(rtol, x1.dtype) * tf.abs(x2)
    close = close | (x1 == x2)  # equal infinities
    if equal_nan:
        close = close | (tf.math.is_nan(x1) & tf.math.is_nan(x2))
    return close


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True when ``isclose`` holds for every element."""
    return tf.reduce_all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    """True where an element of ``x1`` is in ``x2``."""
    x1, x2 = _pair(x1, x2)
    found = tf.reduce_any(tf.equal(x1[..., None], tf.reshape(x2, (-1,))), axis=-1)
    return tf.logical_not(found) if invert else found


def _bitwise(name, tf_fn, bool_fn, doc):
    def op(x, y):
        x, y = _pair(x, y)
        if x.dtype == tf.bool:
            return bool_fn(x, y)
        return tf_fn(x, y)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


bitwise_and = _bitwise(
    "bitwise_and", tf.bitwise.bitwise_and, tf.logical_and, "Bitwise AND, element-wise."
)
bitwise_or = _bitwise(
    "bitwise_or", tf.bitwise.bitwise_or, tf.logical_or, "Bitwise OR, element-wise."
)
bitwise_xor = _bitwise(
    "bitwise_xor", tf.bitwise.bitwise_xor, tf.math.logical_xor, "Bitwise XOR, element-wise."
)
