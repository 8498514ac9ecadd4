"""The ops that existed before Keras's full surface give Keras's result dtypes (int32 where
Keras's torch backend gives int32) and accept NumPy arrays, lists and numbers as Keras does."""

import numpy as np
import pytest

from cornu import ops
from cornu.core.config import backend

INPUTS = {
    "f32": np.array([[1.5, -2.0], [3.0, 0.5]], "float32"),
    "f16": np.array([[1.5, -2.0], [3.0, 0.5]], "float16"),
    "i32": np.array([[1, -2], [3, 4]], "int32"),
    "i64": np.array([[1, -2], [3, 4]], "int64"),
    "i8": np.array([[1, -2], [3, 4]], "int8"),
    "u8": np.array([[1, 2], [3, 4]], "uint8"),
    "bool": np.array([[True, False], [True, True]]),
    "list": [[1, 2], [3, 4]],
    "floats": [[1.0, 2], [3, 4]],
    "int": 3,
    "float": 2.5,
}

UNARY = [
    "abs",
    "absolute",
    "negative",
    "sign",
    "square",
    "exp",
    "log1p",
    "sin",
    "tanh",
    "arctan",
    "floor",
    "ceil",
    "isnan",
    "isfinite",
    "round",
    "copy",
    "transpose",
    "zeros_like",
    "ones_like",
    "sum",
    "mean",
    "max",
    "min",
    "all",
    "any",
    "count_nonzero",
    "cumsum",
    "cumprod",
    "prod",
    "argsort",
    "sort",
    "flip",
    "squeeze",
    "nan_to_num",
    "convert_to_tensor",
    "argmax",
    "argmin",
]
NO_BOOL = {"negative", "sign", "sin", "exp", "log1p", "tanh", "arctan", "nan_to_num", "round"}


@pytest.mark.parametrize("kind", list(INPUTS))
@pytest.mark.parametrize("name", UNARY)
def test_unary_dtype_and_values_match_keras(oracle, name, kind):
    if kind == "bool" and name in NO_BOOL:
        pytest.skip("torch has no boolean kernel for this op (Keras fails too)")
    x = INPUTS[kind]
    if (
        backend() in ("jax", "tensorflow")
        and name in ("sort", "argsort")
        and kind in ("int", "float")
    ):
        # Keras's JAX and TF sort refuse a 0-d input and their argsort gives shape (1,); cornu
        # keeps torch's 0-d result on every backend.
        assert tuple(getattr(ops, name)(x).shape) == ()
        return
    oracle.op(name, x, atol=1e-3 if kind == "f16" else 1e-6)


@pytest.mark.parametrize("kind", ["f32", "i32", "i64", "i8", "u8", "list", "floats"])
def test_sqrt_and_rsqrt_match_keras(oracle, kind):
    x = np.abs(np.asarray(INPUTS[kind])) + 1 if kind not in ("list", "floats") else INPUTS[kind]
    oracle.op("sqrt", x)


@pytest.mark.parametrize(
    "args",
    [(3,), (3.0,), (1, 5, 2), (0.0, 1.0, 0.5), (1, 4.0), (5, None, 2), (np.int64(3),)],
    ids=str,
)
def test_arange_dtype_matches_keras(oracle, args):
    oracle.op("arange", *args)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)], ids=str)
@pytest.mark.parametrize("kind", ["f32", "i32", "i8", "bool", "i64"])
def test_axis_reductions_match_keras(oracle, axis, kind):
    x = INPUTS[kind]
    for name in ("sum", "all", "any", "count_nonzero", "prod"):
        oracle.op(name, x, axis=axis)
    for name in ("argmax", "argmin"):
        if not isinstance(axis, tuple):
            oracle.op(name, x, axis=axis, keepdims=True)


@pytest.mark.parametrize(
    "name, args",
    [
        ("clip", (INPUTS["i32"], 0, 2)),
        ("clip", (INPUTS["bool"], 0, 1)),
        ("clip", (INPUTS["f16"], 0.0, 1.0)),
        ("tensordot", (INPUTS["i32"], INPUTS["f32"])),
        ("tensordot", (INPUTS["i32"], INPUTS["i32"], 1)),
        ("tensordot", (INPUTS["f32"], INPUTS["f32"], ([0], [1]))),
        ("tensordot", (INPUTS["f32"], INPUTS["f32"], (0, 1))),
        ("einsum", ("ij,jk->ik", INPUTS["i8"], INPUTS["i8"])),
        ("einsum", ("ij->j", INPUTS["i32"])),
        ("outer", (INPUTS["i32"][0], INPUTS["f32"][0])),
        ("outer", (INPUTS["i32"], INPUTS["i8"])),
        ("full_like", (INPUTS["i32"], 2.5)),
        ("full_like", (INPUTS["f32"], 2, "int8")),
        ("zeros_like", (INPUTS["i32"], "float16")),
        ("tril", (INPUTS["list"],)),
        ("triu", (INPUTS["f32"], 1)),
        ("size", (INPUTS["f32"],)),
        ("round", (np.array([1.234, -2.567], "float32"), 1)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_op_matches_keras(oracle, name, args):
    if backend() == "jax" and name == "size":
        # Keras's JAX size gives an array of shape (1,); cornu gives torch's Python int.
        assert ops.size(*args) == 4
        return
    oracle.op(name, *args)


def test_python_ints_become_int32_like_keras(oracle):
    oracle.op("convert_to_tensor", [[1, 2], [3, 4]])
    oracle.op("convert_to_tensor", [1, 2.5])
    oracle.op("convert_to_tensor", [True, False])
    oracle.op("convert_to_tensor", 7)
    if backend() == "jax":  # no 64-bit ints without x64, as Keras-JAX
        with pytest.raises(ValueError, match="does not fit in int32"):
            ops.convert_to_tensor([2**40])
    else:
        assert ops.convert_to_tensor([2**40]).dtype == ops.convert_to_tensor(np.int64(1)).dtype


def test_argmax_of_booleans_matches_keras(oracle):
    oracle.op("argmax", INPUTS["bool"], axis=1)
    oracle.op("argmin", INPUTS["bool"])


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((0, 1), {"num": 5}),
        ((0, 10), {"num": 4, "endpoint": False}),
        ((0.0, 1.0), {"num": 3, "dtype": "float64"}),
        ((2, 3), {"num": 5, "retstep": True}),
        ((np.array([0.0, 1.0]), np.array([2.0, 5.0])), {"num": 3}),
        ((np.array([0, 1]), np.array([4, 5])), {"num": 4, "endpoint": False}),
    ],
    ids=str,
)
def test_linspace_matches_keras(oracle, args, kwargs):
    # With retstep, Keras's JAX and TF step is a float32 array; cornu gives torch's Python float.
    check_dtype = not (kwargs.get("retstep") and backend() in ("jax", "tensorflow"))
    oracle.op("linspace", *args, **kwargs, atol=1e-6, check_dtype=check_dtype)


@pytest.mark.backends("torch")  # NumPy lays the sequences along any axis, as Keras's NumPy
def test_linspace_axis_is_refused_on_torch():
    with pytest.raises(ValueError, match="only `axis=0`"):
        ops.linspace(0, 1, axis=1)


def test_stack_and_einsum_take_keras_arguments(oracle):
    oracle.op("stack", x=[INPUTS["f32"], INPUTS["f32"]], axis=1)
    oracle.op("einsum", "ij,jk->ik", INPUTS["f32"], INPUTS["f32"], optimize="greedy")
