"""Linear algebra on torch tensors, with the names, arguments and checks of ``keras.ops.linalg``."""

import torch

from cornu.backend.torch.core import (
    convert_to_tensor,
    floatx,
    standardize_dtype,
    to_torch_dtype,
)
from cornu.backend.torch.math import qr  # noqa: F401  (keras.ops.linalg.qr is the same op)


def _matrix(x, op, square=True):
    """``x`` as a tensor of rank >= 2 (square in its last two axes when ``square``)."""
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
    return x


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
    return a, b


def cholesky(x, upper=False):
    """The Cholesky factor ``L`` (``L @ L.T == x``; ``U`` with ``upper=True``) of a symmetric
    positive-definite ``x`` of shape ``(..., M, M)``."""
    x = _matrix(x, "cholesky")
    try:
        return torch.linalg.cholesky(x, upper=upper)
    except RuntimeError as e:
        raise ValueError(f"Cholesky decomposition failed: {e}") from e


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (lower, or upper with ``upper``)."""
    x = _matrix(x, "cholesky_inverse")
    try:
        return torch.cholesky_inverse(x, upper=upper)
    except RuntimeError as e:
        raise ValueError(f"Cholesky inverse failed: {e}") from e


def det(x):
    """The determinant of each square matrix in ``x`` (shape ``(..., M, M)`` -> ``(...)``)."""
    return torch.det(_matrix(x, "det"))


def eig(x):
    """Eigenvalues and (right) eigenvectors of square matrices, as complex tensors."""
    return torch.linalg.eig(_matrix(x, "eig"))


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric or Hermitian matrices."""
    return torch.linalg.eigh(_matrix(x, "eigh"))


def inv(x):
    """The inverse of each square matrix in ``x``."""
    return torch.linalg.inv(_matrix(x, "inv"))


def lu_factor(x):
    """The LU factorization ``(lu, pivots)`` of ``x``; pivots are 0-based row indices (int32)."""
    lu, pivots = torch.linalg.lu_factor(_matrix(x, "lu_factor", square=False))
    return lu, pivots - 1


_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


def norm(x, ord=None, axis=None, keepdims=False):
    """The vector norm (one axis) or matrix norm (two axes) of ``x``.

    ``ord`` is as in ``numpy.linalg.norm``: an int, ``inf``/``-inf``, or ``"fro"``/``"nuc"``
    for matrices. ``axis`` None takes the 2-norm of the flattened ``x`` (or the Frobenius
    norm of a matrix). Integer inputs give ``floatx()``.
    """
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
    dtype = standardize_dtype(x.dtype)
    if "int" in dtype or dtype == "bool":
        x = x.to(to_torch_dtype(floatx()))
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


def solve(a, b):
    """The solution ``x`` of ``a @ x == b`` for square ``a`` of shape ``(..., M, M)`` and ``b``
    of shape ``(..., M)`` or ``(..., M, K)``."""
    a, b = _system(a, b, "solve")
    return torch.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    """The solution ``x`` of ``a @ x == b`` for triangular ``a`` (upper unless ``lower``)."""
    a, b = _system(a, b, "solve_triangular")
    if b.ndim == a.ndim - 1:
        return torch.linalg.solve_triangular(a, b.unsqueeze(-1), upper=not lower).squeeze(-1)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition ``(u, s, vh)`` of ``x``, or only ``s`` when
    ``compute_uv`` is False."""
    x = _matrix(x, "svd", square=False)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return torch.linalg.svd(x, full_matrices=full_matrices)


def lstsq(a, b, rcond=None):
    """The least-squares solution ``x`` minimizing ``|b - a @ x|``, for ``a`` of shape
    ``(M, N)`` and ``b`` of shape ``(M,)`` or ``(M, K)``.

    ``rcond`` cuts singular values below ``rcond * largest`` as NumPy does (SVD-based).
    """
    a = convert_to_tensor(a)
    b = convert_to_tensor(b)
    if a.ndim != 2:
        raise ValueError(f"`lstsq` expects `a` of rank 2. Received: a.shape={tuple(a.shape)}")
    if b.ndim not in (1, 2):
        raise ValueError(f"`lstsq` expects `b` of rank 1 or 2. Received: b.shape={tuple(b.shape)}")
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            "`lstsq` expects `a.shape[0] == b.shape[0]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    if rcond is None:
        return torch.linalg.lstsq(a, b).solution
    if a.device.type == "cuda":  # only the QR driver exists on CUDA: go through the SVD
        return torch.linalg.pinv(a, rtol=rcond) @ b
    return torch.linalg.lstsq(a, b, rcond=rcond, driver="gelsd").solution


def matrix_rank(x, tol=None):
    """The rank of each matrix in ``x``: singular values above ``tol`` (int32)."""
    x = _matrix(x, "matrix_rank", square=False)
    return torch.linalg.matrix_rank(x, atol=tol).to(torch.int32)


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse; singular values below ``rcond * largest`` count as 0."""
    x = _matrix(x, "pinv", square=False)
    return torch.linalg.pinv(x, rtol=rcond)


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
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
