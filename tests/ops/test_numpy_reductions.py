"""Reductions and statistics (arg-reductions, cumulative, NaN-ignoring, quantiles, averages,
histograms) against keras.ops on its torch backend: values, result dtypes and errors."""

import numpy as np
import pytest

from cornu import ops

F32 = np.array([[0.5, -0.25, 0.75, 2.0], [-0.9, 0.1, 0.0, 0.3], [1.0, 4.0, -2.0, 0.2]], "float32")
NAN = F32.copy()
NAN[0, 1] = NAN[2, 3] = np.nan
NAN[:, 2] = np.nan  # a column that is all NaN
I32 = np.array([[3, -2, 0, 1], [7, 5, -4, 2], [1, 1, 9, 0]], dtype="int32")
I8 = I32.astype("int8")
U8 = np.abs(I32).astype("uint8")
B = I32 > 1
F16 = F32.astype("float16")

AXES = [None, 0, 1, -1, (0, 1)]
REDUCTIONS = {
    "amax": [F32, I32, B],
    "amin": [F32, I8],
    "ptp": [F32, I32],
    "nanmax": [NAN, I32],
    "nanmin": [NAN, I32],
    "nansum": [NAN, I32, I8, B, U8],
    "nanprod": [NAN, I32, I8],
    "nanmean": [NAN, I32],
    "nanvar": [NAN, I32],
    "nanstd": [NAN, F32],
    "median": [F32, I32],
    "nanmedian": [NAN, I32],
}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize(
    "name, x",
    [(name, x) for name, inputs in REDUCTIONS.items() for x in inputs],
    ids=lambda v: v if isinstance(v, str) else str(v.dtype),
)
def test_reduction_matches_keras(oracle, name, x, axis, keepdims):
    oracle.op(name, x, axis=axis, keepdims=keepdims, atol=1e-5, rtol=1e-5)


ARG = {"argmax": [F32, I32, B], "argmin": [F32, U8, B], "nanargmax": [NAN, I32], "nanargmin": [NAN]}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, 1, -1], ids=str)
@pytest.mark.parametrize(
    "name, x",
    [(name, x) for name, inputs in ARG.items() for x in inputs],
    ids=lambda v: v if isinstance(v, str) else str(v.dtype),
)
def test_arg_reductions_give_int32(oracle, name, x, axis, keepdims):
    out = oracle.op(name, x, axis=axis, keepdims=keepdims)
    assert out.dtype == np.int32


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "nancumsum", "nancumprod"])
@pytest.mark.parametrize("x", [F32, NAN, I32, I8, B, F16], ids=lambda x: str(x.dtype))
@pytest.mark.parametrize("axis, dtype", [(None, None), (0, None), (1, None), (1, "float32")])
def test_cumulative_matches_keras(oracle, name, x, axis, dtype):
    if name.startswith("cum") and x is NAN:
        pytest.skip("NaN inputs are for the nan- variants")
    oracle.op(name, x, axis=axis, dtype=dtype, atol=1e-2 if x.dtype == np.float16 else 1e-5)


@pytest.mark.parametrize("x", [F32, I32, I8, U8, B], ids=lambda x: str(x.dtype))
@pytest.mark.parametrize("axis", [None, 0, (0, 1), -1], ids=str)
def test_prod_matches_keras(oracle, x, axis):
    oracle.op("prod", x, axis=axis)


@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
@pytest.mark.parametrize("q", [0.25, [0.1, 0.5, 0.9]], ids=str)
@pytest.mark.parametrize("axis", [None, 1, (0, 1)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("method", ["linear", "nearest", "midpoint"])
def test_quantiles_match_keras(oracle, name, q, axis, keepdims, method):
    x = NAN if name.startswith("nan") else F32
    if "percentile" in name:
        q = np.asarray(q, "float32") * 100
    oracle.op(name, x, q, axis=axis, keepdims=keepdims, method=method, atol=1e-5)


@pytest.mark.parametrize("x", [I32, np.arange(24, dtype="int64").reshape(2, 3, 4)], ids=str)
def test_quantile_of_integers_matches_keras(oracle, x):
    oracle.op("quantile", x, 0.3, axis=-1)
    oracle.op("median", x)


def test_average_matches_keras(oracle):
    oracle.op("average", F32)
    oracle.op("average", I32, axis=1)
    oracle.op("average", F32, axis=1, weights=np.array([1.0, 2.0, 0.5, 1.5], "float32"))
    oracle.op("average", F32, axis=-1, weights=F32 + 3)
    oracle.op("average", F32[0], weights=np.array([1, 2, 3, 4], "int32"))


def test_average_weights_along_any_axis_as_numpy():
    # Keras on torch fails (or returns a vector) here; cornu gives NumPy's answer.
    w = np.array([1.0, 2.0, 3.0], "float32")
    np.testing.assert_allclose(ops.average(F32, axis=0, weights=w), np.average(F32, 0, w), 1e-6)
    w2 = F32 + 3
    np.testing.assert_allclose(ops.average(F32, weights=w2), np.average(F32, weights=w2), 1e-6)
    np.testing.assert_allclose(ops.average(F32, axis=0, weights=w2), np.average(F32, 0, w2), 1e-6)


def test_average_checks_the_weights_shape():
    with pytest.raises(ValueError, match="average: `weights` must have the shape of `x`"):
        ops.average(F32, axis=0, weights=np.ones(4, "float32"))


def test_bincount_matches_keras(oracle):
    x = np.array([0, 1, 1, 3, 2, 1], dtype="int32")
    oracle.op("bincount", x)
    oracle.op("bincount", x, minlength=6)
    oracle.op("bincount", x, weights=np.linspace(0, 1, 6).astype("float32"))
    oracle.op("bincount", np.array([[0, 1, 1], [2, 2, 3]], "int64"), minlength=4)
    w = np.array([[0.5, 1.0, 2.0], [1.0, 1.0, 3.0]], "float32")
    oracle.op("bincount", np.array([[0, 1, 1], [2, 2, 0]], "int32"), weights=w, minlength=3)


def test_bincount_rows_of_different_ranges():
    # Keras on torch cannot stack rows of different lengths; cornu counts up to the largest.
    out = ops.convert_to_numpy(ops.bincount(np.array([[0, 1], [2, 2]], "int32")))
    np.testing.assert_array_equal(out, [[1, 1, 0], [0, 0, 2]])
    assert out.dtype == np.int32


def test_bincount_refuses_sparse():
    with pytest.raises(ValueError, match="sparse=True"):
        ops.bincount(np.array([0, 1]), sparse=True)


def test_histogram_matches_keras(oracle):
    x = np.array([0.1, 0.4, 0.45, 0.9, 0.3, 1.0], dtype="float32")
    oracle.op("histogram", x)
    oracle.op("histogram", x, bins=3, range=(0.0, 0.5))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"bins": 2.5}, TypeError, "`bins` must be of type `int`"),
        ({"bins": -1}, ValueError, "non-negative integer"),
        ({"range": [0, 1]}, ValueError, "tuple of two elements"),
        ({"range": (1.0, 0.0)}, ValueError, "greater than the first"),
    ],
)
def test_histogram_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        ops.histogram(np.array([0.1, 0.2], "float32"), **kwargs)


def test_histogram_needs_1d_input():
    with pytest.raises(ValueError, match="must be 1-dimensional"):
        ops.histogram(F32)


@pytest.mark.parametrize("x", [F32, I32, I8, B, np.arange(24, dtype="int64").reshape(2, 3, 4)])
def test_trace_matches_keras(oracle, x):
    oracle.op("trace", x)
    oracle.op("trace", x, offset=1)


def test_trace_axes_match_keras(oracle):
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    oracle.op("trace", x, offset=-1, axis1=1, axis2=2)


@pytest.mark.parametrize("y", [F32, I32, B], ids=lambda x: str(x.dtype))
def test_trapezoid_matches_keras(oracle, y):
    oracle.op("trapezoid", y)
    oracle.op("trapezoid", y, dx=0.5, axis=0)
    oracle.op("trapezoid", y, x=np.array([0.0, 1.0, 3.0, 4.0], "float32"))


@pytest.mark.parametrize("x", [F32, I32, I64 := I32.astype("int64"), B], ids=str)
def test_corrcoef_matches_keras(oracle, x):
    oracle.op("corrcoef", x, atol=1e-5)
