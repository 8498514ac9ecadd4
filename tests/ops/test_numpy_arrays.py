"""Array ops (creation, stacking and splitting, reordering, indexing, windows, products,
vectorize) against keras.ops on its torch backend: values, result dtypes and errors."""

import numpy as np
import pytest
from oracle import skip_where_keras_differs

from cornu import ops
from cornu.core.config import backend

F32 = np.arange(12, dtype="float32").reshape(3, 4) / 4 - 1
I32 = np.array([[3, -2, 0, 1], [7, 5, -4, 2], [1, 1, 9, 0]], dtype="int32")
I64 = I32.astype("int64")
B = I32 > 1
CUBE = np.arange(24, dtype="float32").reshape(2, 3, 4)


@pytest.mark.parametrize(
    "name, args, kwargs",
    [
        ("array", ([1, 2, 3],), {}),
        ("array", ([1.5, 2],), {}),
        ("array", ([[True, False]],), {}),
        ("array", (I32,), {"dtype": "float16"}),
        ("ndim", (CUBE,), {}),
        ("ravel", (I32,), {}),
        ("append", (F32, I32), {}),
        ("append", (F32, F32[:1]), {"axis": 0}),
        ("hstack", ([F32, I32],), {}),
        ("vstack", ([F32, I32[:1]],), {}),
        ("vstack", ([np.arange(3), np.arange(3)],), {}),
        ("dstack", ([F32, F32],), {}),
        ("array_split", (np.arange(10),), {"indices_or_sections": 3}),
        ("array_split", (F32, 3), {"axis": 1}),
        ("hsplit", (F32, 2), {}),
        ("hsplit", (F32, [1, 3]), {}),
        ("vsplit", (F32, 3), {}),
        ("dsplit", (CUBE, 2), {}),
        ("fliplr", (F32,), {}),
        ("flipud", (I32,), {}),
        ("roll", (I32, 2), {}),
        ("roll", (I32, -1), {"axis": 1}),
        ("roll", (CUBE, (1, 2)), {"axis": (0, 2)}),
        ("rot90", (I32,), {}),
        ("rot90", (CUBE,), {"k": 3, "axes": (1, 2)}),
        ("rot90", (CUBE,), {"k": -1, "axes": (-1, 0)}),
        ("diff", (F32,), {}),
        ("diff", (I32,), {"n": 2, "axis": 0}),
        ("diagflat", (I32[:2, :2],), {}),
        ("diagflat", (np.array([1.0, 2.0]),), {"k": -1}),
        ("view", (F32,), {"dtype": "int32"}),
        ("view", (I32,), {"dtype": "uint8"}),
        ("view", (I32,), {}),
        ("get_item", (CUBE, (1, slice(0, 2))), {}),
        ("get_item", (I32, 2), {}),
        ("get_item", (CUBE, (Ellipsis, None, 1)), {}),
        ("nonzero", (I32,), {}),
        ("nonzero", (B[0],), {}),
        ("meshgrid", (np.arange(3.0), np.arange(2.0)), {}),
        ("meshgrid", (np.arange(3), np.arange(2)), {"indexing": "ij"}),
        ("tri", (3,), {}),
        ("tri", (3, 4), {"k": 1, "dtype": "int32"}),
        ("logspace", (0, 2), {"num": 5}),
        ("logspace", (0.0, 3.0), {"num": 4, "endpoint": False, "base": 2}),
        ("logspace", (np.array([0.0, 1.0]), np.array([2.0, 3.0])), {"num": 3}),
        ("geomspace", (1, 1000), {"num": 4}),
        ("geomspace", (1.0, 16.0), {"num": 4, "endpoint": False}),
        ("geomspace", (-1.0, -100.0), {"num": 3, "dtype": "float64"}),
        ("searchsorted", (np.array([1.0, 2.0, 3.0]), np.array([0.5, 2.0, 9.0])), {}),
        ("searchsorted", (np.array([1, 2, 2, 3]), np.array([2, 3])), {"side": "right"}),
        ("digitize", (F32, np.array([-0.5, 0.0, 0.5])), {}),
        ("digitize", (I32, np.array([0, 2, 4])), {}),
        ("digitize", (B, np.array([0.5])), {}),
        ("unravel_index", (np.array([1, 5, 11]), (3, 4)), {}),
        ("unravel_index", (np.array([1, 5, 11], "int32"), (2, 2, 3)), {}),
        ("unravel_index", (7, (3, 4)), {}),
        ("argpartition", (np.array([3.0, 1.0, 2.0, 0.5]), 1), {}),
        ("argpartition", (I32, 2), {}),
        ("argpartition", (I32, 1), {"axis": 0}),
        ("kron", (I32[:2, :2], F32[:2, :2]), {}),
        ("kron", (np.array([1, 2]), np.array([1, 10, 100])), {}),
        ("inner", (F32, F32), {}),
        ("inner", (I32, I32), {}),
        ("vdot", (F32[0], F32[1]), {}),
        ("vdot", (I32[0], I64[2]), {}),
        ("cross", (F32[:, :3], F32[::-1, 1:]), {}),
        ("cross", (I32[:, :3], I32[:, 1:]), {"axis": 1}),
        ("correlate", (np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])), {}),
        ("correlate", (np.arange(6.0), np.array([0.0, 1.0, 0.5])), {}),
        ("correlate", (np.array([1, 2, 3, 4], "int32"), np.array([1, -1], "int32")), {}),
        ("correlate", (np.arange(5.0), np.array([1.0, 2.0])), {"mode": "same"}),
        ("correlate", (np.arange(5, dtype="int64"), np.array([1, 2, 0])), {"mode": "full"}),
        ("vander", (np.array([1, 2, 3]),), {}),
        ("vander", (np.array([1.0, 2.0, 3.0]),), {"N": 2, "increasing": True}),
        ("slogdet", (np.array([[2.0, 1.0], [1.0, 3.0]], "float32"),), {}),
        ("slogdet", (np.array([[[0.0, 1.0], [1.0, 0.0]]]),), {}),
        ("select", ([B, ~B], [F32, F32 * 2]), {}),
        ("select", ([I32 > 2], [I32]), {"default": -1}),
        ("bartlett", (5,), {}),
        ("blackman", (6,), {}),
        ("hamming", (5,), {}),
        ("hanning", (4,), {}),
        ("kaiser", (5,), {"beta": 14.0}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_array_op_matches_keras(oracle, name, args, kwargs):
    # Where Keras on jax or tensorflow differs from Keras on torch (tests/keras_differences.py),
    # oracle.op compares with torch's known result or skips the case, naming the difference.
    oracle.op(name, *args, **kwargs, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_counts": True},
        {"return_inverse": True},
        {"return_index": True},
        {"return_index": True, "return_inverse": True, "return_counts": True},
        {"size": 6, "fill_value": -1},
        {"size": 2, "return_counts": True, "return_index": True},
        {"size": 7, "return_counts": True, "return_index": True},
    ],
    ids=str,
)
def test_unique_matches_keras(oracle, kwargs):
    _unique(oracle, np.array([3, 1, 3, 2, 1, 5], "int32"), **kwargs)


def _unique(oracle, x, **kwargs):
    """cornu's unique against Keras's. With ``size`` and no ``fill_value``, Keras-torch (and
    cornu) pad the values with 0, while Keras-JAX pads with the smallest value (jnp.unique's
    default): on jax, Keras is given the 0 explicitly; cornu always gets the call as written."""
    ours = ops.unique(x, **kwargs)
    to_torch = skip_where_keras_differs("unique", (x,), kwargs)
    if backend() == "jax" and kwargs.get("size") is not None and "fill_value" not in kwargs:
        kwargs = {**kwargs, "fill_value": 0}
    theirs = oracle.keras.ops.unique(x, **kwargs)
    oracle.values(ours, to_torch(oracle.numpy(theirs)) if to_torch else theirs)


def test_unique_rows_match_keras(oracle):
    x = np.array([[1, 2], [0, 1], [1, 2]], "int32")
    _unique(oracle, x, axis=0)
    _unique(oracle, x, axis=0, return_counts=True, size=3)


def test_empty_has_the_right_shape_and_dtype(keras):
    for ours, theirs in [
        (ops.empty((2, 3)), keras.ops.empty((2, 3))),
        (ops.empty((4,), dtype="int32"), keras.ops.empty((4,), dtype="int32")),
        (ops.empty_like(I32), keras.ops.empty_like(I32)),
        (ops.empty_like(I32, dtype="float16"), keras.ops.empty_like(I32, dtype="float16")),
    ]:
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ops.convert_to_numpy(ours).dtype) == str(
            keras.ops.convert_to_numpy(theirs).dtype
        )


def test_get_item_takes_a_list_key_as_a_tuple():
    out = ops.get_item(CUBE, [Ellipsis, None, 1])
    np.testing.assert_array_equal(ops.convert_to_numpy(out), CUBE[..., None, 1])


def test_meshgrid_promotes_mixed_dtypes():
    xs, ys = ops.meshgrid(np.arange(3, dtype="int32"), np.arange(2.0, dtype="float32"))
    assert ops.dtype(xs) == ops.dtype(ys) == "float32"
    np.testing.assert_array_equal(ops.convert_to_numpy(xs), np.meshgrid(np.arange(3), [0, 1])[0])


def test_vdot_flattens_as_numpy():
    out = ops.convert_to_numpy(ops.vdot(F32, F32 + 1))
    np.testing.assert_allclose(out, np.vdot(F32, F32 + 1), rtol=1e-6)


def test_vectorize_matches_keras(oracle, keras):
    def clipped_sum(a, b):
        return ops.minimum(a + b, 3.0)

    def keras_clipped_sum(a, b):
        return keras.ops.minimum(a + b, 3.0)

    x, y = F32, np.float32(1.5) * np.ones(4, "float32")
    ours = ops.vectorize(clipped_sum)(x, y)
    np.testing.assert_array_equal(ops.convert_to_numpy(ours), np.minimum(x + y, 3.0))
    skip_where_keras_differs("vectorize")
    oracle.values(ours, keras.ops.vectorize(keras_clipped_sum)(x, y))


def test_vectorize_with_a_signature():
    def dot(a, b):
        return ops.sum(a * b)

    out = ops.vectorize(dot, signature="(n),(n)->()")(F32, F32[0])
    np.testing.assert_allclose(ops.convert_to_numpy(out), F32 @ F32[0], rtol=1e-6)


def test_vectorize_needs_a_callable():
    with pytest.raises(ValueError, match="`pyfunc` to be a callable"):
        ops.vectorize(3)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: ops.array_split(F32, [1, 2]), TypeError, "must be of type `int`"),
        (lambda: ops.array_split(F32, 0), ValueError, "must be a positive integer"),
        (lambda: ops.array_split(F32, 2, axis=None), TypeError, "`axis` must be of type `int`"),
        (lambda: ops.rot90(np.arange(3)), ValueError, "at least 2 dimensions"),
        (lambda: ops.rot90(F32, axes=(1, 1)), ValueError, "two different dimensions"),
        (lambda: ops.rot90(F32, axes=(0, 5)), ValueError, "invalid axes"),
        (lambda: ops.fliplr(np.arange(3)), ValueError, "2 or more dimensions"),
        (lambda: ops.searchsorted(F32, F32), ValueError, "only supports 1-D sorted"),
        (lambda: ops.select(B, [F32]), ValueError, "must be lists"),
        (lambda: ops.select([], []), ValueError, "must not be empty"),
        (lambda: ops.vander(F32), ValueError, "must be 1-dimensional"),
        (lambda: ops.vander(np.arange(3), N=2.0), TypeError, "`N` must be of type `int`"),
        (lambda: ops.vander(np.arange(3), N=-1), ValueError, "must be nonnegative"),
        (lambda: ops.vander(np.arange(3), increasing=1), TypeError, "`increasing`"),
        (lambda: ops.meshgrid(np.arange(2), indexing="xz"), ValueError, "'xy' and 'ij'"),
        # torch's own limits (Keras on NumPy lays sequences along any axis and takes axisa):
        pytest.param(
            lambda: ops.logspace(0, 1, axis=1),
            ValueError,
            "only `axis=0`",
            marks=pytest.mark.backends("torch"),
        ),
        pytest.param(
            lambda: ops.geomspace(1, 2, axis=1),
            ValueError,
            "only `axis=0`",
            marks=pytest.mark.backends("torch"),
        ),
        pytest.param(
            lambda: ops.cross(F32, F32, axisa=0),
            ValueError,
            "does not support `axisa`",
            marks=pytest.mark.backends("torch"),
        ),
        (lambda: ops.correlate(F32[0], F32[0], mode="circular"), ValueError, "`mode` must be"),
        (lambda: ops.digitize(F32, F32), ValueError, "`bins` must be a 1D array"),
        (lambda: ops.argpartition(F32, 1.5), ValueError, "kth must be an integer"),
    ],
)
def test_bad_arguments_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()
