"""Binary operations with Python numbers, NumPy arrays and mixed dtypes: Keras's dtypes and
values (torch backend), and Keras's ``result_type`` / ``standardize_dtype``."""

import numpy as np
import pytest
import torch

import cornu
from cornu import ops
from cornu.core.dtypes import result_type, standardize_dtype

pytestmark = pytest.mark.backends("torch")  # torch tensors and torch's promotion

OPS = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "power",
    "maximum",
    "minimum",
    "equal",
    "not_equal",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "logical_and",
    "logical_or",
    "matmul",
    "where",
]

# Operands by name; each is made fresh for every call (``variable`` takes the library).
_OPERANDS = {
    "f32": lambda lib: torch.tensor([[1.5, -2.0], [3.0, 0.5]]),
    "f16": lambda lib: torch.tensor([[1.5, -2.0], [3.0, 0.5]], dtype=torch.float16),
    "f64": lambda lib: torch.tensor([[1.5, -2.0], [3.0, 0.5]], dtype=torch.float64),
    "i32": lambda lib: torch.tensor([[1, -2], [3, 4]], dtype=torch.int32),
    "i64": lambda lib: torch.tensor([[1, -2], [3, 4]]),
    "u8": lambda lib: torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8),
    "bool": lambda lib: torch.tensor([[True, False], [True, True]]),
    "f16_0d": lambda lib: torch.tensor(1.5, dtype=torch.float16),
    "variable": lambda lib: lib.Variable(np.array([[1.0, 2.0], [0.5, -1.0]], "float32")),
    "py_float": lambda lib: 0.5,
    "py_int": lambda lib: 2,
    "py_bool": lambda lib: True,
    "big_int": lambda lib: 2**40,
    "np_f64": lambda lib: np.array([[0.5, 1.0], [2.0, -1.0]]),
    "np_f32": lambda lib: np.array([[0.5, 1.0], [2.0, -1.0]], "float32"),
    "np_i64": lambda lib: np.array([[1, 2], [3, 4]]),
    "np_float64_scalar": lambda lib: np.float64(0.5),
    "np_float32_scalar": lambda lib: np.float32(0.25),
    "list_int": lambda lib: [[1, 2], [3, 4]],
    "list_mixed": lambda lib: [[1, 2.5], [3, 4]],
}
_PAIRS = [
    ("f32", "py_float"),
    ("py_float", "f32"),
    ("f16", "py_float"),
    ("i32", "py_float"),
    ("py_float", "i64"),
    ("u8", "py_int"),
    ("bool", "py_int"),
    ("py_int", "bool"),
    ("bool", "py_float"),
    ("i32", "py_bool"),
    ("f32", "np_f64"),
    ("np_f32", "f32"),
    ("i32", "np_i64"),
    ("f16", "np_f64"),
    ("f32", "np_float64_scalar"),
    ("i64", "np_float32_scalar"),
    ("f16_0d", "py_float"),
    ("i64", "i64"),
    ("i32", "i64"),
    ("f64", "f64"),
    ("f16", "f32"),
    ("u8", "bool"),
    ("variable", "py_float"),
    ("py_float", "variable"),
    ("variable", "np_f32"),
    ("i32", "big_int"),
    ("py_int", "py_int"),
    ("py_float", "py_int"),
    ("list_int", "py_float"),
    ("list_mixed", "i32"),
]
_CONDITION = np.array([[True, False], [False, True]])


def _run(lib, name, a, b):
    x1, x2 = _OPERANDS[a](lib), _OPERANDS[b](lib)
    try:
        if name == "where":
            out = lib.ops.where(_CONDITION, x1, x2)
        else:
            out = getattr(lib.ops, name)(x1, x2)
    except Exception as e:  # noqa: BLE001 - Keras's failures are part of what is compared
        return f"error: {type(e).__name__}", None
    dtype = str(out.dtype).replace("torch.", "")
    return dtype, out.detach().cpu().double().numpy()


@pytest.mark.parametrize("name", OPS)
def test_binary_op_dtypes_and_values_match_keras(keras, name):
    for a, b in _PAIRS:
        expected_dtype, expected = _run(keras, name, a, b)
        dtype, value = _run(cornu, name, a, b)
        if expected_dtype.startswith("error") and dtype.startswith("error"):
            continue
        assert dtype == expected_dtype, f"{name}({a}, {b})"
        np.testing.assert_allclose(
            value, expected, rtol=1e-6, atol=1e-7, err_msg=f"{name}({a}, {b})"
        )


def test_maximum_and_minimum_take_a_python_number():
    x = torch.tensor([0.0, 2.0, -3.0])
    out = ops.maximum(x, 1e-7)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [1e-7, 2.0, 1e-7])
    np.testing.assert_allclose(ops.minimum(1.0, x).numpy(), [0.0, 1.0, -3.0])
    np.testing.assert_allclose(ops.maximum(np.array([1.0, 1.0, 1.0]), x).numpy(), [1, 2, 1])


def test_add_takes_a_numpy_second_argument():
    x = torch.ones((2, 2))
    out = ops.add(x, np.array([1.0, 2.0], "float32"))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [[2.0, 3.0], [2.0, 3.0]])


def test_int_tensor_with_python_float_becomes_floatx(keras):
    x = torch.tensor([1, 2], dtype=torch.int32)
    assert ops.add(torch.ones(2), 0.5).dtype == torch.float32
    try:
        cornu.backend.set_floatx("float64")
        keras.config.set_floatx("float64")
        for name in ("add", "multiply", "subtract", "maximum"):
            expected = getattr(keras.ops, name)(x, 0.5)
            out = getattr(ops, name)(x, 0.5)
            assert out.dtype == expected.dtype, name
            np.testing.assert_allclose(out.numpy(), expected.numpy())
        assert ops.add(x, 0.5).dtype == torch.float64
        # Keras's result_type (used by maximum) narrows the 64-bit result back to 32 bits.
        assert ops.maximum(x, 0.5).dtype == torch.float32
    finally:
        cornu.backend.set_floatx("float32")
        keras.config.set_floatx("float32")


def test_maximum_gradient_at_ties_matches_keras(keras):
    def grad(lib):
        x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
        lib.ops.sum(lib.ops.maximum(x, 0.0)).backward()
        return x.grad.numpy()

    np.testing.assert_allclose(grad(cornu), grad(keras))


def test_where_with_condition_alone_gives_stacked_indices(keras):
    condition = np.array([[True, False], [True, True]])
    expected = keras.ops.where(condition)
    out = ops.where(condition)
    assert out.shape == expected.shape == (2, 3)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_where_with_one_branch_missing_raises():
    with pytest.raises(ValueError, match="`x1` and `x2` either both should be `None`"):
        ops.where(np.array([True]), 1.0)


def test_matmul_promotion(keras):
    a = np.arange(6).reshape(2, 3)
    for x1, x2 in [
        (torch.tensor(a), torch.tensor(a.T)),
        (torch.tensor(a, dtype=torch.int8), torch.tensor(a.T, dtype=torch.int8)),
        (torch.tensor(a, dtype=torch.float16), torch.tensor(a.T, dtype=torch.float16)),
        (torch.tensor(a, dtype=torch.float64), torch.tensor(a.T, dtype=torch.float32)),
        (torch.tensor(a, dtype=torch.bool), torch.tensor(a.T, dtype=torch.bool)),
    ]:
        expected = keras.ops.matmul(x1, x2)
        out = ops.matmul(x1, x2)
        assert out.dtype == expected.dtype, (x1.dtype, x2.dtype)
        np.testing.assert_allclose(out.double().numpy(), expected.double().numpy())


_DTYPES = [
    "bool",
    "uint8",
    "uint16",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "float16",
    "float32",
    "float64",
    int,
    float,
    bool,
    None,
]


def test_result_type_matches_keras(keras):
    from keras.src.backend.common import dtypes as keras_dtypes

    for a in _DTYPES:
        for b in _DTYPES:
            assert result_type(a, b) == keras_dtypes.result_type(a, b), (a, b)
    for args in [(), (int,), (float,), ("int8", "uint8", float), (int, float, "float16")]:
        assert result_type(*args) == keras_dtypes.result_type(*args), args


def test_result_type_error_for_dtypes_without_promotion_path():
    with pytest.raises(ValueError, match="Invalid dtype"):
        result_type("float32", "not_a_dtype")


def test_standardize_dtype_matches_keras(keras):
    from keras.src.backend.common.variables import standardize_dtype as keras_standardize

    for dtype in ["int", int, float, bool, "int32", np.int64, np.dtype("float16"), torch.int8]:
        assert standardize_dtype(dtype) == keras_standardize(dtype), dtype
    assert standardize_dtype("int") == "int32"
    assert cornu.backend.standardize_dtype(int) == "int32"


@pytest.mark.parametrize(
    "dtypes",
    [
        ("int32", "float32"),
        ("int8", "uint8"),
        ("float16", "bfloat16"),
        (int, "int8"),
        (float, "int32"),
    ],
)
def test_backend_result_type_is_public_and_matches_keras(keras, dtypes):
    assert cornu.backend.result_type(*dtypes) == keras.backend.result_type(*dtypes)
