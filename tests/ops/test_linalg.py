"""cornu.ops.linalg against keras.ops.linalg: values, result dtypes, shapes and argument errors."""

import numpy as np
import pytest

import cornu
from cornu import ops

RNG = np.random.default_rng(0)


def _spd(n, batch=(), dtype="float32"):
    a = RNG.normal(size=batch + (n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(dtype)


def _matrix(*shape, dtype="float32"):
    return RNG.normal(size=shape).astype(dtype)


def test_namespace_matches_keras(keras):
    public = [n for n in dir(keras.ops.linalg) if not n.startswith("_")]
    assert [n for n in public if not hasattr(ops.linalg, n)] == []
    # Keras exports every linalg op at the top of keras.ops too.
    assert all(getattr(ops, n) is getattr(ops.linalg, n) for n in public)
    assert cornu.ops.linalg.qr is ops.qr


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(oracle, upper):
    x = _spd(4, batch=(2,))
    oracle.op("linalg.cholesky", x, upper=upper, atol=1e-5)


def test_cholesky_inverse(oracle):
    factor = np.linalg.cholesky(_spd(3)).astype("float32")
    result = oracle.op("linalg.cholesky_inverse", factor, atol=1e-5)
    np.testing.assert_allclose(result, np.linalg.inv(factor @ factor.T), atol=1e-5)
    oracle.op("linalg.cholesky_inverse", factor.T.copy(), upper=True, atol=1e-5)


def test_cholesky_of_a_non_positive_definite_matrix_is_a_value_error():
    with pytest.raises(ValueError, match="Cholesky decomposition failed"):
        ops.linalg.cholesky(-np.eye(3, dtype="float32"))


@pytest.mark.parametrize("name", ["det", "inv"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_det_and_inv(oracle, name, dtype):
    oracle.op(f"linalg.{name}", _spd(3, batch=(2,), dtype=dtype), atol=1e-5, rtol=1e-5)


def test_eig_and_eigh(oracle):
    x = _matrix(3, 3)
    w, v = ops.linalg.eig(x)
    assert ops.dtype(w) == "complex64" and tuple(w.shape) == (3,)
    # A v = v diag(w), checked rather than compared: eigenvectors are defined up to a phase.
    av = ops.convert_to_numpy(ops.matmul(ops.convert_to_tensor(x.astype("complex64")), v))
    np.testing.assert_allclose(av, ops.convert_to_numpy(v) * ops.convert_to_numpy(w), atol=1e-4)
    s = _spd(4)
    theirs = oracle.keras.ops.linalg.eigh(s)
    ours = ops.linalg.eigh(s)
    oracle.values(ours[0], theirs[0], atol=1e-4, rtol=1e-5)
    np.testing.assert_allclose(
        np.abs(ops.convert_to_numpy(ours[1])), np.abs(oracle.numpy(theirs[1])), atol=1e-4
    )


def test_lu_factor_has_zero_based_pivots(oracle):
    x = _matrix(4, 4)
    lu, pivots = oracle.op("linalg.lu_factor", x, atol=1e-5)
    assert pivots.dtype == np.int32 and pivots.min() >= 0


@pytest.mark.parametrize(
    "ord, axis",
    [(None, None), (1, 0), (np.inf, -1), (3, 1), ("fro", None), ("nuc", (0, 1)), (-2, (0, 1))],
)
def test_norm(oracle, ord, axis):
    oracle.op("linalg.norm", _matrix(3, 4), ord=ord, axis=axis, atol=1e-5, rtol=1e-5)


def test_norm_of_integers_is_floatx_and_keepdims_keeps_axes(oracle):
    result = oracle.op("norm", np.arange(12).reshape(3, 4), axis=1, keepdims=True, rtol=1e-6)
    assert result.dtype == np.float32 and result.shape == (3, 1)


def test_norm_rejects_an_unknown_ord():
    with pytest.raises(ValueError, match="ord"):
        ops.linalg.norm(_matrix(3), ord="fro")
    with pytest.raises(ValueError, match="'fro' and 'nuc'"):
        ops.linalg.norm(_matrix(3, 3), ord="max")
    with pytest.raises(ValueError, match="matrix norm"):
        ops.linalg.norm(_matrix(3, 3), ord=3)


@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr(oracle, mode):
    oracle.op("linalg.qr", _matrix(4, 3), mode=mode, atol=1e-5)


@pytest.mark.parametrize("b_shape", [(3,), (3, 2)])
def test_solve(oracle, b_shape):
    oracle.op("linalg.solve", _spd(3), _matrix(*b_shape), atol=1e-5)


@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("b_shape", [(3,), (3, 2)])
def test_solve_triangular(oracle, lower, b_shape):
    a = np.tril(_spd(3)) if lower else np.triu(_spd(3))
    oracle.op("linalg.solve_triangular", a, _matrix(*b_shape), lower=lower, atol=1e-5)


def test_solve_checks_shapes():
    with pytest.raises(ValueError, match="square"):
        ops.linalg.solve(_matrix(3, 2), _matrix(3))
    with pytest.raises(ValueError, match=r"a.shape\[-2\] == b.shape\[-2\]"):
        ops.linalg.solve(_spd(3), _matrix(4, 2))
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.linalg.inv(_matrix(3))


def test_svd(oracle):
    x = _matrix(4, 3)
    oracle.op("linalg.svd", x, compute_uv=False, atol=1e-5)
    for full in (True, False):
        u, s, vh = ops.linalg.svd(x, full_matrices=full)
        expected = [(4, 4), (3,), (3, 3)] if full else [(4, 3), (3,), (3, 3)]
        assert [tuple(t.shape) for t in (u, s, vh)] == expected
        u, s, vh = (ops.convert_to_numpy(t) for t in (u, s, vh))
        np.testing.assert_allclose((u[:, :3] * s) @ vh, x, atol=1e-5)


@pytest.mark.parametrize("rcond", [None, 1e-3])
@pytest.mark.parametrize("b_shape", [(5,), (5, 2)])
def test_lstsq(oracle, rcond, b_shape):
    oracle.op("linalg.lstsq", _matrix(5, 3), _matrix(*b_shape), rcond=rcond, atol=1e-5)


def test_lstsq_checks_shapes():
    with pytest.raises(ValueError, match=r"a.shape\[0\] == b.shape\[0\]"):
        ops.linalg.lstsq(_matrix(5, 3), _matrix(4))


def test_matrix_rank_and_pinv(oracle):
    low_rank = np.outer(np.arange(1.0, 5.0), np.arange(1.0, 4.0)).astype("float32")
    assert oracle.op("linalg.matrix_rank", low_rank) == 1
    oracle.op("linalg.matrix_rank", _matrix(4, 3), tol=0.5)
    oracle.op("linalg.pinv", low_rank, atol=1e-5)
    oracle.op("linalg.pinv", _matrix(4, 3), rcond=1e-2, atol=1e-5)


@pytest.mark.requires_training  # forward-mode differentiation
def test_jvp(oracle):
    def fun(x, y):
        return ops.sin(x) * y

    x, y = np.float32(0.3), np.float32(2.0)
    out, tangent = ops.linalg.jvp(fun, (x, y), (np.float32(1.0), np.float32(0.0)))
    np.testing.assert_allclose(ops.convert_to_numpy(tangent), np.cos(0.3) * 2.0, rtol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(out), np.sin(0.3) * 2.0, rtol=1e-6)

    def with_aux(x):
        return ops.square(x), ops.sum(x)

    out, tangent, aux = ops.linalg.jvp(
        with_aux, (np.ones(3, "float32"),), (np.ones(3, "float32"),), has_aux=True
    )
    np.testing.assert_allclose(ops.convert_to_numpy(tangent), 2.0 * np.ones(3))
    assert float(ops.convert_to_numpy(aux)) == 3.0


@pytest.mark.requires_training  # jvp differentiates; inference backends refuse it first
def test_jvp_checks_its_arguments():
    with pytest.raises(TypeError, match="callable"):
        ops.linalg.jvp(None, (1.0,), (1.0,))
    with pytest.raises(ValueError, match="as many `tangents`"):
        ops.linalg.jvp(ops.sin, (np.float32(1.0),), ())
