"""NumPy-like operations on torch tensors, with Keras's names and signatures."""

import builtins

import numpy as np
import torch

from cornu.backend.common.dtypes import result_type
from cornu.backend.config import floatx
from cornu.backend.torch.core import Variable, convert_to_tensor, get_device, to_torch_dtype

# Operations whose torch function already has Keras's signature are bound as they are.
negative = torch.neg
logical_not = torch.logical_not
abs = torch.abs
absolute = torch.abs
sign = torch.sign
sqrt = torch.sqrt
rsqrt = torch.rsqrt
square = torch.square
exp = torch.exp
expm1 = torch.expm1
log = torch.log
log1p = torch.log1p
log2 = torch.log2
log10 = torch.log10
sin = torch.sin
cos = torch.cos
tan = torch.tan
tanh = torch.tanh
arctan = torch.arctan
floor = torch.floor
ceil = torch.ceil
isnan = torch.isnan
isinf = torch.isinf
isfinite = torch.isfinite
outer = torch.outer
tril = torch.tril
triu = torch.triu
zeros_like = torch.zeros_like
ones_like = torch.ones_like
full_like = torch.full_like


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


def add(x1, x2):
    """``x1 + x2`` element-wise, with broadcasting."""
    if not (isinstance(x1, _Tensor) and isinstance(x2, _Tensor)):
        x1, x2 = _operands(x1, x2)
    return torch.add(x1, x2)


def subtract(x1, x2):
    """``x1 - x2`` element-wise; a boolean operand takes the other operand's dtype."""
    if not (isinstance(x1, _Tensor) and isinstance(x2, _Tensor)):
        x1, x2 = _operands(x1, x2)
    try:
        return torch.subtract(x1, x2)
    except RuntimeError:
        x1, x2 = _without_bool(x1, x2)
        return torch.subtract(x1, x2)


def _without_bool(x1, x2):
    # torch has no boolean subtraction: Keras casts a boolean operand to the other's dtype.
    d1 = x1.dtype if isinstance(x1, _Tensor) else _number_dtype(x1)
    d2 = x2.dtype if isinstance(x2, _Tensor) else _number_dtype(x2)
    if d1 == torch.bool and d2 != torch.bool:
        x1 = _to_tensor(x1).to(d2)
    elif d2 == torch.bool and d1 != torch.bool:
        x2 = _to_tensor(x2).to(d1)
    return x1, x2


def multiply(x1, x2):
    """``x1 * x2`` element-wise, with broadcasting."""
    if not (isinstance(x1, _Tensor) and isinstance(x2, _Tensor)):
        x1, x2 = _operands(x1, x2)
    return torch.multiply(x1, x2)


def divide(x1, x2):
    """``x1 / x2`` element-wise (true division: integers give floats)."""
    # Keras hands Python numbers to torch as they are here.
    if not isinstance(x1, _TENSOR_OR_NUMBER):
        x1 = _to_tensor(x1)
    if not isinstance(x2, _TENSOR_OR_NUMBER):
        x2 = _to_tensor(x2)
    return torch.true_divide(x1, x2)


true_divide = divide


def power(x1, x2):
    """``x1 ** x2`` element-wise."""
    if not (isinstance(x1, _Tensor) and isinstance(x2, _Tensor)):
        x1, x2 = _operands(x1, x2)
    return torch.pow(x1, x2)


def _elementwise(name, torch_fn, reflected, doc):
    # ``reflected(x2, x1)`` computes ``torch_fn(x1, x2)``: torch takes a number second only.
    def op(x1, x2):
        if not (isinstance(x1, _Tensor) and isinstance(x2, _Tensor)):
            x1, x2 = _operands(x1, x2)
            if not isinstance(x1, _Tensor):
                return reflected(x2, x1)
        return torch_fn(x1, x2)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _logical(name, torch_fn, doc):
    # torch's logical operations take tensors only: a number becomes Keras's 0-d tensor.
    def op(x1, x2):
        if not (isinstance(x1, _Tensor) and isinstance(x2, _Tensor)):
            x1, x2 = _operands(x1, x2)
            if not isinstance(x1, _Tensor):
                x1 = x2.new_full((), x1, dtype=_number_dtype(x1))
            elif not isinstance(x2, _Tensor):
                x2 = x1.new_full((), x2, dtype=_number_dtype(x2))
        return torch_fn(x1, x2)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


equal = _elementwise("equal", torch.eq, torch.eq, "``x1 == x2`` element-wise, as booleans.")
not_equal = _elementwise("not_equal", torch.ne, torch.ne, "``x1 != x2`` element-wise.")
greater = _elementwise("greater", torch.gt, torch.lt, "``x1 > x2`` element-wise, as booleans.")
greater_equal = _elementwise("greater_equal", torch.ge, torch.le, "``x1 >= x2`` element-wise.")
less = _elementwise("less", torch.lt, torch.gt, "``x1 < x2`` element-wise, as booleans.")
less_equal = _elementwise("less_equal", torch.le, torch.ge, "``x1 <= x2`` element-wise.")
logical_and = _logical("logical_and", torch.logical_and, "Element-wise logical AND.")
logical_or = _logical("logical_or", torch.logical_or, "Element-wise logical OR.")


# Dtypes whose pairs torch.maximum/minimum take as they are: Keras narrows a 64-bit result
# to 32 bits, so 64-bit pairs go through the promotion below.
_KEPT = frozenset(
    {torch.float16, torch.bfloat16, torch.float32, torch.bool}
    | {torch.int8, torch.int16, torch.int32, torch.uint8}
)


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


def maximum(x1, x2):
    """The element-wise maximum of ``x1`` and ``x2`` (NaN when either is NaN).

    Operands of different dtypes (or Python numbers) are promoted as Keras promotes them.
    """
    if (
        isinstance(x1, _Tensor)
        and isinstance(x2, _Tensor)
        and x1.dtype == x2.dtype
        and x1.dtype in _KEPT
    ):
        return torch.maximum(x1, x2)
    return torch.maximum(*_promote_pair(x1, x2))


def minimum(x1, x2):
    """The element-wise minimum of ``x1`` and ``x2`` (NaN when either is NaN).

    Operands of different dtypes (or Python numbers) are promoted as Keras promotes them.
    """
    if (
        isinstance(x1, _Tensor)
        and isinstance(x2, _Tensor)
        and x1.dtype == x2.dtype
        and x1.dtype in _KEPT
    ):
        return torch.minimum(x1, x2)
    return torch.minimum(*_promote_pair(x1, x2))


_FAST_MATMUL = frozenset({torch.float32, torch.bfloat16})


def matmul(x1, x2):
    """The matrix product of ``x1`` and ``x2`` (batched over leading axes, as NumPy).

    Mixed dtypes are promoted as Keras promotes them; int8 by int8 gives int32.
    """
    if isinstance(x1, _Tensor) and isinstance(x2, _Tensor):
        if x1.dtype == x2.dtype and x1.dtype in _FAST_MATMUL:
            return torch.matmul(x1, x2)
    else:
        x1, x2 = _to_tensor(x1), _to_tensor(x2)
    if x1.dtype == torch.int8 and x2.dtype == torch.int8:
        dtype = torch.int32
    else:
        dtype = _promoted(x1.dtype, x2.dtype)
    compute = dtype
    if dtype == torch.bool:
        compute = to_torch_dtype(floatx())
    elif dtype == torch.float16 and x1.device.type == "cpu":
        compute = torch.float32
    elif x1.device.type == "cuda" and not (dtype.is_floating_point or dtype.is_complex):
        compute = to_torch_dtype(floatx())  # torch has no integer matmul on CUDA
    out = torch.matmul(x1.to(compute), x2.to(compute))
    return out if out.dtype == dtype else out.to(dtype)


def where(condition, x1=None, x2=None):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``.

    With ``condition`` alone, the indices of its true elements, as a ``(ndim, count)``
    tensor (one row per axis).
    """
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "`x1` and `x2` either both should be `None` or both should have non-None value. "
            f"Received: x1={x1!r}, x2={x2!r}"
        )
    condition = convert_to_tensor(condition, "bool")
    if x1 is None:
        return torch.stack(torch.where(condition), dim=0)
    if not (isinstance(x1, _Tensor) and isinstance(x2, _Tensor)):
        x1, x2 = _operands(x1, x2)
    return torch.where(condition, x1, x2)


def _axis(axis):
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _float(x):
    return x if x.is_floating_point() or x.is_complex() else x.to(torch.get_default_dtype())


def sum(x, axis=None, keepdims=False):
    """Sum of the elements over ``axis`` (all when None)."""
    x = convert_to_tensor(x)
    if axis is None:
        return torch.sum(x)
    return torch.sum(x, dim=_axis(axis), keepdim=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all when None); integer inputs give floats."""
    x = _float(convert_to_tensor(x))
    if axis is None:
        return torch.mean(x)
    return torch.mean(x, dim=_axis(axis), keepdim=keepdims)


def var(x, axis=None, keepdims=False):
    """Biased variance over ``axis``."""
    x = _float(convert_to_tensor(x))
    return torch.var(x, dim=_axis(axis), keepdim=keepdims, correction=0)


def std(x, axis=None, keepdims=False):
    """Biased standard deviation over ``axis``."""
    x = _float(convert_to_tensor(x))
    return torch.std(x, dim=_axis(axis), keepdim=keepdims, correction=0)


def max(x, axis=None, keepdims=False, initial=None):
    """Largest element over ``axis``."""
    x = convert_to_tensor(x)
    out = torch.amax(x, dim=_axis(axis) if axis is not None else (), keepdim=keepdims)
    return out if initial is None else torch.clamp(out, min=initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Smallest element over ``axis``."""
    x = convert_to_tensor(x)
    out = torch.amin(x, dim=_axis(axis) if axis is not None else (), keepdim=keepdims)
    return out if initial is None else torch.clamp(out, max=initial)


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of the elements over ``axis``."""
    x = convert_to_tensor(x, dtype)
    if axis is None:
        return torch.prod(x)
    for a in sorted([axis] if isinstance(axis, int) else axis, reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims)
    return x


def all(x, axis=None, keepdims=False):
    """True where every element over ``axis`` is true."""
    x = convert_to_tensor(x)
    return torch.all(x) if axis is None else torch.all(x, dim=_axis(axis), keepdim=keepdims)


def any(x, axis=None, keepdims=False):
    """True where some element over ``axis`` is true."""
    x = convert_to_tensor(x)
    return torch.any(x) if axis is None else torch.any(x, dim=_axis(axis), keepdim=keepdims)


def argmax(x, axis=None, keepdims=False):
    """Index of the largest element along ``axis`` (of the flattened array when None)."""
    x = convert_to_tensor(x)
    if x.dtype is torch.bool:  # torch has no bool argmax; Keras compares them as uint8
        x = x.to(torch.uint8)
    return torch.argmax(x, dim=axis, keepdim=keepdims)


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest element along ``axis``."""
    x = convert_to_tensor(x)
    if x.dtype is torch.bool:
        x = x.to(torch.uint8)
    return torch.argmin(x, dim=axis, keepdim=keepdims)


def argsort(x, axis=-1):
    """Indices that sort ``x`` along ``axis``."""
    return torch.argsort(convert_to_tensor(x), dim=axis, stable=True)


def sort(x, axis=-1):
    """``x`` sorted along ``axis``."""
    return torch.sort(convert_to_tensor(x), dim=axis).values


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (of the flattened array when None)."""
    x = convert_to_tensor(x, dtype)
    if axis is None:
        return torch.cumsum(x.reshape(-1), dim=0)
    return torch.cumsum(x, dim=axis)


def cumprod(x, axis=None, dtype=None):
    """Cumulative product along ``axis`` (of the flattened array when None)."""
    x = convert_to_tensor(x, dtype)
    if axis is None:
        return torch.cumprod(x.reshape(-1), dim=0)
    return torch.cumprod(x, dim=axis)


def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]``."""
    return torch.clamp(convert_to_tensor(x), x_min, x_max)


def round(x, decimals=0):
    """``x`` rounded half to even."""
    return torch.round(convert_to_tensor(x), decimals=decimals)


def reshape(x, newshape):
    """``x`` with a new shape (one size may be -1)."""
    if isinstance(newshape, int):
        newshape = (newshape,)
    return torch.reshape(convert_to_tensor(x), tuple(newshape))


def transpose(x, axes=None):
    """``x`` with its axes permuted (reversed when ``axes`` is None)."""
    x = convert_to_tensor(x)
    if axes is None:
        return x.permute(*reversed(range(x.ndim)))
    return x.permute(*axes)


def swapaxes(x, axis1, axis2):
    """``x`` with two axes exchanged."""
    return torch.swapaxes(convert_to_tensor(x), axis1, axis2)


def moveaxis(x, source, destination):
    """``x`` with axes moved to new positions."""
    return torch.moveaxis(convert_to_tensor(x), source, destination)


def expand_dims(x, axis):
    """``x`` with a new axis of size 1 at ``axis``."""
    x = convert_to_tensor(x)
    for a in sorted([axis] if isinstance(axis, int) else axis):
        x = torch.unsqueeze(x, a)
    return x


def squeeze(x, axis=None):
    """``x`` without its axes of size 1 (only ``axis`` when given)."""
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    return torch.squeeze(x, dim=_axis(axis))


def concatenate(xs, axis=0):
    """Joins tensors along an existing axis."""
    return torch.cat([convert_to_tensor(x) for x in xs], dim=axis)


def stack(xs, axis=0):
    """Joins tensors along a new axis."""
    return torch.stack([convert_to_tensor(x) for x in xs], dim=axis)


def split(x, indices_or_sections, axis=0):
    """Splits ``x`` into equal sections, or at the given indices."""
    x = convert_to_tensor(x)
    if isinstance(indices_or_sections, int):
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, list(indices_or_sections), dim=axis))


def tile(x, repeats):
    """``x`` repeated ``repeats`` times along each axis."""
    return torch.tile(
        convert_to_tensor(x), tuple(repeats) if not isinstance(repeats, int) else (repeats,)
    )


def repeat(x, repeats, axis=None):
    """Each element repeated ``repeats`` times along ``axis``."""
    x = convert_to_tensor(x)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    return torch.repeat_interleave(x, repeats, dim=axis)


def take(x, indices, axis=None):
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened array when None)."""
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices, "int64")
    if axis is None:
        return torch.take(x, indices)
    axis = axis % x.ndim
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1 :])


def take_along_axis(x, indices, axis=None):
    """Elements of ``x`` picked by ``indices`` along ``axis``."""
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices, "int64")
    if axis is None:
        return torch.take(x, indices)
    return torch.take_along_dim(x, indices, dim=axis)


def zeros(shape, dtype=None):
    """A tensor of zeros."""
    return torch.zeros(_shape(shape), dtype=to_torch_dtype(dtype), device=_device())


def ones(shape, dtype=None):
    """A tensor of ones."""
    return torch.ones(_shape(shape), dtype=to_torch_dtype(dtype), device=_device())


def full(shape, fill_value, dtype=None):
    """A tensor filled with ``fill_value``."""
    return torch.full(_shape(shape), fill_value, dtype=to_torch_dtype(dtype), device=_device())


def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on the ``k``-th diagonal."""
    M = N if M is None else M
    out = torch.zeros((N, M), dtype=to_torch_dtype(dtype), device=_device())
    out.diagonal(k).fill_(1)
    return out


def identity(n, dtype=None):
    """The ``n`` by ``n`` identity matrix."""
    return eye(n, dtype=dtype)


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in ``[start, stop)``."""
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        is_int = builtins.all(isinstance(v, int) for v in (start, stop, step))
        dtype = "int64" if is_int else None
    return torch.arange(start, stop, step, dtype=to_torch_dtype(dtype), device=_device())


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    """``num`` evenly spaced values from ``start`` to ``stop``."""
    if not endpoint:
        stop = start + (stop - start) * (num - 1) / num
    return torch.linspace(start, stop, num, dtype=to_torch_dtype(dtype), device=_device())


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of ``x``."""
    return torch.diagonal(convert_to_tensor(x), offset, axis1, axis2)


def dot(x1, x2):
    """The dot product (matrix product for 2-D, sum over the last and first axes else)."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    return torch.tensordot(x1, x2, dims=([-1], [0 if x2.ndim == 1 else -2]))


def tensordot(x1, x2, axes=2):
    """Sum of products over the given axes."""
    return torch.tensordot(convert_to_tensor(x1), convert_to_tensor(x2), dims=axes)


def einsum(subscripts, *operands):
    """Einstein summation."""
    return torch.einsum(subscripts, *[convert_to_tensor(o) for o in operands])


def pad(x, pad_width, mode="constant", constant_values=None):
    """``x`` padded by ``pad_width`` (pairs of before/after sizes per axis, as NumPy)."""
    x = convert_to_tensor(x)
    pairs = [tuple(p) for p in pad_width]
    flat = []
    for before, after in reversed(pairs):
        flat.extend([before, after])
    value = 0 if constant_values is None else constant_values
    if mode == "constant":
        return torch.nn.functional.pad(x, flat, mode="constant", value=value)
    return torch.nn.functional.pad(x, flat, mode=mode)


def count_nonzero(x, axis=None):
    """Number of non-zero elements over ``axis``."""
    return torch.count_nonzero(convert_to_tensor(x), dim=_axis(axis))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with NaN and infinities replaced."""
    return torch.nan_to_num(convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


def size(x):
    """Number of elements."""
    return convert_to_tensor(x).numel()


def _shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _device():
    return get_device()


def diag(x, k=0):
    """The ``k``-th diagonal of a 2-D ``x``, or a 2-D tensor with a 1-D ``x`` on that diagonal."""
    return torch.diag(convert_to_tensor(x), diagonal=k)


def divide_no_nan(x1, x2):
    """``x1 / x2``, and 0 where ``x2`` is 0 (gradients stay finite there too)."""
    x1 = _float(convert_to_tensor(x1))
    x2 = convert_to_tensor(x2)
    zero = x2 == 0
    safe = torch.where(zero, torch.ones_like(x2), x2)
    return torch.where(zero, torch.zeros_like(x1), x1 / safe)


def broadcast_to(x, shape):
    """``x`` broadcast to ``shape`` (a view, no copy)."""
    return torch.broadcast_to(convert_to_tensor(x), _shape(shape))


def copy(x):
    """A copy of ``x`` that shares no memory with it."""
    return torch.clone(convert_to_tensor(x))


def flip(x, axis=None):
    """``x`` with the order of its elements reversed along ``axis`` (all axes when None)."""
    x = convert_to_tensor(x)
    if axis is None:
        return torch.flip(x, dims=tuple(range(x.ndim)))
    return torch.flip(x, dims=tuple(axis) if isinstance(axis, (list, tuple)) else (axis,))
