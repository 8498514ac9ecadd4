"""The math ops (segment reductions, cdist, erfc, erfinv, logdet, complex views) against
keras.ops."""

import numpy as np
import pytest
from oracle import skip_where_keras_differs

from cornu import ops
from cornu.core.config import backend

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("name", ["segment_max", "segment_min", "segment_prod"])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_segment_reductions(oracle, keras, name, dtype):
    data = RNG.integers(-5, 6, size=(6, 2)).astype(dtype)
    ids = np.array([0, 0, 2, 2, 2, 3])
    # Without num_segments cornu counts max(ids) + 1 segments, as Keras's torch backend; Keras's
    # JAX backend insists on the argument, so it gets that count.
    for segment_ids, count in ((ids, None), (ids, 5), (np.array([0, -1, 1, 1, 9, 0]), 2)):
        # count=5: segment 4 is empty (the identity); [0, -1, 1, 1, 9, 0]: ids out of range.
        ours = ops.convert_to_numpy(getattr(ops, name)(data, segment_ids, num_segments=count))
        skip_where_keras_differs(name, (data, segment_ids), {"num_segments": count})
        theirs = getattr(keras.ops, name)(data, segment_ids, num_segments=count or 4)
        theirs = np.array(keras.ops.convert_to_numpy(theirs))
        if backend() in ("jax", "tensorflow") and name == "segment_min" and dtype == "int32":
            # An empty integer segment holds torch's lowest int32 on every cornu backend;
            # Keras's JAX and TF backends give the highest there.
            empty = ~np.isin(np.arange(len(theirs)), segment_ids)
            np.testing.assert_array_equal(ours[empty], np.iinfo("int32").min)
            theirs[empty] = ours[empty]
        if backend() == "tensorflow" and name != "segment_prod" and dtype == "float32":
            # An empty float segment holds torch's -inf (max) or inf (min); Keras's TF backend
            # gives the lowest or highest finite float32 there.
            empty = ~np.isin(np.arange(len(theirs)), segment_ids)
            np.testing.assert_array_equal(ours[empty], -np.inf if name == "segment_max" else np.inf)
            theirs[empty] = ours[empty]
        oracle.values(ours, theirs)


def test_segment_max_values():
    result = ops.segment_max(np.array([1.0, 5.0, 3.0], "float32"), np.array([0, 0, 2]))
    np.testing.assert_array_equal(ops.convert_to_numpy(result), [5.0, -np.inf, 3.0])


def test_segment_reductions_check_segment_ids():
    with pytest.raises(ValueError, match="1-D `segment_ids`"):
        ops.segment_max(np.ones((2, 2)), np.zeros((2, 2), "int32"))
    with pytest.raises(ValueError, match="leading dimension"):
        ops.segment_min(np.ones((3, 2)), np.zeros(2, "int32"))


@pytest.mark.parametrize(
    "x_shape, y_shape", [((4, 3), (5, 3)), ((2, 4, 3), (2, 5, 3)), ((2, 4, 3), (5, 3))]
)
def test_cdist(oracle, x_shape, y_shape):
    x = RNG.normal(size=x_shape).astype("float32")
    y = RNG.normal(size=y_shape).astype("float32")
    result = oracle.op("cdist", x, y, atol=1e-5)
    assert result.shape == np.broadcast_shapes(x_shape[:-2], y_shape[:-2]) + (
        x_shape[-2],
        y_shape[-2],
    )


def test_cdist_checks_shapes():
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.cdist(np.ones(3), np.ones((2, 3)))
    with pytest.raises(ValueError, match="same last dimension"):
        ops.cdist(np.ones((2, 3)), np.ones((2, 4)))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_erfc_and_erfinv(oracle, dtype):
    oracle.op("erfc", np.linspace(-3, 3, 13).astype(dtype), atol=1e-6)
    values = np.array([-1, 0, 1]) if dtype == "int32" else np.linspace(-0.99, 0.99, 9)
    oracle.op("erfinv", values.astype(dtype), atol=1e-5)


def test_logdet(oracle):
    a = RNG.normal(size=(2, 3, 3))
    spd = (a @ np.swapaxes(a, -1, -2) + 3 * np.eye(3)).astype("float32")
    oracle.op("logdet", spd, atol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_view_as_complex_and_back(oracle, dtype):
    x = RNG.normal(size=(3, 2)).astype(dtype)
    complex_values = oracle.op("view_as_complex", x)
    assert complex_values.dtype == np.complex64
    oracle.op("view_as_real", complex_values)
    oracle.op("view_as_real", complex_values.astype("complex128"))


def test_complex_views_check_their_input():
    with pytest.raises(ValueError, match="size 2"):
        ops.view_as_complex(np.ones((3, 3), "float32"))
    with pytest.raises(ValueError, match="complex"):
        ops.view_as_real(np.ones(3, "float32"))
