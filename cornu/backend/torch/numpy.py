"""NumPy-like operations on torch tensors, with Keras's names and signatures."""

import builtins

import torch

from cornu.backend.torch.core import convert_to_tensor, get_device, to_torch_dtype
from cornu.backend.torch.numpy_array import *  # noqa: F401,F403
from cornu.backend.torch.numpy_array import _sequence_dtype
from cornu.backend.torch.numpy_extra import *  # noqa: F401,F403
from cornu.backend.torch.numpy_stats import *  # noqa: F401,F403
from cornu.backend.torch.operands import (
    _TENSOR_OR_NUMBER,
    _number_dtype,
    _operands,
    _promote_pair,
    _promoted,
    _Tensor,
    _to_tensor,
)
from cornu.core.config import floatx
from cornu.core.dtypes import result_type

# Element-wise operations of one operand: a tensor goes straight to torch; anything else
# (NumPy arrays, lists, numbers) is converted as Keras converts it first.


def _unary(name, torch_fn, doc):
    def op(x):
        if not isinstance(x, _Tensor):
            x = _to_tensor(x)
        return torch_fn(x)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _abs(x):
    return x if x.dtype == torch.bool else torch.abs(x)  # booleans are their own magnitude


def _sqrt(x):
    return torch.sqrt(x.to(to_torch_dtype(floatx())) if x.dtype == torch.int64 else x)


def _square(x):
    return torch.square(x.to(torch.int32) if x.dtype == torch.bool else x)


def _rounding_dtype(x):
    # Keras rounds integers to floats: int64 to floatx(), the others to their float type.
    if x.dtype == torch.int64:
        return to_torch_dtype(floatx())
    return to_torch_dtype(result_type(x.dtype, float))


def _floor(x):
    if x.is_floating_point():
        return torch.floor(x)
    return torch.floor(x.to(_rounding_dtype(x)))


def _ceil(x):
    if x.is_floating_point() and not (x.dtype == torch.float16 and x.device.type == "cpu"):
        return torch.ceil(x)
    dtype = _rounding_dtype(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    elif x.dtype == torch.float16:
        x = x.to(to_torch_dtype(floatx()))
    return torch.ceil(x).to(dtype)


negative = _unary("negative", torch.neg, "``-x`` element-wise.")
logical_not = _unary("logical_not", torch.logical_not, "Element-wise logical NOT.")
abs = _unary("abs", _abs, "Absolute value, element-wise.")
absolute = _unary("absolute", _abs, "Absolute value, element-wise.")
sign = _unary("sign", torch.sign, "-1, 0 or 1 by the sign of ``x``, element-wise.")
sqrt = _unary("sqrt", _sqrt, "Square root, element-wise (integers give floats).")
rsqrt = _unary("rsqrt", torch.rsqrt, "``1 / sqrt(x)`` element-wise.")
square = _unary("square", _square, "``x * x`` element-wise.")
exp = _unary("exp", torch.exp, "``e ** x`` element-wise.")
expm1 = _unary("expm1", torch.expm1, "``exp(x) - 1`` element-wise, exact near zero.")
log = _unary("log", torch.log, "Natural logarithm, element-wise.")
log1p = _unary("log1p", torch.log1p, "``log(1 + x)`` element-wise, exact near zero.")
log2 = _unary("log2", torch.log2, "Base-2 logarithm, element-wise.")
log10 = _unary("log10", torch.log10, "Base-10 logarithm, element-wise.")
sin = _unary("sin", torch.sin, "Sine, element-wise.")
cos = _unary("cos", torch.cos, "Cosine, element-wise.")
tan = _unary("tan", torch.tan, "Tangent, element-wise.")
tanh = _unary("tanh", torch.tanh, "Hyperbolic tangent, element-wise.")
arctan = _unary("arctan", torch.arctan, "Inverse tangent, element-wise.")
floor = _unary("floor", _floor, "The largest integer not above ``x``, element-wise.")
ceil = _unary("ceil", _ceil, "The smallest integer not below ``x``, element-wise.")
isnan = _unary("isnan", torch.isnan, "True where ``x`` is NaN.")
isinf = _unary("isinf", torch.isinf, "True where ``x`` is infinite.")
isfinite = _unary("isfinite", torch.isfinite, "True where ``x`` is neither infinite nor NaN.")


def outer(x1, x2):
    """The outer product of the flattened ``x1`` and ``x2``."""
    return torch.outer(_to_tensor(x1).flatten(), _to_tensor(x2).flatten())


def tril(x, k=0):
    """``x`` with the elements above the ``k``-th diagonal zeroed."""
    return torch.tril(_to_tensor(x), diagonal=k)


def triu(x, k=0):
    """``x`` with the elements below the ``k``-th diagonal zeroed."""
    return torch.triu(_to_tensor(x), diagonal=k)


def zeros_like(x, dtype=None):
    """Zeros of ``x``'s shape and (unless ``dtype`` is given) dtype."""
    return torch.zeros_like(_to_tensor(x), dtype=to_torch_dtype(dtype) if dtype else None)


def ones_like(x, dtype=None):
    """Ones of ``x``'s shape and (unless ``dtype`` is given) dtype."""
    return torch.ones_like(_to_tensor(x), dtype=to_torch_dtype(dtype) if dtype else None)


def full_like(x, fill_value, dtype=None):
    """``fill_value`` in ``x``'s shape and (unless ``dtype`` is given) dtype."""
    x = _to_tensor(x)
    dtype = to_torch_dtype(dtype) if dtype else x.dtype
    if isinstance(fill_value, _Tensor):
        return torch.broadcast_to(fill_value.to(dtype), x.shape).clone()
    return torch.full_like(x, fill_value, dtype=dtype)


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


_SUM_AS_INT32 = frozenset({torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32})


def sum(x, axis=None, keepdims=False):
    """Sum of the elements over ``axis`` (all when None); booleans and integers narrower than
    64 bits give int32, as Keras."""
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], _Tensor):
        x = torch.stack(list(x))
    x = _to_tensor(x)
    if isinstance(axis, (list, tuple)) and len(axis) == 0:
        return x
    dtype = torch.int32 if x.dtype in _SUM_AS_INT32 else None
    if axis is None:
        return torch.sum(x, dtype=dtype)
    return torch.sum(x, dim=_axis(axis), keepdim=keepdims, dtype=dtype)


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


def all(x, axis=None, keepdims=False):
    """True where every element over ``axis`` is true."""
    x = _to_tensor(x)
    if isinstance(axis, (list, tuple)) and len(axis) == 0:
        return x.to(torch.bool)
    out = torch.all(x) if axis is None else torch.all(x, dim=_axis(axis), keepdim=keepdims)
    return out.to(torch.bool)


def any(x, axis=None, keepdims=False):
    """True where some element over ``axis`` is true."""
    x = _to_tensor(x)
    if isinstance(axis, (list, tuple)) and len(axis) == 0:
        return x.to(torch.bool)
    out = torch.any(x) if axis is None else torch.any(x, dim=_axis(axis), keepdim=keepdims)
    return out.to(torch.bool)


def sort(x, axis=-1):
    """``x`` sorted along ``axis``."""
    return torch.sort(convert_to_tensor(x), dim=axis).values


def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]`` (booleans become int32)."""
    x = _to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    elif x.dtype == torch.float16 and x.device.type == "cpu":
        return torch.clamp(x.float(), x_min, x_max).half()
    return torch.clamp(x, x_min, x_max)


def round(x, decimals=0):
    """``x`` rounded half to even (to ``decimals`` places; integers keep their dtype)."""
    x = _to_tensor(x)
    if not (x.is_floating_point() or x.is_complex() or x.dtype == torch.bool):
        rounded = torch.round(x.to(to_torch_dtype(floatx())), decimals=decimals)
        return rounded.to(x.dtype)
    return torch.round(x, decimals=decimals)


def reshape(x, newshape):
    """``x`` with a new shape (one size may be -1)."""
    if isinstance(newshape, int):
        newshape = (newshape,)
    return torch.reshape(convert_to_tensor(x), tuple(newshape))


def transpose(x, axes=None):
    """``x`` with its axes permuted (reversed when ``axes`` is None)."""
    x = convert_to_tensor(x)
    if axes is None:
        return x.permute(tuple(reversed(range(x.ndim))))
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


def stack(x, axis=0):
    """Joins tensors along a new axis."""
    return torch.stack([convert_to_tensor(t) for t in x], dim=axis)


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


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in ``[start, stop)``."""
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = result_type(*(getattr(v, "dtype", type(v)) for v in given))
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    return torch.arange(start, stop, step, dtype=to_torch_dtype(dtype), device=_device())


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` (``stop`` excluded unless
    ``endpoint``); tensors ``start`` and ``stop`` give one sequence per element. With
    ``retstep``, also the spacing."""
    dtype = to_torch_dtype(_sequence_dtype("linspace", start, stop, dtype, axis))
    step = float("nan")
    if endpoint:
        if num > 1:
            step = (stop - start) / (num - 1)
    else:
        if num > 0:
            step = (stop - start) / num
        if num > 1:
            stop = stop - (stop - start) / num
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        start, stop = _to_tensor(start).to(dtype), _to_tensor(stop).to(dtype)
        steps = torch.arange(num, dtype=dtype, device=start.device) / (num - 1)
        steps = steps.reshape((num,) + (1,) * start.ndim)
        out = start[None] + steps * (stop - start)[None]
    else:
        out = torch.linspace(start, stop, num, dtype=dtype, device=_device())
    if retstep is True:
        return out, step
    return out


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
    """Sum of products over the given axes (an int, or a pair of axis lists)."""
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    if isinstance(axes, (list, tuple)):
        first, second = axes
        axes = (
            tuple(first) if isinstance(first, (list, tuple)) else (first,),
            tuple(second) if isinstance(second, (list, tuple)) else (second,),
        )
    compute = to_torch_dtype(compute)
    out = torch.tensordot(x1.to(compute), x2.to(compute), dims=axes)
    return out.to(to_torch_dtype(dtype))


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation (int8 operands give int32, as Keras). Other backends' options
    (``kwargs``, such as JAX's ``optimize``) are accepted and have no effect on torch."""
    operands = [_to_tensor(o) for o in operands]
    if operands and builtins.all(o.dtype == torch.int8 for o in operands):
        compute = torch.int32 if operands[0].device.type == "cpu" else to_torch_dtype(floatx())
        out = torch.einsum(subscripts, *[o.to(compute) for o in operands])
        return out.to(torch.int32)
    return torch.einsum(subscripts, *operands)


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
    """Number (int32) of non-zero elements over ``axis``."""
    x = _to_tensor(x)
    if isinstance(axis, (list, tuple)) and len(axis) == 0:
        return torch.ne(x, 0).to(torch.int32)
    return torch.count_nonzero(x, dim=_axis(axis)).to(torch.int32)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with NaN and infinities replaced."""
    return torch.nan_to_num(convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


def size(x):
    """Number of elements, as Keras gives it: a 0-d int64 tensor."""
    return torch.tensor(_to_tensor(x).numel(), dtype=torch.int64, device=_device())


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
