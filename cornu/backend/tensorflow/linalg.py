"""Linear algebra on TensorFlow tensors, with the names, arguments and checks of
``keras.ops.linalg`` and the results of cornu on torch."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor, to_tf_dtype
from cornu.backend.tensorflow.math import qr  # noqa: F401  (keras.ops.linalg.qr is the same op)
from cornu.core.config import floatx


def _as_float(x):
    if x.dtype.is_floating or x.dtype.is_complex:
        return x
    return tf.cast(x, to_tf_dtype(floatx()))


def _matrix(x, op, square=True):
    """``x`` as a float tensor of rank >= 2 (square in its last two axes when ``square``)."""
    x = convert_to_tensor(x)
    if x.shape.rank < 2:
        raise ValueError(
            f"`{op}` expects an input of rank >= 2 (a matrix or a batch of them). "
            f"Received: input with shape {tuple(x.shape)}"
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"`{op}` expects a square matrix in the last two axes. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return _as_float(x)


def _system(a, b, op):
    """``a`` (square matrices) and ``b`` (right-hand sides) checked for compatible shapes."""
    a = _matrix(a, op)
    b = convert_to_tensor(b)
    if b.shape.rank < 1:
        raise ValueError(f"`{op}` expects `b` of rank >= 1. Received: b with shape ()")
    if b.shape.rank == a.shape.rank and a.shape[-2] != b.shape[-2]:
        raise ValueError(
            f"`{op}` expects `a.shape[-2] == b.shape[-2]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    if b.shape.rank == a.shape.rank - 1 and a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"`{op}` expects `a.shape[-1] == b.shape[-1]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    if a.dtype != b.dtype:
        wide = tf.float64 if tf.float64 in (a.dtype, b.dtype) else a.dtype
        a, b = tf.cast(a, wide), tf.cast(b, wide)
    return a, b


def _broadcast_batch(a, b):
    """``a`` and ``b`` (matrices) with their batch axes broadcast to one shape."""
    batch = tf.broadcast_dynamic_shape(tf.shape(a)[:-2], tf.shape(b)[:-2])
    a = tf.broadcast_to(a, tf.concat([batch, tf.shape(a)[-2:]], 0))
    b = tf.broadcast_to(b, tf.concat([batch, tf.shape(b)[-2:]], 0))
    return a, b


def cholesky(x, upper=False):
    """The Cholesky factor ``L`` (``L @ L.T == x``; ``U`` with ``upper=True``) of a symmetric
    positive-definite ``x`` of shape ``(..., M, M)``."""
    x = _matrix(x, "cholesky")
    try:
        lower = tf.linalg.cholesky(x)
    except tf.errors.InvalidArgumentError as e:
        raise ValueError(f"Cholesky decomposition failed: {e.message}") from e
    if tf.executing_eagerly() and bool(tf.reduce_any(tf.math.is_nan(lower))):
        raise ValueError(
            "Cholesky decomposition failed: the input is not positive-definite. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return tf.linalg.adjoint(lower) if upper else lower


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (lower, or upper with ``upper``)."""
    x = _matrix(x, "cholesky_inverse")
    factor = tf.linalg.adjoint(x) if upper else x
    eye = tf.eye(tf.shape(x)[-1], batch_shape=tf.shape(x)[:-2], dtype=x.dtype)
    return tf.linalg.cholesky_solve(factor, eye)


def det(x):
    """The determinant of each square matrix in ``x`` (shape ``(..., M, M)`` -> ``(...)``)."""
    return tf.linalg.det(_matrix(x, "det"))


def eig(x):
    """Eigenvalues and (right) eigenvectors of square matrices, as complex tensors."""
    w, v = tf.linalg.eig(_matrix(x, "eig"))
    return w, v


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric or Hermitian matrices."""
    w, v = tf.linalg.eigh(_matrix(x, "eigh"))
    return w, v


def inv(x):
    """The inverse of each square matrix in ``x``."""
    return tf.linalg.inv(_matrix(x, "inv"))


def lu_factor(x):
    """The LU factorization ``(lu, pivots)`` of ``x``; pivots are 0-based row indices (int32):
    row ``i`` was swapped with row ``pivots[i]``, as LAPACK's ``getrf`` gives them."""
    x = _matrix(x, "lu_factor")
    lu, perm = tf.linalg.lu(x)
    # TensorFlow gives the permutation; LAPACK's pivots are the swaps that make it.
    n = x.shape[-1]
    positions = tf.range(n, dtype=perm.dtype)
    current = tf.broadcast_to(positions, tf.shape(perm))
    pivots = []
    for i in range(n):
        j = tf.argmax(tf.cast(tf.equal(current, perm[..., i : i + 1]), tf.int32), axis=-1)
        j = tf.cast(j, perm.dtype)
        pivots.append(j)
        at_i = current[..., i : i + 1]
        current = tf.where(
            positions == i, perm[..., i : i + 1], tf.where(positions == j[..., None], at_i, current)
        )
    return lu, tf.cast(tf.stack(pivots, axis=-1), tf.int32)


_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


def _vector_norm(x, ord, axis, keepdims):
    a = tf.abs(x)
    if ord is None or ord == 2:
        return tf.sqrt(tf.reduce_sum(tf.square(a), axis, keepdims))
    if ord == float("inf"):
        return tf.reduce_max(a, axis, keepdims)
    if ord == float("-inf"):
        return tf.reduce_min(a, axis, keepdims)
    if ord == 0:
        return tf.reduce_sum(tf.cast(a != 0, a.dtype), axis, keepdims)
    p = tf.cast(ord, a.dtype)
    return tf.pow(tf.reduce_sum(tf.pow(a, p), axis, keepdims), 1 / p)


def _matrix_norm(x, ord, axes, keepdims):
    rank = x.shape.rank
    r, c = (a % rank for a in axes)
    a = tf.abs(x)
    if ord in (None, "fro"):
        out = tf.sqrt(tf.reduce_sum(tf.square(a), [r, c]))
    elif ord in (1, -1, float("inf"), float("-inf")):
        over, then = (r, c) if ord in (1, -1) else (c, r)
        sums = tf.reduce_sum(a, over, keepdims=True)
        pick = tf.reduce_max if ord in (1, float("inf")) else tf.reduce_min
        out = tf.squeeze(pick(sums, then, keepdims=True), [r, c])
    else:
        perm = [d for d in range(rank) if d not in (r, c)] + [r, c]
        s = tf.linalg.svd(tf.transpose(x, perm), compute_uv=False)
        if ord == "nuc":
            out = tf.reduce_sum(s, -1)
        elif ord == 2:
            out = tf.reduce_max(s, -1)
        else:
            out = tf.reduce_min(s, -1)
    if keepdims:
        for d in sorted((r, c)):
            out = tf.expand_dims(out, d)
    return out


def norm(x, ord=None, axis=None, keepdims=False):
    """The vector norm (one axis) or matrix norm (two axes) of ``x``, as
    ``numpy.linalg.norm``; integer inputs give ``floatx()``."""
    x = convert_to_tensor(x)
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise ValueError(
            f"`norm` accepts the strings 'fro' and 'nuc' for `ord`. Received: ord={ord!r}"
        )
    if isinstance(axis, int):
        axis = (axis,)
    num_axes = x.shape.rank if axis is None else len(axis)
    if num_axes == 1 and isinstance(ord, str):
        raise ValueError(f"Invalid `ord` argument for vector norm. Received: ord={ord!r}")
    if num_axes == 2 and ord not in _MATRIX_ORDS:
        raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={ord!r}")
    x = _as_float(x)
    if axis is None:
        if ord is None or x.shape.rank not in (1, 2):
            out = _vector_norm(tf.reshape(x, (-1,)), ord, 0, False)
            return tf.reshape(out, [1] * x.shape.rank) if keepdims else out
        axis = tuple(range(x.shape.rank))
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    return _matrix_norm(x, ord, axis, keepdims)


def solve(a, b):
    """The solution ``x`` of ``a @ x == b`` for square ``a`` of shape ``(..., M, M)`` and ``b``
    of shape ``(..., M)`` or ``(..., M, K)``."""
    a, b = _system(a, b, "solve")
    if b.shape.rank in (1, a.shape.rank - 1):
        a, b = _broadcast_batch(a, b[..., None])
        return tf.linalg.solve(a, b)[..., 0]
    return tf.linalg.solve(*_broadcast_batch(a, b))


def solve_triangular(a, b, lower=False):
    """The solution ``x`` of ``a @ x == b`` for triangular ``a`` (upper unless ``lower``)."""
    a, b = _system(a, b, "solve_triangular")
    if b.shape.rank in (1, a.shape.rank - 1):
        a, b = _broadcast_batch(a, b[..., None])
        return tf.linalg.triangular_solve(a, b, lower=lower)[..., 0]
    return tf.linalg.triangular_solve(*_broadcast_batch(a, b), lower=lower)


def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition ``(u, s, vh)`` of ``x``, or only ``s`` when
    ``compute_uv`` is False."""
    x = _matrix(x, "svd", square=False)
    if not compute_uv:
        return tf.linalg.svd(x, compute_uv=False)
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return u, s, tf.linalg.adjoint(v)


def _pinv(x, rtol):
    s, u, v = tf.linalg.svd(x, full_matrices=False)
    cutoff = tf.reduce_max(s, -1, keepdims=True) * tf.cast(rtol, s.dtype)
    inverse = tf.where(s > cutoff, 1 / tf.where(s > cutoff, s, tf.ones_like(s)), tf.zeros_like(s))
    return tf.linalg.matmul(v * inverse[..., None, :], u, adjoint_b=True)


def _default_rtol(x):
    return max(x.shape[-2:]) * np.finfo(x.dtype.as_numpy_dtype).eps


def lstsq(a, b, rcond=None):
    """The least-squares solution ``x`` minimizing ``|b - a @ x|``, for ``a`` of shape
    ``(M, N)`` and ``b`` of shape ``(M,)`` or ``(M, K)``; ``rcond`` cuts singular values
    below ``rcond * largest`` as NumPy does."""
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if a.shape.rank != 2:
        raise ValueError(f"`lstsq` expects `a` of rank 2. Received: a.shape={tuple(a.shape)}")
    if b.shape.rank not in (1, 2):
        raise ValueError(f"`lstsq` expects `b` of rank 1 or 2. Received: b.shape={tuple(b.shape)}")
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            "`lstsq` expects `a.shape[0] == b.shape[0]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    a = _as_float(a)
    b = tf.cast(b, a.dtype)
    inverse = _pinv(a, _default_rtol(a) if rcond is None else rcond)
    if b.shape.rank == 1:
        return tf.linalg.matvec(inverse, b)
    return tf.linalg.matmul(inverse, b)


def matrix_rank(x, tol=None):
    """The rank of each matrix in ``x``: the singular values above ``tol`` (above
    ``max(M, N) * eps * largest`` when None), as int32."""
    x = _matrix(x, "matrix_rank", square=False)
    s = tf.linalg.svd(x, compute_uv=False)
    if tol is None:
        cutoff = tf.reduce_max(s, -1, keepdims=True) * _default_rtol(x)
    else:
        cutoff = tf.cast(tol, s.dtype)
    return tf.reduce_sum(tf.cast(s > cutoff, tf.int32), -1)


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse; singular values below ``rcond * largest`` (``max(M, N)
    * eps`` when None) count as 0."""
    x = _matrix(x, "pinv", square=False)
    return _pinv(x, _default_rtol(x) if rcond is None else rcond)


def jvp(fun, primals, tangents, has_aux=False):
    """``(fun(*primals), J @ tangents)``: the Jacobian-vector product of ``fun`` at ``primals``
    (and ``fun``'s auxiliary output third when ``has_aux``)."""
    if not callable(fun):
        raise TypeError(f"`jvp` expects a callable `fun`. Received: fun={fun!r}")
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(convert_to_tensor(t) for t in tangents)
    if len(primals) != len(tangents):
        raise ValueError(
            "`jvp` expects as many `tangents` as `primals`. "
            f"Received: {len(primals)} primals and {len(tangents)} tangents"
        )
    with tf.autodiff.ForwardAccumulator(primals, tangents) as accumulator:
        result = fun(*primals)
    out, aux = result if has_aux else (result, None)
    tangent_out = tf.nest.map_structure(
        lambda o: accumulator.jvp(o, unconnected_gradients=tf.UnconnectedGradients.ZERO), out
    )
    return (out, tangent_out, aux) if has_aux else (out, tangent_out)
