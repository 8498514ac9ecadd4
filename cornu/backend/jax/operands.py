"""How Keras converts and promotes the operands of its NumPy-like operations, on JAX.

The op modules (``numpy.py``, ``numpy_extra.py``, ``numpy_stats.py``, ``numpy_array.py``)
share these helpers: Python numbers and lists become arrays of the dtypes Keras's
``convert_to_tensor`` gives them, and mixed operands are promoted with Keras's ``result_type``.
jax's 64-bit mode stays off, so a 64-bit result dtype becomes its 32-bit counterpart (as
Keras's JAX backend gives it).
"""

import jax
import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import convert_to_tensor, to_jax_dtype
from cornu.core.config import floatx
from cornu.core.dtypes import result_type, standardize_dtype

_INTS_TO_FLOATX = ("bool", "int8", "int16", "int32", "uint8", "uint16", "uint32")


def _dtype_of(x):
    """``x``'s dtype as Keras's ``result_type`` takes it (Python numbers as weak types)."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None:
        return dtype.name if isinstance(dtype, np.dtype) else dtype
    if isinstance(x, bool):
        return bool
    if isinstance(x, int):
        return int
    if isinstance(x, float):
        return float
    if isinstance(x, complex):
        return complex
    leaves = _leaves(x)
    return result_type(*(_dtype_of(v) for v in leaves)) if leaves else floatx()


_WIDE = {"int32": "int64", "uint32": "uint64", "float32": "float64", "complex64": "complex128"}


def _promote(*dtypes):
    """Keras's ``result_type``, without its narrowing of 64-bit results to 32 bits where a
    64-bit operand gives the dtype (as torch keeps them); jax then narrows them itself while
    its x64 mode is off."""
    out = result_type(*dtypes)
    wide = _WIDE.get(out)
    if wide is not None and any(
        not isinstance(d, type) and d is not None and standardize_dtype(d) == wide for d in dtypes
    ):
        return wide
    return out


def _leaves(x):
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(_leaves(item))
        return out
    return [x]


def _array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def _name(x):
    """The standardized dtype name of array ``x``."""
    return standardize_dtype(x.dtype)


def _cast(x, dtype):
    dtype = to_jax_dtype(dtype)
    return x if x.dtype == dtype else x.astype(dtype)


def _is_float(x):
    """True for float (bfloat16 included) and complex arrays."""
    return jnp.issubdtype(x.dtype, jnp.inexact)


def _pair(x1, x2):
    """Both operands as arrays of Keras's ``result_type`` (Python numbers are weak types)."""
    dtype = _promote(_dtype_of(x1), _dtype_of(x2))
    return _array(x1, dtype), _array(x2, dtype)


def _strong_dtype_of(x):
    """``x``'s dtype once converted to a tensor: Python numbers take the dtype Keras's
    ``convert_to_tensor`` gives them (int32, ``floatx()``) instead of being weak types."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int32" if -(2**31) <= x < 2**31 else "int64"
    if isinstance(x, float):
        return floatx()
    if isinstance(x, complex):
        return "complex64"
    return _dtype_of(x)


def _strong_pair(x1, x2):
    """Both operands as arrays of the dtype Keras promotes them to after converting each
    with ``convert_to_tensor`` (Python numbers included)."""
    dtype = _promote(_strong_dtype_of(x1), _strong_dtype_of(x2))
    return _array(x1, dtype), _array(x2, dtype)


def _float(x):
    x = _array(x)
    return x if _is_float(x) else x.astype(to_jax_dtype(floatx()))


def _float_result_dtype(dtype):
    """The float dtype Keras gives an integer or boolean operand: ``floatx()`` for the
    narrow ones, float64 for int64; float dtypes stay."""
    if dtype in _INTS_TO_FLOATX:
        return floatx()
    if dtype in ("int64", "uint64"):
        return "float64"
    return dtype


def _is_concrete(x):
    """True when ``x`` has values now (not a tracer inside ``jax.jit``)."""
    return not isinstance(x, jax.core.Tracer)


def _axis(axis):
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis
