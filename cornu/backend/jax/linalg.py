"""Linear algebra on jax arrays, with the names, arguments and checks of ``keras.ops.linalg``."""

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from cornu.backend.jax.core import convert_to_tensor, to_jax_dtype
from cornu.backend.jax.math import qr  # noqa: F401  (keras.ops.linalg.qr is the same op)
from cornu.core.config import floatx


def _as_float(x):
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return x.astype(to_jax_dtype(floatx()))


def _matrix(x, op, square=True):
    """``x`` as a float tensor of rank >= 2 (square in its last two axes when ``square``)."""
    x = convert_to_tensor(x)
    if x.ndim < 2:
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
    if b.ndim < 1:
        raise ValueError(f"`{op}` expects `b` of rank >= 1. Received: b with shape ()")
    if b.ndim == a.ndim and a.shape[-2] != b.shape[-2]:
        raise ValueError(
            f"`{op}` expects `a.shape[-2] == b.shape[-2]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    if b.ndim == a.ndim - 1 and a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"`{op}` expects `a.shape[-1] == b.shape[-1]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    dtype = jnp.result_type(a.dtype, b.dtype)
    return a.astype(dtype), b.astype(dtype)


def _is_traced(x):
    return isinstance(x, jax.core.Tracer)


def cholesky(x, upper=False):
    """The Cholesky factor ``L`` (``L @ L.T == x``; ``U`` with ``upper=True``) of a symmetric
    positive-definite ``x`` of shape ``(..., M, M)``. Concrete inputs that are not positive
    definite raise a ValueError; traced ones give NaNs (jax cannot raise there)."""
    x = _matrix(x, "cholesky")
    lower = jnp.linalg.cholesky(x)
    if not _is_traced(lower) and bool(jnp.any(jnp.isnan(lower))):
        raise ValueError(
            "Cholesky decomposition failed: the input is not positive-definite. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return jnp.conj(jnp.swapaxes(lower, -1, -2)) if upper else lower


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (lower, or upper with ``upper``)."""
    x = _matrix(x, "cholesky_inverse")
    factor = jnp.swapaxes(x, -1, -2) if upper else x
    identity = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    return jsl.cho_solve((factor, True), identity)


def det(x):
    """The determinant of each square matrix in ``x`` (shape ``(..., M, M)`` -> ``(...)``)."""
    return jnp.linalg.det(_matrix(x, "det"))


def eig(x):
    """Eigenvalues and (right) eigenvectors of square matrices, as complex tensors."""
    return tuple(jnp.linalg.eig(_matrix(x, "eig")))


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric or Hermitian matrices."""
    return tuple(jnp.linalg.eigh(_matrix(x, "eigh")))


def inv(x):
    """The inverse of each square matrix in ``x``."""
    return jnp.linalg.inv(_matrix(x, "inv"))


def lu_factor(x):
    """The LU factorization ``(lu, pivots)`` of ``x``; pivots are 0-based row indices (int32)."""
    lu, pivots = jsl.lu_factor(_matrix(x, "lu_factor", square=False))
    return lu, pivots.astype(jnp.int32)


_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


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
    num_axes = x.ndim if axis is None else len(axis)
    if num_axes == 1 and isinstance(ord, str):
        raise ValueError(f"Invalid `ord` argument for vector norm. Received: ord={ord!r}")
    if num_axes == 2 and ord not in _MATRIX_ORDS:
        raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={ord!r}")
    x = _as_float(x)
    if axis is None and x.ndim > 2:
        flat = jnp.linalg.norm(x.reshape(-1), ord=ord)
        return flat.reshape((1,) * x.ndim) if keepdims else flat
    axis = tuple(axis) if axis is not None else None
    return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def solve(a, b):
    """The solution ``x`` of ``a @ x == b`` for square ``a`` of shape ``(..., M, M)`` and ``b``
    of shape ``(..., M)`` or ``(..., M, K)``."""
    a, b = _system(a, b, "solve")
    if b.ndim == a.ndim - 1:
        return jnp.linalg.solve(a, b[..., None])[..., 0]
    return jnp.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    """The solution ``x`` of ``a @ x == b`` for triangular ``a`` (upper unless ``lower``)."""
    a, b = _system(a, b, "solve_triangular")
    if b.ndim == a.ndim - 1:
        return jsl.solve_triangular(a, b[..., None], lower=lower)[..., 0]
    return jsl.solve_triangular(a, b, lower=lower)


def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition ``(u, s, vh)`` of ``x``, or only ``s`` when
    ``compute_uv`` is False."""
    x = _matrix(x, "svd", square=False)
    if not compute_uv:
        return jnp.linalg.svd(x, compute_uv=False)
    return tuple(jnp.linalg.svd(x, full_matrices=full_matrices))


def lstsq(a, b, rcond=None):
    """The least-squares solution ``x`` minimizing ``|b - a @ x|``, for ``a`` of shape
    ``(M, N)`` and ``b`` of shape ``(M,)`` or ``(M, K)``; ``rcond`` cuts singular values
    below ``rcond * largest`` as NumPy does."""
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if a.ndim != 2:
        raise ValueError(f"`lstsq` expects `a` of rank 2. Received: a.shape={tuple(a.shape)}")
    if b.ndim not in (1, 2):
        raise ValueError(f"`lstsq` expects `b` of rank 1 or 2. Received: b.shape={tuple(b.shape)}")
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            "`lstsq` expects `a.shape[0] == b.shape[0]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    a = _as_float(a)
    return jnp.linalg.lstsq(a, b.astype(a.dtype), rcond=rcond)[0]


def _singular_cutoff(x, s, relative):
    eps = jnp.finfo(x.dtype).eps
    default = max(x.shape[-2:]) * eps
    return jnp.max(s, axis=-1, keepdims=True) * (default if relative is None else relative)


def matrix_rank(x, tol=None):
    """The rank of each matrix in ``x``: the singular values above ``tol`` (above
    ``max(M, N) * eps * largest`` when None), as int32."""
    x = _matrix(x, "matrix_rank", square=False)
    s = jnp.linalg.svd(x, compute_uv=False)
    cutoff = _singular_cutoff(x, s, None) if tol is None else tol
    return jnp.sum(s > cutoff, axis=-1).astype(jnp.int32)


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse; singular values below ``rcond * largest`` (``max(M, N)
    * eps`` when None) count as 0."""
    x = _matrix(x, "pinv", square=False)
    rtol = max(x.shape[-2:]) * jnp.finfo(x.dtype).eps if rcond is None else rcond
    return jnp.linalg.pinv(x, rtol=rtol)


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
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)
