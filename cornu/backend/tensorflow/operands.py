"""How Keras converts and promotes the operands of its NumPy-like operations, on TensorFlow.

The op modules (``numpy.py``, ``numpy_extra.py``, ``numpy_stats.py``, ``numpy_array.py``)
share these helpers: Python numbers and lists become tensors of the dtypes Keras's
``convert_to_tensor`` gives them, and mixed operands are promoted with Keras's ``result_type``.
TensorFlow keeps int64 and float64, as torch does, so a 64-bit operand keeps a 64-bit result.
TensorFlow's kernels take fewer dtypes than torch's: ``_computed`` runs an operation in a
dtype that has a kernel and casts the result back.
"""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor, to_tf_dtype
from cornu.core.config import floatx
from cornu.core.dtypes import result_type, standardize_dtype

_INTS_TO_FLOATX = ("bool", "int8", "int16", "int32", "uint8", "uint16", "uint32")


def _leaves(x):
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(_leaves(item))
        return out
    return [x]


def _dtype_of(x):
    """``x``'s dtype as Keras's ``result_type`` takes it (Python numbers as weak types)."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None:
        return standardize_dtype(dtype)
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
    64-bit operand gives the dtype (torch, and TensorFlow, keep them)."""
    out = result_type(*dtypes)
    wide = _WIDE.get(out)
    if wide is not None and any(
        not isinstance(d, type) and d is not None and standardize_dtype(d) == wide for d in dtypes
    ):
        return wide
    return out


def _array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def _name(x):
    """The standardized dtype name of tensor ``x``."""
    return standardize_dtype(x.dtype)


def _cast(x, dtype):
    dtype = to_tf_dtype(dtype)
    return x if x.dtype == dtype else tf.cast(x, dtype)


def _is_float(x):
    """True for float (bfloat16 included) and complex tensors."""
    return x.dtype.is_floating or x.dtype.is_complex


def _pair(x1, x2):
    """Both operands as tensors of Keras's ``result_type`` (Python numbers are weak types)."""
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
    """Both operands as tensors of the dtype Keras promotes them to after converting each
    with ``convert_to_tensor`` (Python numbers included)."""
    dtype = _promote(_strong_dtype_of(x1), _strong_dtype_of(x2))
    return _array(x1, dtype), _array(x2, dtype)


def _float(x):
    x = _array(x)
    return x if _is_float(x) else tf.cast(x, to_tf_dtype(floatx()))


def _float_result_dtype(dtype):
    """The float dtype Keras gives an integer or boolean operand: ``floatx()`` for the
    narrow ones, float64 for int64; float dtypes stay."""
    if dtype in _INTS_TO_FLOATX:
        return floatx()
    if dtype in ("int64", "uint64"):
        return "float64"
    return dtype


def _static(x):
    """``x``'s values as a NumPy array when they are known now (eagerly, or constant inside a
    ``tf.function``), else None."""
    if isinstance(x, np.ndarray):
        return x
    return tf.get_static_value(x)


def _is_concrete(x):
    """True when ``x`` has values now (not a symbolic tensor inside a ``tf.function``)."""
    return _static(x) is not None


def _axis(axis):
    if axis is None:
        return None
    return list(axis) if isinstance(axis, (list, tuple)) else axis


# Dtypes TensorFlow's arithmetic (matmul, einsum, reductions) has CPU kernels for; the others
# are computed in a wider dtype and cast back, which wraps as torch's own arithmetic does.
_KERNEL = {
    "bool": "int32",
    "int8": "int32",
    "int16": "int32",
    "uint8": "int32",
    "uint16": "int32",
    "uint32": "int64",
    "uint64": "int64",
}


def _computed(fn, dtype, *tensors):
    """``fn(*tensors)`` run in a dtype with kernels for ``dtype``, cast back to ``dtype``."""
    work = _KERNEL.get(dtype)
    if work is None:
        return fn(*tensors)
    out = fn(*(_cast(t, work) for t in tensors))
    return out if out.dtype == tf.bool else _cast(out, dtype)


def _static_shape(x):
    """``x``'s shape as a list (None where unknown)."""
    return x.shape.as_list() if x.shape.rank is not None else None


def _ndim(x):
    return x.shape.rank


def _normalize_axis(axis, rank):
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of bounds for a tensor of rank {rank}")
    return axis % rank


def _joined(xs):
    """The tensors of ``xs`` in their promoted dtype (64-bit operands keep 64 bits)."""
    arrays = [_array(x) for x in xs]
    dtype = _promote(*(_name(a) for a in arrays))
    return [_cast(a, dtype) for a in arrays]


def _split_sizes(length, indices_or_sections):
    """The part sizes of ``numpy.array_split`` for an axis of ``length``: ``n`` sections (the
    first ones one longer when ``length`` does not divide), or the cuts at the indices."""
    if isinstance(indices_or_sections, (int, np.integer)):
        n = int(indices_or_sections)
        if n <= 0:
            raise ValueError(f"The number of sections must be positive. Received: {n}")
        if length is None:
            raise ValueError("Splitting into sections needs the axis length known statically.")
        base, extra = divmod(length, n)
        return [base + 1] * extra + [base] * (n - extra)
    cuts = [0] + [int(i) for i in indices_or_sections] + [length]
    cuts = [min(max(c if c >= 0 else c + length, 0), length) for c in cuts]
    return [max(b - a, 0) for a, b in zip(cuts[:-1], cuts[1:])]
