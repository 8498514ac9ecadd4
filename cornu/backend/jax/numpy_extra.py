"""NumPy-like element-wise operations on jax arrays (trigonometry, bitwise, rounding,
comparisons with tolerance, number theory), with Keras's names, signatures and result dtypes."""

import jax.numpy as jnp

from cornu.backend.jax.operands import (
    _INTS_TO_FLOATX,
    _array,
    _cast,
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


def _transcendental(name, jnp_fn, doc):
    def op(x):
        x = _to_float(x)
        return _cast(jnp_fn(x), x.dtype)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


arccos = _transcendental("arccos", jnp.arccos, "Inverse cosine, element-wise.")
arccosh = _transcendental("arccosh", jnp.arccosh, "Inverse hyperbolic cosine, element-wise.")
arcsin = _transcendental("arcsin", jnp.arcsin, "Inverse sine, element-wise.")
arcsinh = _transcendental("arcsinh", jnp.arcsinh, "Inverse hyperbolic sine, element-wise.")
arctanh = _transcendental("arctanh", jnp.arctanh, "Inverse hyperbolic tangent, element-wise.")
cosh = _transcendental("cosh", jnp.cosh, "Hyperbolic cosine, element-wise.")
sinh = _transcendental("sinh", jnp.sinh, "Hyperbolic sine, element-wise.")
sinc = _transcendental("sinc", jnp.sinc, "Normalized sinc, ``sin(pi x) / (pi x)``, element-wise.")


def angle(x):
    """The argument (angle in radians) of complex ``x``, element-wise."""
    return jnp.angle(_to_float(x))


def _predicate(name, jnp_fn, doc):
    def op(x):
        return jnp_fn(_array(x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


signbit = _predicate("signbit", jnp.signbit, "True where the sign bit is set (``x < 0``, -0.0).")
isneginf = _predicate("isneginf", jnp.isneginf, "True where ``x`` is negative infinity.")
isposinf = _predicate("isposinf", jnp.isposinf, "True where ``x`` is positive infinity.")
isreal = _predicate("isreal", jnp.isreal, "True where ``x`` has no imaginary part.")
bitwise_invert = _predicate("bitwise_invert", jnp.invert, "Bitwise NOT, element-wise.")
bitwise_not = _predicate("bitwise_not", jnp.invert, "Bitwise NOT, element-wise.")
conjugate = _predicate("conjugate", jnp.conjugate, "The complex conjugate, element-wise.")
conj = _predicate("conj", jnp.conjugate, "The complex conjugate, element-wise (``conjugate``).")
real = _predicate("real", jnp.real, "The real part, element-wise.")
imag = _predicate("imag", jnp.imag, "The imaginary part, element-wise.")


def reciprocal(x):
    """``1 / x`` element-wise."""
    return jnp.reciprocal(_array(x))


def _rounded_float(x, jnp_fn):
    # int64 and float64 give float64, half floats keep their dtype, the rest floatx().
    x = _array(x)
    dtype = _name(x)
    if dtype in ("int64", "float64"):
        target = "float64"
    elif dtype in ("bfloat16", "float16"):
        target = dtype
    else:
        target = floatx()
    return _cast(jnp_fn(_cast(x, target)), target)


def deg2rad(x):
    """Degrees to radians, element-wise."""
    return _rounded_float(x, jnp.deg2rad)


def rad2deg(x):
    """Radians to degrees, element-wise."""
    return _rounded_float(x, jnp.rad2deg)


def cbrt(x):
    """Cube root, element-wise (negative inputs give negative roots)."""
    x = _array(x)
    dtype = _float_result_dtype(_name(x))
    return _cast(jnp.cbrt(_cast(x, dtype)), dtype)


def exp2(x):
    """``2 ** x`` element-wise; integer and boolean inputs give ``floatx()``."""
    x = _array(x)
    if not _is_float(x):
        x = _cast(x, floatx())
    return jnp.exp2(x)


def fabs(x):
    """The absolute value as a float, element-wise."""
    x = _array(x)
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        raise TypeError(f"fabs does not support complex inputs. Received: x.dtype={x.dtype}")
    if not _is_float(x):
        x = _cast(x, floatx())
    return jnp.fabs(x)


def trunc(x):
    """Rounds toward zero, element-wise; integers are returned as they are."""
    x = _array(x)
    if not _is_float(x):
        return x
    return jnp.trunc(x)


def i0(x):
    """The modified Bessel function of the first kind, order 0, element-wise."""
    x = _array(x)
    dtype = _name(x)
    x = _cast(x, "float64" if dtype in ("int64", "float64") else _promote(dtype, float))
    return _cast(jnp.i0(x), x.dtype)


def _promoted(name, jnp_fn, doc, with_float=False, bool_as=None):
    # With ``with_float``, Keras casts both to its ``result_type`` (64-bit narrowed to 32).
    def op(x1, x2):
        if with_float:  # Keras converts Python numbers to tensors first there
            dtype = result_type(_strong_dtype_of(x1), _strong_dtype_of(x2), float)
        else:
            dtype = _promote(_dtype_of(x1), _dtype_of(x2))
        if bool_as is not None and dtype == "bool":
            dtype = bool_as
        x1, x2 = _array(x1, dtype), _array(x2, dtype)
        return _cast(jnp_fn(x1, x2), dtype)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


arctan2 = _promoted("arctan2", jnp.arctan2, "The angle of ``(x2, x1)``, element-wise.", True)
logaddexp = _promoted("logaddexp", jnp.logaddexp, "``log(exp(x1) + exp(x2))``.", True)
logaddexp2 = _promoted("logaddexp2", jnp.logaddexp2, "``log2(2**x1 + 2**x2)``.", True)
nextafter = _promoted("nextafter", jnp.nextafter, "The next float after x1 toward x2.", True)
gcd = _promoted("gcd", jnp.gcd, "The greatest common divisor, element-wise.")
lcm = _promoted("lcm", jnp.lcm, "The least common multiple, element-wise.")
fmax = _promoted("fmax", jnp.fmax, "The element-wise maximum, ignoring NaNs.")
fmin = _promoted("fmin", jnp.fmin, "The element-wise minimum, ignoring NaNs.")
floor_divide = _promoted("floor_divide", jnp.floor_divide, "``x1 // x2`` element-wise.")
mod = _promoted("mod", jnp.mod, "The remainder of ``x1 / x2`` (sign of ``x2``).", bool_as="int32")
fmod = _promoted(
    "fmod", jnp.fmod, "The remainder of ``x1 / x2`` (sign of ``x1``).", bool_as="int32"
)


def logical_xor(x1, x2):
    """Element-wise logical XOR."""
    return jnp.logical_xor(_array(x1), _array(x2))


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _shift(jnp_fn, x, y):
    # As Keras on torch: a Python int shift keeps the tensor's dtype (booleans become int32),
    # a Python int shifted by an array takes the array's dtype.
    if _is_int(y) or (_is_int(x) and _array(y).ndim):
        tensor = _array(y if _is_int(x) else x)
        if tensor.dtype == jnp.bool_:
            tensor = _cast(tensor, "int32")
        number = _array(x if _is_int(x) else y, tensor.dtype)
        x, y = (number, tensor) if _is_int(x) else (tensor, number)
    else:
        x, y = _pair(x, y)
    return jnp_fn(x, y)


def bitwise_left_shift(x, y):
    """``x << y`` element-wise."""
    return _shift(jnp.left_shift, x, y)


def left_shift(x, y):
    """``x << y`` element-wise (``bitwise_left_shift``)."""
    return _shift(jnp.left_shift, x, y)


def bitwise_right_shift(x, y):
    """``x >> y`` element-wise."""
    return _shift(jnp.right_shift, x, y)


def right_shift(x, y):
    """``x >> y`` element-wise (``bitwise_right_shift``)."""
    return _shift(jnp.right_shift, x, y)


def _int_to_float_pair(jnp_fn, x1, x2):
    x1, x2 = _array(x1), _array(x2)
    dtype = result_type(_name(x1), _name(x2))
    if dtype in _INTS_TO_FLOATX and dtype != "bool":
        dtype = floatx()
    elif dtype == "int64":
        dtype = "float64"
    return _cast(jnp_fn(_cast(x1, dtype), _cast(x2, dtype)), dtype)


def heaviside(x1, x2):
    """The Heaviside step of ``x1``: 0 below zero, 1 above, ``x2`` at zero."""
    return _int_to_float_pair(jnp.heaviside, x1, x2)


def hypot(x1, x2):
    """``sqrt(x1**2 + x2**2)`` element-wise."""
    return _int_to_float_pair(jnp.hypot, x1, x2)


def ldexp(x1, x2):
    """``x1 * 2**x2`` element-wise; ``x2`` must be an integer."""
    x1, x2 = _array(x1), _array(x2)
    if _name(x2) not in INT_TYPES:
        raise TypeError(f"ldexp exponent must be an integer type. Received: x2 dtype={x2.dtype}")
    dtype = _promote(_name(x1), _name(x2), float)
    return _cast(jnp.ldexp(_cast(x1, dtype), _cast(x2, "int32")), dtype)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True where ``|x1 - x2| <= atol + rtol * |x2|``, element-wise."""
    x1, x2 = _pair(x1, x2)
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True when ``isclose`` holds for every element."""
    return jnp.all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    """True where an element of ``x1`` is in ``x2``."""
    x1, x2 = _array(x1), _array(x2)
    return jnp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def bitwise_and(x, y):
    """Bitwise AND, element-wise."""
    x, y = _pair(x, y)
    return jnp.bitwise_and(x, y)


def bitwise_or(x, y):
    """Bitwise OR, element-wise."""
    x, y = _pair(x, y)
    return jnp.bitwise_or(x, y)


def bitwise_xor(x, y):
    """Bitwise XOR, element-wise."""
    x, y = _pair(x, y)
    return jnp.bitwise_xor(x, y)
