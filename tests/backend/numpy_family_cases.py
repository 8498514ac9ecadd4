"""The inputs and the cases shared by the tests that check a backend's ``numpy`` op family
against cornu on torch (``test_jax_numpy_ops.py``, ``test_tensorflow_numpy.py``): each case is
a function name, its positional arguments and keywords."""

import numpy as np
import pytest

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3)).astype("float32")
B = RNG.standard_normal((2, 3)).astype("float32")
P = RNG.uniform(0.5, 2.0, (2, 3)).astype("float32")
U = RNG.uniform(-0.9, 0.9, (2, 3)).astype("float32")
G = RNG.uniform(1.1, 3.0, (2, 3)).astype("float32")
I = RNG.integers(1, 9, (2, 3)).astype("int32")  # noqa: E741
J = RNG.integers(1, 9, (2, 3)).astype("int32")
I8 = RNG.integers(-5, 5, (2, 3)).astype("int8")
U8 = RNG.integers(0, 9, (2, 3)).astype("uint8")
I64 = RNG.integers(-5, 5, (2, 3)).astype("int64")
F64 = RNG.standard_normal((2, 3))
BO = np.array([[True, False, True], [False, False, True]])
V = RNG.standard_normal(3).astype("float32")
W = RNG.standard_normal(3).astype("float32")
S = RNG.standard_normal((3, 3)).astype("float32")
T3 = RNG.standard_normal((2, 3, 4)).astype("float32")
NAN = np.array([[1.0, np.nan, 3.0], [np.nan, 5.0, -2.0]], "float32")
INF = np.array([1.0, np.inf, -np.inf, np.nan, -0.0], "float32")
C = (A + 1j * B).astype("complex64")
SORTED = np.array([1.0, 2.0, 4.0, 8.0], "float32")
DUP = np.array([3, 1, 2, 3, 1, 5], "int32")

UNARY_FLOAT = [
    "abs", "absolute", "negative", "sign", "sqrt", "square", "exp", "exp2", "expm1", "log1p",
    "sin", "cos", "tan", "tanh", "arctan", "arcsinh", "cosh", "sinh", "sinc", "floor", "ceil",
    "round", "trunc", "fabs", "cbrt", "deg2rad", "rad2deg", "reciprocal", "isnan", "isinf",
    "isfinite", "signbit", "isneginf", "isposinf", "isreal", "real", "angle", "i0", "ravel",
    "copy", "ndim", "size", "logical_not", "rsqrt",
]  # fmt: skip
UNARY_POSITIVE = ["log", "log2", "log10", "sqrt", "rsqrt"]
UNARY_UNIT = ["arcsin", "arccos", "arctanh"]
UNARY_INT = [
    "abs", "negative", "sign", "square", "exp", "sqrt", "floor", "ceil", "trunc", "fabs",
    "cbrt", "deg2rad", "rad2deg", "sin", "tanh", "arcsinh", "exp2", "log1p", "sinc", "i0",
    "bitwise_invert", "bitwise_not", "logical_not", "round", "cosh",
]  # fmt: skip
BINARY_FLOAT = [
    "add", "subtract", "multiply", "divide", "true_divide", "divide_no_nan", "maximum",
    "minimum", "equal", "not_equal", "greater", "greater_equal", "less", "less_equal",
    "arctan2", "logaddexp", "logaddexp2", "hypot", "fmax", "fmin", "mod", "fmod",
    "floor_divide", "heaviside", "nextafter", "isclose", "allclose", "logical_and",
    "logical_or", "logical_xor", "outer", "append", "kron", "inner", "vdot",
]  # fmt: skip
BINARY_INT = [
    "add", "subtract", "multiply", "divide", "maximum", "mod", "fmod", "floor_divide",
    "gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
    "bitwise_right_shift", "left_shift", "right_shift", "power", "hypot", "equal", "fmax",
    "heaviside", "divide_no_nan", "arctan2",
]  # fmt: skip
REDUCTIONS = [
    "sum", "mean", "var", "std", "max", "min", "prod", "all", "any", "argmax", "argmin",
    "amax", "amin", "ptp", "median", "nansum", "nanprod", "nanmean", "nanmax", "nanmin",
    "nanstd", "nanvar", "nanmedian", "nanargmax", "nanargmin", "count_nonzero",
]  # fmt: skip
NAN_REDUCTIONS = [
    "nansum", "nanprod", "nanmean", "nanmax", "nanmin", "nanstd", "nanvar", "nanmedian",
    "nanargmax", "nanargmin", "nancumsum", "nancumprod", "nan_to_num",
]  # fmt: skip


def _case(name, *args, **kwargs):
    label = kwargs.pop("id", None)
    return pytest.param(name, args, kwargs, id=f"{name}-{label}" if label else name)


CASES = (
    [_case(n, A, id="f32") for n in UNARY_FLOAT]
    + [_case(n, P, id="pos") for n in UNARY_POSITIVE]
    + [_case(n, U, id="unit") for n in UNARY_UNIT]
    + [_case(n, C, id="c64") for n in ("real", "imag", "conj", "conjugate", "angle", "isreal")]
    + [_case("arccosh", G)]
    + [_case(n, I, id="i32") for n in UNARY_INT]
    + [_case(n, U8, id="u8") for n in ("square", "sqrt", "abs", "exp2", "cbrt")]
    + [_case(n, BO, id="bool") for n in ("square", "abs", "logical_not", "sqrt", "sign")]
    + [_case(n, A, B, id="f32") for n in BINARY_FLOAT]
    + [_case(n, I, J, id="i32") for n in BINARY_INT]
    + [_case(n, I, 2.5, id="i32-float") for n in ("add", "multiply", "divide", "power", "mod")]
    + [_case(n, A, 2, id="f32-int") for n in ("add", "subtract", "power", "maximum", "fmod")]
    + [_case(n, I, A, id="i32-f32") for n in ("add", "multiply", "divide", "minimum", "hypot")]
    + [_case(n, I8, U8, id="i8-u8") for n in ("add", "multiply", "subtract", "maximum")]
    + [_case(n, BO, I, id="bool-i32") for n in ("add", "multiply", "subtract", "bitwise_and")]
    + [_case(n, BO, BO, id="bool") for n in ("logical_and", "logical_xor", "bitwise_or")]
    + [_case(n, I64, 3, id="i64") for n in ("add", "multiply", "floor_divide")]
    + [_case(n, F64, id="f64") for n in ("exp", "abs", "sum", "mean", "floor")]
    + [_case(n, NAN, id="nan") for n in NAN_REDUCTIONS]
    + [_case(n, NAN, axis=1, id="nan-axis1") for n in NAN_REDUCTIONS if n != "nan_to_num"]
    + [_case(n, INF, id="inf") for n in ("isneginf", "isposinf", "isfinite", "signbit", "isnan")]
    + [_case(n, A, id="f32") for n in REDUCTIONS]
    + [_case(n, T3, axis=1, id="axis1") for n in REDUCTIONS]
    + [_case(n, T3, axis=(0, 2), keepdims=True, id="keep") for n in REDUCTIONS[:9]]
    + [_case(n, I, id="i32") for n in REDUCTIONS]
    + [_case(n, BO, axis=0, id="bool") for n in ("sum", "prod", "mean", "any", "count_nonzero")]
    + [_case(n, U8, id="u8") for n in ("sum", "prod", "mean", "max")]
    + [
        _case("max", A, initial=0.5, axis=1),
        _case("min", A, initial=-0.5),
        _case("prod", I, dtype="float32"),
        _case("cumsum", A, axis=1),
        _case("cumsum", I),
        _case("cumsum", BO, axis=0, id="bool"),
        _case("cumprod", P, axis=0),
        _case("cumprod", I, dtype="float32", id="dtype"),
        _case("argsort", A, axis=1),
        _case("argsort", DUP, id="ties"),
        _case("sort", A, axis=0),
        _case("clip", A, -0.5, 0.5),
        _case("clip", I, 2, 6, id="i32"),
        _case("clip", BO, 0, 1, id="bool"),
        _case("round", A * 10, decimals=1, id="decimals"),
        _case("reshape", T3, (4, -1)),
        _case("reshape", T3, 24, id="int"),
        _case("transpose", T3),
        _case("transpose", T3, (1, 0, 2), id="axes"),
        _case("swapaxes", T3, 0, 2),
        _case("moveaxis", T3, 0, -1),
        _case("moveaxis", T3, [0, 1], [2, 0], id="lists"),
        _case("expand_dims", A, 1),
        _case("expand_dims", A, (0, 3), id="tuple"),
        _case("squeeze", A[None, :, None], id="all"),
        _case("squeeze", A[None], axis=0),
        _case("concatenate", [A, B], axis=1),
        _case("concatenate", [A, I], id="mixed"),
        _case("stack", [A, B], axis=1),
        _case("stack", [I, U8], id="mixed"),
        _case("hstack", [A, B]),
        _case("vstack", [A, I]),
        _case("dstack", [A, B]),
        _case("split", T3, 2, axis=0),
        _case("split", T3, [1, 3], axis=2, id="indices"),
        _case("array_split", T3, 3, axis=2),
        _case("hsplit", T3, 3),
        _case("vsplit", T3, 2),
        _case("dsplit", T3, [1]),
        _case("tile", V, (2, 2)),
        _case("repeat", A, 2),
        _case("repeat", A, 2, axis=1, id="axis1"),
        _case("take", A, np.array([0, 2, 5])),
        _case("take", T3, np.array([[0, 3], [1, 1]]), axis=2, id="axis2"),
        _case("take_along_axis", A, np.array([[0, 2], [1, 1]]), axis=1),
        _case("take_along_axis", A, np.array([[2, 0, 1]]), axis=1, id="broadcast"),
        _case("zeros", (2, 3)),
        _case("zeros", 3, dtype="int32", id="int"),
        _case("ones", (2,), dtype="bool"),
        _case("full", (2, 2), 3),
        _case("full", (2, 2), 1.5, dtype="float16", id="f16"),
        _case("zeros_like", I),
        _case("ones_like", A, dtype="int8"),
        _case("full_like", I, 7),
        _case("full_like", A, 2, dtype="int32", id="dtype"),
        _case("empty", (2, 2)),
        _case("empty_like", I),
        _case("eye", 3),
        _case("eye", 3, 4, 1, dtype="int32", id="rect"),
        _case("identity", 2),
        _case("tri", 3, 4, -1),
        _case("tril", S, -1),
        _case("triu", T3, 1),
        _case("arange", 5),
        _case("arange", 1, 7, 2),
        _case("arange", 0.5, 3.0, id="float"),
        _case("arange", 0, 5, 0.5, id="float-step"),
        _case("arange", 4, dtype="float32", id="dtype"),
        _case("linspace", 0, 1, 5),
        _case("linspace", 0.0, 4.0, 4, endpoint=False, retstep=True, id="retstep"),
        _case("linspace", 0, 9, 4, dtype="int32", id="int"),
        _case("logspace", 0, 2, 3),
        _case("logspace", 0.0, 3.0, 4, base=2, endpoint=False, id="base"),
        _case("geomspace", 1, 100, 3),
        _case("geomspace", 1.0, 8.0, 4, endpoint=False, id="open"),
        _case("diagonal", T3, 1, 1, 2),
        _case("diag", V),
        _case("diag", S, 1, id="2d"),
        _case("diagflat", A, -1),
        _case("diff", A),
        _case("diff", T3, 2, axis=1, id="n2"),
        _case("dot", A, S),
        _case("dot", V, W, id="vec"),
        _case("dot", I, J.T, id="int"),
        _case("matmul", A, S),
        _case("matmul", I8, I8.T, id="int8"),
        _case("matmul", I, A.T, id="mixed"),
        _case("matmul", BO, BO.T, id="bool"),
        _case("matmul", T3, T3.transpose(0, 2, 1), id="batched"),
        _case("tensordot", T3, T3, axes=([1, 2], [1, 2])),
        _case("tensordot", A, S, axes=1, id="int"),
        _case("einsum", "ij,jk->ik", A, S),
        _case("einsum", "ij->", I, id="int"),
        _case("einsum", "ij,ij->i", I8, I8, id="int8"),
        _case("einsum", "bij,bjk,kl->bil", T3, T3.transpose(0, 2, 1), A.T, id="three"),
        _case("pad", A, ((1, 0), (0, 2))),
        _case("pad", A, ((1, 1), (2, 0)), constant_values=5.0, id="value"),
        _case("nan_to_num", INF, nan=1.0, posinf=9.0, neginf=-9.0, id="values"),
        _case("broadcast_to", V, (2, 3)),
        _case("flip", A),
        _case("flip", T3, axis=(0, 2), id="axes"),
        _case("fliplr", A),
        _case("flipud", A),
        _case("rot90", A),
        _case("rot90", T3, 3, (2, 1), id="axes"),
        _case("roll", A, 2),
        _case("roll", T3, (1, -1), axis=(0, 2), id="axes"),
        _case("where", A > 0, A, B),
        _case("where", BO, I, 0.5, id="mixed"),
        _case("where", BO, id="indices"),
        _case("nonzero", I - 4),
        _case("get_item", T3, (0, slice(1, None), 2)),
        _case("get_item", A, np.array([1, 0]), id="array"),
        _case("get_item", A, A > 0, id="mask"),
        _case("get_item", T3, (Ellipsis, None, 1), id="ellipsis"),
        _case("searchsorted", SORTED, np.array([0.5, 2.0, 9.0])),
        _case("searchsorted", SORTED, np.array([2.0, 4.0]), side="right", id="right"),
        _case("digitize", np.array([0.5, 2.0, 9.0], "float32"), SORTED),
        _case("unravel_index", np.array([1, 5, 7]), (2, 4)),
        _case("select", [A > 0.5, A < -0.5], [A, B]),
        _case("select", [BO], [I], default=-1, id="default"),
        _case("slogdet", S),
        _case("cross", np.ones((2, 3), "float32"), A),
        _case("cross", T3[:, :, :3], T3[:, :, 1:], id="batched"),
        _case("vander", V),
        _case("vander", np.array([1, 2, 3]), 4, increasing=True, id="int"),
        _case("meshgrid", V, W[:2]),
        _case("meshgrid", V, W[:2], indexing="ij", id="ij"),
        _case("unique", DUP),
        _case("unique", DUP, return_index=True, return_inverse=True, return_counts=True, id="all"),
        _case("unique", DUP, size=6, fill_value=-1, id="pad"),
        _case("unique", DUP, size=2, return_counts=True, id="truncate"),
        _case("unique", np.array([[1, 2], [1, 2], [0, 1]]), axis=0, id="axis"),
        _case("view", A, "int32"),
        _case("view", I, "uint8", id="narrow"),
        _case("average", A),
        _case("average", A, axis=1, weights=V, id="weights"),
        _case("average", I, axis=0, weights=np.array([1.0, 3.0], "float32"), id="int"),
        _case("quantile", A, 0.3),
        _case("quantile", T3, np.array([0.25, 0.5]), axis=1, keepdims=True, id="axis"),
        _case("quantile", I, 0.5, method="lower", id="lower"),
        _case("percentile", A, 40.0),
        _case("percentile", T3, 90, axis=2, method="nearest", id="nearest"),
        _case("nanquantile", NAN, 0.5),
        _case("nanquantile", NAN, 0.25, axis=1, id="axis"),
        _case("nanpercentile", NAN, 75.0),
        _case("nanpercentile", NAN, 50, axis=0, method="midpoint", id="midpoint"),
        _case("median", T3, axis=1),
        _case("median", I, id="int"),
        _case("trace", S),
        _case("trace", T3, 1, 1, 2, id="axes"),
        _case("trace", BO, id="bool"),
        _case("trapezoid", A),
        _case("trapezoid", A, x=np.array([0.0, 1.0, 3.0], "float32"), id="x"),
        _case("trapezoid", I, dx=0.5, axis=0, id="int"),
        _case("bartlett", 5),
        _case("blackman", 6),
        _case("hamming", 5),
        _case("hanning", 4),
        _case("kaiser", 5, 3.0),
        _case("bincount", DUP),
        _case("bincount", DUP, minlength=8, id="minlength"),
        _case("bincount", DUP, weights=np.arange(6, dtype="float32"), id="weights"),
        _case("bincount", np.array([[0, 1, 1], [2, 2, 0]]), id="2d"),
        _case("histogram", V),
        _case("histogram", np.array([1, 2, 2, 5]), bins=4, range=(0, 4), id="range"),
        _case("corrcoef", np.concatenate([A, B])),
        _case("corrcoef", I, id="int"),
        _case("correlate", V, W[:2]),
        _case("correlate", V, W, mode="full", id="full"),
        _case("correlate", I[0], J[0], mode="same", id="int"),
        _case("isin", DUP, np.array([1, 5])),
        _case("isin", DUP, np.array([1, 5]), invert=True, id="invert"),
        _case("ldexp", A, I),
        _case("isclose", A, A + 1e-6, id="near"),
        _case("allclose", A, B + 1.0, atol=2.0, id="atol"),
        _case("nextafter", A, 0.0, id="zero"),
        _case("count_nonzero", I - 4, axis=1, id="axis"),
        _case("array", [1, 2]),
        _case("array", [[1.0, 2.0]], dtype="float16", id="dtype"),
        _case("array", A, "int32", id="cast"),
        _case("argmax", A, axis=1, keepdims=True, id="keep"),
        _case("argmin", T3, axis=-1),
    ]
)
