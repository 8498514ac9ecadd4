"""Linear algebra on NumPy arrays, with the names, arguments and checks of
``keras.ops.linalg`` (SciPy, when installed, for the triangular and LU routines)."""

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor, not_supported, to_numpy_dtype
from cornu.backend.numpy.math import qr  # noqa: F401  (keras.ops.linalg.qr is the same op)
from cornu.core.config import floatx


def _matrix(x, op, square=True):
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
    if x.dtype.kind not in "fc":
        x = x.astype(to_numpy_dtype(floatx()))
    return x


def _system(a, b, op):
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
    return a, b.astype(a.dtype, copy=False)


def cholesky(x, upper=False):
    """The Cholesky factor ``L`` (``L @ L.T == x``; ``U`` with ``upper=True``)."""
    x = _matrix(x, "cholesky")
    try:
        lower = np.linalg.cholesky(x)
    except np.linalg.LinAlgError as e:
        raise ValueError(f"Cholesky decomposition failed: {e}") from e
    return np.swapaxes(lower, -1, -2).conj() if upper else lower


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (lower, or upper with ``upper``)."""
    x = _matrix(x, "cholesky_inverse")
    factor = np.swapaxes(x, -1, -2) if upper else x
    return np.linalg.inv(factor @ np.swapaxes(factor, -1, -2)).astype(x.dtype)


def det(x):
    """The determinant of each square matrix in ``x``."""
    return np.asarray(np.linalg.det(_matrix(x, "det")))


def eig(x):
    """Eigenvalues and (right) eigenvectors of square matrices, as complex arrays."""
    x = _matrix(x, "eig")
    w, v = np.linalg.eig(x)
    complex_dtype = np.complex128 if x.dtype == np.float64 else np.complex64
    return w.astype(complex_dtype), v.astype(complex_dtype)


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric or Hermitian matrices."""
    return tuple(np.linalg.eigh(_matrix(x, "eigh")))


def inv(x):
    """The inverse of each square matrix in ``x``."""
    return np.linalg.inv(_matrix(x, "inv"))


def lu_factor(x):
    """The LU factorization ``(lu, pivots)`` of ``x``; pivots are 0-based row indices (int32)."""
    x = _matrix(x, "lu_factor", square=False)
    try:
        import scipy.linalg
    except ImportError as error:  # pragma: no cover - SciPy is optional
        raise NotImplementedError(
            "`lu_factor` on the NumPy backend needs SciPy (`pip install scipy`); the torch "
            "backend has it built in."
        ) from error
    if x.ndim == 2:
        lu, pivots = scipy.linalg.lu_factor(x)
        return lu.astype(x.dtype), pivots.astype(np.int32)
    flat = x.reshape((-1,) + x.shape[-2:])
    results = [scipy.linalg.lu_factor(m) for m in flat]
    lu = np.stack([r[0] for r in results]).reshape(x.shape).astype(x.dtype)
    pivots = np.stack([r[1] for r in results]).reshape(x.shape[:-2] + (-1,))
    return lu, pivots.astype(np.int32)


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
    if x.dtype.kind not in "fc":
        x = x.astype(to_numpy_dtype(floatx()))
    if axis is None and x.ndim > 2:
        x, axis = x.reshape(-1), None
        if keepdims:
            return np.asarray(np.linalg.norm(x, ord=ord)).reshape((1,) * x.ndim)
    dtype = x.real.dtype
    return np.asarray(np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims), dtype=dtype)


def solve(a, b):
    """The solution ``x`` of ``a @ x == b``."""
    a, b = _system(a, b, "solve")
    if b.ndim == a.ndim - 1:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    """The solution ``x`` of ``a @ x == b`` for triangular ``a`` (upper unless ``lower``)."""
    a, b = _system(a, b, "solve_triangular")
    a = np.tril(a) if lower else np.triu(a)
    return solve(a, b)


def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition ``(u, s, vh)``, or only ``s`` when not ``compute_uv``."""
    x = _matrix(x, "svd", square=False)
    if not compute_uv:
        return np.linalg.svd(x, compute_uv=False)
    return tuple(np.linalg.svd(x, full_matrices=full_matrices))


def lstsq(a, b, rcond=None):
    """The least-squares solution ``x`` minimizing ``|b - a @ x|``."""
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
    return np.linalg.lstsq(a, b, rcond=rcond)[0].astype(a.dtype)


def matrix_rank(x, tol=None):
    """The rank of each matrix in ``x``: singular values above ``tol`` (int32)."""
    x = _matrix(x, "matrix_rank", square=False)
    return np.asarray(np.linalg.matrix_rank(x, tol=tol), dtype=np.int32)


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse; singular values below ``rcond * largest`` count as 0."""
    x = _matrix(x, "pinv", square=False)
    if rcond is None:
        rcond = max(x.shape[-2:]) * np.finfo(x.dtype).eps
    return np.linalg.pinv(x, rcond=rcond).astype(x.dtype)


def jvp(fun, primals, tangents, has_aux=False):
    """Raises: NumPy computes no derivatives."""
    raise not_supported("linalg.jvp")
