"""Linear algebra (``keras.ops.linalg``): decompositions, solvers, norms and inverses of the
active backend. Each op works on the last two axes and batches over the others."""

from cornu.backend import linalg as _backend

cholesky = _backend.cholesky
cholesky_inverse = _backend.cholesky_inverse
det = _backend.det
eig = _backend.eig
eigh = _backend.eigh
inv = _backend.inv
jvp = _backend.jvp
lstsq = _backend.lstsq
lu_factor = _backend.lu_factor
matrix_rank = _backend.matrix_rank
norm = _backend.norm
pinv = _backend.pinv
qr = _backend.qr
solve = _backend.solve
solve_triangular = _backend.solve_triangular
svd = _backend.svd

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "jvp",
    "lstsq",
    "lu_factor",
    "matrix_rank",
    "norm",
    "pinv",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
]
