"""The core ops (scatter, slice, slice_update, unstack, saturate_cast, rearrange) against
keras.ops."""

import numpy as np
import pytest

from cornu import ops

RNG = np.random.default_rng(0)


def test_scatter_adds_duplicates(oracle):
    indices = np.array([[0, 1], [2, 0], [0, 1]])
    values = np.array([1.0, 2.0, 3.0], "float32")
    result = oracle.op("scatter", indices, values, (3, 2))
    np.testing.assert_array_equal(result, [[0, 4], [0, 0], [2, 0]])


def test_scatter_of_slices(oracle):
    indices = np.array([[1], [3]])
    values = RNG.normal(size=(2, 3)).astype("float32")
    oracle.op("scatter", indices, values, (4, 3))
    oracle.op("scatter", np.array([[[0], [2]]]), np.ones((1, 2, 3), "int32"), (4, 3))


def test_scatter_checks_the_index_depth():
    with pytest.raises(ValueError, match="index 3 axes"):
        ops.scatter(np.zeros((1, 3), "int32"), np.ones(1, "float32"), (2, 2))


@pytest.mark.parametrize("as_tensor", [False, True])
def test_slice_and_slice_update(oracle, as_tensor):
    x = RNG.normal(size=(4, 5, 3)).astype("float32")
    start = [1, 2, 0]
    if as_tensor:
        start = ops.convert_to_tensor(np.array(start))
    result = oracle.op("slice", x, start, [2, 3, 3])
    np.testing.assert_array_equal(result, x[1:3, 2:5, :])
    updates = np.full((2, 2, 3), 7.0, "float32")
    result = oracle.op("slice_update", x, start, updates)
    assert np.all(result[1:3, 2:4] == 7.0) and np.array_equal(result[0], x[0])


def test_slice_update_casts_updates_to_the_input_dtype(oracle):
    oracle.op("slice_update", np.zeros((3, 3), "int32"), [1, 1], np.ones((2, 2), "int32"))
    result = ops.slice_update(np.zeros(4, "float32"), [1], np.array([1, 2]))
    assert ops.dtype(result) == "float32"


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_unstack(oracle, axis):
    x = ops.convert_to_tensor(RNG.normal(size=(2, 3, 4)).astype("float32"))  # Keras: tensors only
    parts = oracle.op("unstack", x, axis=axis)
    assert len(parts) == x.shape[axis]


def test_unstack_checks_num():
    with pytest.raises(ValueError, match="num=3"):
        ops.unstack(np.ones((2, 4)), num=3)


@pytest.mark.parametrize(
    "src, dst",
    [
        ("float32", "uint8"),
        ("float32", "int8"),
        ("float64", "float16"),
        ("float32", "bfloat16"),
        ("float16", "int32"),
        ("int64", "int8"),
        ("int32", "uint8"),
        ("uint8", "int8"),
        ("int8", "bool"),
    ],
)
def test_saturate_cast(oracle, src, dst):
    if src.startswith("float"):
        with np.errstate(over="ignore"):  # 1e30 becomes inf in float16, as intended
            x = np.array([-1e30, -300, -1.5, 0, 1.7, 300, 7e4, 1e30, np.inf, -np.inf]).astype(src)
    else:
        x = np.array([-128, -1, 0, 5, 100, 127]).astype(src)
    oracle.op("saturate_cast", x, dst)


def test_saturate_cast_saturates_where_cast_wraps():
    x = np.array([-5.0, 300.0, np.inf], "float32")
    np.testing.assert_array_equal(
        ops.convert_to_numpy(ops.saturate_cast(x, "uint8")), [0, 255, 255]
    )
    # Float to int32: Keras's torch backend returns INT32_MIN here; cornu saturates.
    result = ops.convert_to_numpy(ops.saturate_cast(np.array([1e30], "float64"), "int32"))
    np.testing.assert_array_equal(result, [2**31 - 1])


@pytest.mark.parametrize(
    "pattern, shape, lengths",
    [
        ("b h w c -> b c h w", (2, 3, 4, 5), {}),
        ("b (h w) c -> b h w c", (2, 6, 5), {"h": 2}),
        ("b h w c -> b (h w c)", (2, 3, 4, 5), {}),
        ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", (2, 4, 6, 3), {"h1": 2, "w1": 3}),
    ],
)
def test_rearrange(oracle, pattern, shape, lengths):
    x = RNG.normal(size=shape).astype("float32")
    oracle.op("rearrange", x, pattern, **lengths)


def test_rearrange_checks_the_pattern():
    x = np.zeros((2, 3, 4), "float32")
    with pytest.raises(ValueError, match="names 2 axes but the input has 3"):
        ops.rearrange(x, "a b -> b a")
    with pytest.raises(ValueError, match="same axes on both sides"):
        ops.rearrange(x, "a b c -> a b d")
    with pytest.raises(ValueError, match="'input axes -> output axes'"):
        ops.rearrange(x, "a b c")
