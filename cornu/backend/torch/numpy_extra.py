"""NumPy-like element-wise operations on torch tensors (trigonometry, bitwise, rounding,
comparisons with tolerance, number theory), with Keras's names, signatures and result dtypes.

Operands are converted as Keras's ``convert_to_tensor`` converts them (a Python int becomes
int32, a float ``floatx()``), so torch's promotion then gives the dtype Keras gives.
"""

import torch

from cornu.backend.torch.core import to_torch_dtype
from cornu.backend.torch.operands import _cast, _dtype_name, _to_tensor, floatx, result_type

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

_INTS_TO_FLOATX = ("int8", "int16", "int32", "uint8", "uint16", "uint32")
_INT_NAMES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _unary(name, torch_fn, doc):
    def op(x):
        return torch_fn(_to_tensor(x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


arccos = _unary("arccos", torch.arccos, "Inverse cosine, element-wise.")
arccosh = _unary("arccosh", torch.arccosh, "Inverse hyperbolic cosine, element-wise.")
arcsin = _unary("arcsin", torch.arcsin, "Inverse sine, element-wise.")
arcsinh = _unary("arcsinh", torch.arcsinh, "Inverse hyperbolic sine, element-wise.")
arctanh = _unary("arctanh", torch.arctanh, "Inverse hyperbolic tangent, element-wise.")
cosh = _unary("cosh", torch.cosh, "Hyperbolic cosine, element-wise.")
sinh = _unary("sinh", torch.sinh, "Hyperbolic sine, element-wise.")
sinc = _unary("sinc", torch.sinc, "Normalized sinc, ``sin(pi x) / (pi x)``, element-wise.")
signbit = _unary("signbit", torch.signbit, "True where the sign bit is set (``x < 0``, -0.0).")
isneginf = _unary("isneginf", torch.isneginf, "True where ``x`` is negative infinity.")
isposinf = _unary("isposinf", torch.isposinf, "True where ``x`` is positive infinity.")
isreal = _unary("isreal", torch.isreal, "True where ``x`` has no imaginary part.")
reciprocal = _unary("reciprocal", torch.reciprocal, "``1 / x`` element-wise.")
bitwise_invert = _unary("bitwise_invert", torch.bitwise_not, "Bitwise NOT, element-wise.")
bitwise_not = _unary("bitwise_not", torch.bitwise_not, "Bitwise NOT, element-wise.")


def angle(x):
    """The argument (angle in radians) of complex ``x``, element-wise."""
    x = _to_tensor(x)
    if x.dtype == torch.float16 and x.device.type != "cpu":
        return torch.angle(x.float()).half()
    return torch.angle(x)


def _complex_input(x):
    # Complex NumPy arrays keep their dtype (convert_to_tensor would keep it too).
    return _to_tensor(x)


def conjugate(x):
    """The complex conjugate, element-wise."""
    return torch.conj(_complex_input(x)).resolve_conj()


def conj(x):
    """The complex conjugate, element-wise (``conjugate``)."""
    return conjugate(x)


def real(x):
    """The real part, element-wise."""
    return torch.real(_complex_input(x))


def imag(x):
    """The imaginary part, element-wise (complex inputs only, as torch)."""
    return torch.imag(_complex_input(x))


def cbrt(x):
    """Cube root, element-wise (negative inputs give negative roots)."""
    x = _to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


def _angle_convert(torch_fn, x):
    x = _to_tensor(x)
    if x.dtype == torch.int64:
        return torch_fn(x).to(torch.float64)
    return torch_fn(x)


def deg2rad(x):
    """Degrees to radians, element-wise."""
    return _angle_convert(torch.deg2rad, x)


def rad2deg(x):
    """Radians to degrees, element-wise."""
    return _angle_convert(torch.rad2deg, x)


def exp2(x):
    """``2 ** x`` element-wise; integers and booleans give ``floatx()``."""
    x = _to_tensor(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = _cast(x, floatx())
    return torch.exp2(x)


def fabs(x):
    """Absolute value as a float, element-wise (integers and booleans give ``floatx()``)."""
    x = _to_tensor(x)
    if x.is_complex():
        raise TypeError(f"fabs does not support complex inputs. Received: x.dtype={x.dtype}")
    if not x.is_floating_point():
        x = _cast(x, floatx())
    return torch.abs(x)


def i0(x):
    """Modified Bessel function of the first kind, order 0, element-wise."""
    x = _to_tensor(x)
    dtype = _dtype_name(x)
    if dtype in ("int64", "float64"):
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16"):
        dtype = floatx()
    return torch.i0(_cast(x, dtype))


def trunc(x):
    """``x`` rounded towards zero, element-wise."""
    x = _to_tensor(x)
    if x.dtype == torch.bool:
        return x
    return torch.trunc(x)


# ---- binary operations --------------------------------------------------------------------


def _pair(x1, x2, *extra):
    """Both operands as tensors of Keras's ``result_type`` of their dtypes (and ``extra``)."""
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype, *extra)
    return _cast(x1, dtype), _cast(x2, dtype), dtype


def _float_pair_op(torch_fn, x1, x2):
    # float16 has no CPU kernel for several of these: compute in float32 and cast back.
    x1, x2, dtype = _pair(x1, x2, float)
    if dtype == "float16" and x1.device.type == "cpu":
        return torch_fn(x1.float(), x2.float()).half()
    return torch_fn(x1, x2)


def arctan2(x1, x2):
    """The angle of the point ``(x2, x1)``, element-wise, in radians."""
    return _float_pair_op(torch.arctan2, x1, x2)


def logaddexp(x1, x2):
    """``log(exp(x1) + exp(x2))`` element-wise, computed stably."""
    return _float_pair_op(torch.logaddexp, x1, x2)


def logaddexp2(x1, x2):
    """``log2(2**x1 + 2**x2)`` element-wise, computed stably."""
    x1, x2, _ = _pair(x1, x2, float)
    return torch.logaddexp2(x1, x2)


def nextafter(x1, x2):
    """The next representable float after ``x1`` towards ``x2``, element-wise."""
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype, float)
    return _cast(torch.nextafter(x1.double(), x2.double()), dtype)


def _int_to_float(dtype):
    if dtype in _INTS_TO_FLOATX:
        return floatx()
    return "float64" if dtype == "int64" else dtype


def heaviside(x1, x2):
    """The Heaviside step of ``x1``: 0 below zero, 1 above, ``x2`` at zero."""
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = _int_to_float(result_type(x1.dtype, x2.dtype))
    return torch.heaviside(_cast(x1, dtype), _cast(x2, dtype))


def hypot(x1, x2):
    """``sqrt(x1**2 + x2**2)`` element-wise."""
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = _int_to_float(result_type(x1.dtype, x2.dtype))
    return torch.hypot(_cast(x1, dtype), _cast(x2, dtype))


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True where ``|x1 - x2| <= atol + rtol * |x2|`` (exact equality for non-floats)."""
    x1, x2, dtype = _pair(x1, x2)
    if "float" in dtype:
        return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return torch.eq(x1, x2)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True when ``isclose`` holds for every element."""
    return torch.all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    """True where an element of ``x1`` occurs in ``x2`` (False with ``invert=True``)."""
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    if x1.dtype == torch.bool and x2.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    elif x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    elif x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def _tensors(x1, x2):
    return _to_tensor(x1), _to_tensor(x2)


def bitwise_and(x, y):
    """Bitwise AND, element-wise."""
    return torch.bitwise_and(*_tensors(x, y))


def bitwise_or(x, y):
    """Bitwise OR, element-wise."""
    return torch.bitwise_or(*_tensors(x, y))


def bitwise_xor(x, y):
    """Bitwise XOR, element-wise."""
    return torch.bitwise_xor(*_tensors(x, y))


def bitwise_left_shift(x, y):
    """``x << y`` element-wise."""
    x = _to_tensor(x)
    if not isinstance(y, int):
        y = _to_tensor(y)
    return torch.bitwise_left_shift(x, y)


def bitwise_right_shift(x, y):
    """``x >> y`` element-wise."""
    x = _to_tensor(x)
    if not isinstance(y, int):
        y = _to_tensor(y)
    return torch.bitwise_right_shift(x, y)


def left_shift(x, y):
    """``x << y`` element-wise (``bitwise_left_shift``)."""
    return bitwise_left_shift(x, y)


def right_shift(x, y):
    """``x >> y`` element-wise (``bitwise_right_shift``)."""
    return bitwise_right_shift(x, y)


def logical_xor(x1, x2):
    """Element-wise logical XOR."""
    return torch.logical_xor(*_tensors(x1, x2))


def gcd(x1, x2):
    """Greatest common divisor of integers, element-wise."""
    return torch.gcd(*_tensors(x1, x2))


def lcm(x1, x2):
    """Least common multiple of integers, element-wise."""
    return torch.lcm(*_tensors(x1, x2))


def _no_bool_pair(x1, x2):
    x1, x2 = _tensors(x1, x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return x1, x2


def fmod(x1, x2):
    """Remainder of ``x1 / x2`` with the sign of ``x1`` (C's ``fmod``), element-wise."""
    return torch.fmod(*_no_bool_pair(x1, x2))


def mod(x1, x2):
    """Remainder of ``x1 / x2`` with the sign of ``x2`` (Python's ``%``), element-wise."""
    return torch.remainder(*_no_bool_pair(x1, x2))


def _number_or_tensor(x):
    return x if isinstance(x, (int, float)) else _to_tensor(x)


def _weak_dtype(x1, x2):
    return result_type(getattr(x1, "dtype", type(x1)), getattr(x2, "dtype", type(x2)))


def _as_tensor_of(x, dtype, device):
    if isinstance(x, torch.Tensor):
        return _cast(x, dtype)
    return torch.tensor(x, dtype=to_torch_dtype(dtype), device=device)


def _device_of(x1, x2):
    return next((x.device for x in (x1, x2) if isinstance(x, torch.Tensor)), None)


def floor_divide(x1, x2):
    """``x1 // x2`` element-wise (rounded towards minus infinity)."""
    x1, x2 = _number_or_tensor(x1), _number_or_tensor(x2)
    dtype = _weak_dtype(x1, x2)
    if not isinstance(x1, torch.Tensor):  # torch takes a number second only
        x1 = _as_tensor_of(x1, dtype, _device_of(x1, x2))
    return _cast(torch.floor_divide(x1, x2), dtype)


def _fminmax(torch_fn, x1, x2):
    x1, x2 = _number_or_tensor(x1), _number_or_tensor(x2)
    dtype = _weak_dtype(x1, x2)
    device = _device_of(x1, x2)
    return torch_fn(_as_tensor_of(x1, dtype, device), _as_tensor_of(x2, dtype, device))


def fmax(x1, x2):
    """The element-wise maximum, ignoring NaN (NaN only where both are NaN)."""
    return _fminmax(torch.fmax, x1, x2)


def fmin(x1, x2):
    """The element-wise minimum, ignoring NaN (NaN only where both are NaN)."""
    return _fminmax(torch.fmin, x1, x2)


def ldexp(x1, x2):
    """``x1 * 2 ** x2`` element-wise; ``x2`` must be of an integer dtype."""
    x1, x2 = _tensors(x1, x2)
    dtype = result_type(x1.dtype, x2.dtype, float)
    if _dtype_name(x2) not in _INT_NAMES:
        raise TypeError(f"ldexp exponent must be an integer type. Received: x2 dtype={x2.dtype}")
    return _cast(torch.ldexp(x1, x2), dtype)
