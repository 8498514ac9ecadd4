"""Element-wise NumPy-like ops (trigonometry, bitwise, rounding, tolerances, number theory)
against keras.ops on its torch backend: values and result dtypes, and the errors of bad input."""

import numpy as np
import pytest

from cornu import ops

F32 = np.array([[0.5, -0.25, 0.75], [-0.9, 0.1, 0.0]], dtype="float32")
F16 = F32.astype("float16")
F64 = F32.astype("float64")
I32 = np.array([[3, -2, 0], [7, 5, -4]], dtype="int32")
I64 = I32.astype("int64")
U8 = np.array([[3, 2, 0], [7, 5, 4]], dtype="uint8")
B = np.array([[True, False, True], [False, False, True]])
GE1 = np.array([1.0, 1.5, 3.0], dtype="float32")
SPECIAL = np.array([np.inf, -np.inf, np.nan, -0.0, 2.0], dtype="float32")

UNARY = {
    "arccos": [F32, F64],
    "arcsin": [F32, F16],
    "arcsinh": [F32, I32, I64],
    "arctanh": [F32],
    "arccosh": [GE1],
    "cosh": [F32, I32],
    "sinh": [F32, I64],
    "sinc": [F32, I32],
    "cbrt": [F32, I32, I64, B],
    "deg2rad": [F32, I32, I64],
    "rad2deg": [F32, I32, I64],
    "exp2": [F32, I32, B, F16],
    "fabs": [F32, I32, B, I64],
    "i0": [F32, I32, I64, F64],
    "trunc": [F32 * 3, I32, B],
    "reciprocal": [F32 + 2, F64],
    "signbit": [SPECIAL, I32],
    "isneginf": [SPECIAL, I32],
    "isposinf": [SPECIAL],
    "isreal": [F32, I32],
    "bitwise_invert": [I32, U8, B],
    "bitwise_not": [I32, I64],
    "angle": [F32, np.array([1 + 1j, -2j], dtype="complex64")],
    "real": [np.array([1 + 2j, -3.5 - 1j], dtype="complex64"), F32],
    "imag": [np.array([1 + 2j, -3.5 - 1j], dtype="complex128")],
    "conj": [np.array([1 + 2j, -3.5 - 1j], dtype="complex64"), F32],
    "conjugate": [np.array([1 + 2j, -3.5 - 1j], dtype="complex64")],
}


@pytest.mark.parametrize(
    "name, x",
    [(name, x) for name, inputs in UNARY.items() for x in inputs],
    ids=lambda v: v if isinstance(v, str) else str(v.dtype),
)
def test_unary_matches_keras(oracle, name, x):
    oracle.op(name, x, atol=1e-3 if x.dtype == np.float16 else 1e-6)


BINARY = {
    "arctan2": [(F32, F32[::-1]), (I32, I32 + 1), (F16, F16), (I32, 2.5)],
    "logaddexp": [(F32, F32[::-1]), (I32, F64), (F16, F16)],
    "logaddexp2": [(F32, F32[::-1]), (I32, I32)],
    "nextafter": [(F32, np.ones_like(F32)), (F64, -np.ones_like(F64)), (I32, F32)],
    "heaviside": [(F32, 0.5), (I32, I32), (I64, F32), (F32, F32)],
    "hypot": [(F32, F32), (I32, I32), (I64, I32), (U8, U8)],
    "isclose": [(F32, F32 + 1e-7), (I32, I32), (F32, np.float32(0.5)), (SPECIAL, SPECIAL)],
    "allclose": [(F32, F32 + 1e-7), (F32, F32 + 1), (I32, I32)],
    "isin": [(I32, np.array([3, 0, 5], dtype="int32")), (F32, F32[0]), (B, B), (I32, B)],
    "bitwise_and": [(I32, I32[::-1]), (U8, U8), (B, B), (I32, 6)],
    "bitwise_or": [(I32, I32[::-1]), (I64, I32)],
    "bitwise_xor": [(I32, I32[::-1]), (B, B)],
    "bitwise_left_shift": [(I32, 2), (U8, U8 % 3), (I32, np.array(1, dtype="int32"))],
    "bitwise_right_shift": [(I32, 1), (I64, I64 % 3)],
    "left_shift": [(I32, 3)],
    "right_shift": [(I32, 1)],
    "logical_xor": [(B, B[::-1]), (I32, F32), (F32, 0.0)],
    "gcd": [(I32, np.array([6, 4, 3], dtype="int32")), (I64, 4)],
    "lcm": [(I32, np.array([6, 4, 3], dtype="int32")), (I64, I64)],
    "fmod": [(F32, 0.3), (I32, np.array([2, 3, 5], dtype="int32")), (B, B | True)],
    "mod": [(F32, 0.3), (I32, np.array([2, -3, 5], dtype="int32")), (I32, 3), (B, B | True)],
    "floor_divide": [(F32, 0.3), (I32, 2), (I32, 2.5), (7, I32 + 10), (U8, U8 + 1)],
    "fmax": [(SPECIAL, np.float32(1.0)), (I32, 2), (F32, I32), (I32, 1.5), (F16, F32)],
    "fmin": [(SPECIAL, SPECIAL[::-1]), (I32, 2), (B, I32)],
    "ldexp": [(F32, np.array([1, 2, 3], dtype="int32")), (I32, I32 % 4), (F16, I64 % 3)],
}


@pytest.mark.parametrize(
    "name, x1, x2",
    [(name, *pair) for name, pairs in BINARY.items() for pair in pairs],
    ids=lambda v: v if isinstance(v, str) else str(getattr(v, "dtype", type(v).__name__)),
)
def test_binary_matches_keras(oracle, name, x1, x2):
    oracle.op(name, x1, x2, atol=1e-3 if np.float16 in (getattr(x1, "dtype", None),) else 1e-6)


def test_isclose_tolerances_and_nan(oracle):
    a = np.array([1.0, np.nan, 2.0], dtype="float32")
    b = np.array([1.1, np.nan, 2.0], dtype="float32")
    oracle.op("isclose", a, b, rtol=0.2, atol=0.0, equal_nan=True)
    oracle.op("allclose", a, b, 0.2, 0.0, True)


def test_ldexp_refuses_a_float_exponent():
    with pytest.raises(TypeError, match="ldexp exponent must be an integer"):
        ops.ldexp(F32, F32)


def test_fabs_refuses_complex_input():
    with pytest.raises(TypeError, match="fabs does not support complex"):
        ops.fabs(np.array([1 + 1j], dtype="complex64"))


def test_python_numbers_follow_keras_conversion(oracle):
    # A Python int is an int32 operand, a float a floatx() one, as in Keras.
    oracle.op("hypot", 3, 4)
    oracle.op("logaddexp", 1, 2.0)
    oracle.op("arctan2", [1, 2], [3, 4])
    oracle.op("cosh", 2)
