"""How Keras converts and promotes the operands of its NumPy-like operations, on torch.

The op modules (``numpy.py``, ``numpy_extra.py``) share these helpers: Python numbers and
lists become tensors of the dtypes Keras's ``convert_to_tensor`` gives them, and mixed
operands are promoted with Keras's ``result_type``.
"""

import builtins

import numpy as np
import torch

from cornu.backend.torch.core import Variable, convert_to_tensor, get_device, to_torch_dtype
from cornu.core.config import floatx
from cornu.core.dtypes import result_type

# ---- binary operations ------------------------------------------------------------------
# Keras converts both operands with convert_to_tensor (Python ints become int32, floats
# floatx(), lists take the promoted dtype of their items) and lets torch promote. Two tensors
# go straight to torch; a Python number next to a tensor stays a number, which gives the dtype
# Keras's 0-d tensor gives without making a tensor on the device.

_Tensor = torch.Tensor
_NUMBERS = (bool, int, float)  # np.float64 is a float, and Keras treats it as one
_TENSOR_OR_NUMBER = (_Tensor,) + _NUMBERS


def _number_dtype(x):
    if isinstance(x, bool):
        return torch.bool
    if isinstance(x, int):
        return torch.int32 if -(2**31) <= x < 2**31 else torch.int64
    if isinstance(x, float):
        return to_torch_dtype(floatx())
    return torch.complex64


def _leaves(x):
    if isinstance(x, (list, tuple)):
        for item in x:
            yield from _leaves(item)
    else:
        yield x


def _to_tensor(x):
    """``x`` as a tensor, converted as Keras's ``convert_to_tensor`` converts it."""
    if isinstance(x, _Tensor):
        return x
    if isinstance(x, (bool, int, float, complex)):
        return torch.tensor(x, dtype=_number_dtype(x), device=get_device())
    if isinstance(x, (list, tuple)):
        items = list(_leaves(x))
        if builtins.any(isinstance(v, (_Tensor, Variable)) for v in items):
            return torch.stack([_to_tensor(v) for v in x])
        dtype = result_type(*(getattr(v, "dtype", type(v)) for v in items))
        return convert_to_tensor(x, dtype)
    if isinstance(x, np.ndarray) and x.dtype == np.uint32:
        x = x.astype(np.int64)  # as Keras: torch has few uint32 kernels
    return convert_to_tensor(x)


def _operands(x1, x2):
    """``x1`` and ``x2`` ready for a torch elementwise operation that gives Keras's dtype."""
    if not isinstance(x1, _TENSOR_OR_NUMBER):
        x1 = _to_tensor(x1)
    if not isinstance(x2, _TENSOR_OR_NUMBER):
        x2 = _to_tensor(x2)
    first_is_tensor = isinstance(x1, _Tensor)
    if first_is_tensor == isinstance(x2, _Tensor):
        return (x1, x2) if first_is_tensor else (_to_tensor(x1), _to_tensor(x2))
    tensor, number = (x1, x2) if first_is_tensor else (x2, x1)
    if tensor.ndim == 0:
        # Between 0-d tensors torch promotes across widths, so the number's own dtype counts.
        dtype = _number_dtype(number)
        if tensor.dtype != dtype:
            number = tensor.new_full((), number, dtype=dtype)
    elif isinstance(number, float) and not (tensor.is_floating_point() or tensor.is_complex()):
        tensor = tensor.to(to_torch_dtype(floatx()))  # Keras's float operand is floatx()
    elif isinstance(number, int) and not isinstance(number, bool):
        if not -(2**31) <= number < 2**31:
            number = tensor.new_full((), number, dtype=torch.int64)  # Keras's int64 operand
        elif tensor.dtype == torch.bool:
            tensor = tensor.to(torch.int32)  # Keras's int operand is int32
    return (tensor, number) if first_is_tensor else (number, tensor)


_PROMOTED = {}


def _promoted(d1, d2):
    # A plain dict, not functools.lru_cache: torch.compile traces it without warnings.
    key = (d1, d2, floatx())
    dtype = _PROMOTED.get(key)
    if dtype is None:
        dtype = _PROMOTED[key] = to_torch_dtype(result_type(d1, d2))
    return dtype


def _promote_pair(x1, x2):
    """Both operands as tensors of Keras's ``result_type`` (Python numbers are weak types)."""
    if not isinstance(x1, _NUMBERS):
        x1 = _to_tensor(x1)
    if not isinstance(x2, _NUMBERS):
        x2 = _to_tensor(x2)
    dtype = _promoted(_dtype_of(x1), _dtype_of(x2))
    ref = x1 if isinstance(x1, _Tensor) else x2 if isinstance(x2, _Tensor) else None
    return _as_dtype(x1, dtype, ref), _as_dtype(x2, dtype, ref)


def _dtype_of(x):
    dtype = getattr(x, "dtype", None)  # a NumPy scalar such as np.float64 has its own
    if dtype is None:
        return bool if isinstance(x, bool) else int if isinstance(x, int) else float
    return dtype if isinstance(dtype, torch.dtype) else np.dtype(dtype).name


def _as_dtype(x, dtype, ref):
    if isinstance(x, _Tensor):
        return x if x.dtype == dtype else x.to(dtype)
    if ref is None:
        return torch.tensor(x, dtype=dtype, device=get_device())
    return ref.new_full((), x, dtype=dtype)


def _cast(x, dtype):
    """``x`` as ``dtype`` (a Keras name or torch dtype); unchanged when it has it already."""
    dtype = to_torch_dtype(dtype)
    return x if x.dtype == dtype else x.to(dtype)


def _dtype_name(x):
    """The Keras name of a tensor's dtype (``"float32"``, ``"int64"``, ``"bool"``, ...)."""
    return str(x.dtype).removeprefix("torch.")
