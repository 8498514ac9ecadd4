"""NumPy-like array building, reshaping, joining, splitting and indexing on jax arrays, with
Keras's names, signatures and result dtypes."""

import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import to_jax_dtype
from cornu.backend.jax.operands import (
    _array,
    _cast,
    _dtype_of,
    _is_concrete,
    _name,
    _pair,
    _promote,
    _strong_pair,
)
from cornu.core.config import floatx
from cornu.core.dtypes import result_type

__all__ = [
    "append",
    "argpartition",
    "array",
    "array_split",
    "cross",
    "diagflat",
    "diff",
    "dsplit",
    "dstack",
    "empty",
    "empty_like",
    "fliplr",
    "flipud",
    "geomspace",
    "get_item",
    "hsplit",
    "hstack",
    "inner",
    "kron",
    "logspace",
    "meshgrid",
    "ndim",
    "nonzero",
    "ravel",
    "roll",
    "rot90",
    "searchsorted",
    "select",
    "slogdet",
    "tri",
    "unique",
    "unravel_index",
    "vander",
    "vdot",
    "vectorize",
    "view",
    "vsplit",
    "vstack",
]


def array(x, dtype=None):
    """``x`` as an array (of ``dtype`` when given)."""
    return _array(x, dtype)


def empty(shape, dtype=None):
    """An array of ``shape`` (``floatx()`` when ``dtype`` is None); jax fills it with zeros."""
    return jnp.empty(shape, dtype=to_jax_dtype(dtype or floatx()))


def empty_like(x, dtype=None):
    """An array of ``x``'s shape and (unless given) dtype; jax fills it with zeros."""
    x = _array(x)
    return jnp.empty_like(x, dtype=to_jax_dtype(dtype) if dtype else None)


def tri(N, M=None, k=0, dtype=None):
    """An ``N x M`` array with ones at and below the ``k``-th diagonal."""
    return jnp.tri(N, M=M, k=k, dtype=to_jax_dtype(dtype or floatx()))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` numbers spaced evenly on a log scale from ``start`` to ``stop``."""
    out = jnp.geomspace(
        _array(start, floatx()), _array(stop, floatx()), num=num, endpoint=endpoint, axis=axis
    )
    return _cast(out, dtype or floatx())


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``."""
    dtype = dtype or result_type(_dtype_of(start), _dtype_of(stop), float)
    out = jnp.logspace(
        _array(start, floatx()),
        _array(stop, floatx()),
        num=num,
        endpoint=endpoint,
        base=base,
        axis=axis,
    )
    return _cast(out, dtype)


def append(x1, x2, axis=None):
    """``x2`` appended to ``x1`` along ``axis`` (both flattened when None)."""
    x1, x2 = _strong_pair(x1, x2)
    return jnp.append(x1, x2, axis=axis)


def _joined(xs):
    dtype = _promote(*(_dtype_of(x) for x in xs))
    return [_array(x, dtype) for x in xs]


def hstack(xs):
    """The arrays joined column-wise (along axis 1, or 0 for 1-D arrays)."""
    return jnp.hstack(_joined(xs))


def vstack(xs):
    """The arrays joined row-wise (along axis 0, 1-D arrays as rows)."""
    return jnp.vstack(_joined(xs))


def dstack(xs):
    """The arrays joined depth-wise (along axis 2)."""
    return jnp.dstack(_joined(xs))


def array_split(x, indices_or_sections, axis=0):
    """``x`` split into ``indices_or_sections`` parts along ``axis``; the first parts are one
    longer when the length does not divide evenly."""
    if not isinstance(indices_or_sections, int):
        raise TypeError(
            "array_split: argument `indices_or_sections` must be of type `int`. Received: "
            f"indices_or_sections={indices_or_sections}"
        )
    if indices_or_sections <= 0:
        raise ValueError(
            "array_split: argument `indices_or_sections` must be a positive integer. "
            f"Received: indices_or_sections={indices_or_sections}"
        )
    if not isinstance(axis, int):
        raise TypeError(f"array_split: argument `axis` must be of type `int`. Received: {axis}")
    return list(jnp.array_split(_array(x), indices_or_sections, axis=axis))


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    return [int(i) for i in indices_or_sections]


def hsplit(x, indices_or_sections):
    """``x`` split column-wise."""
    return list(jnp.hsplit(_array(x), _sections(indices_or_sections)))


def vsplit(x, indices_or_sections):
    """``x`` split row-wise."""
    return list(jnp.vsplit(_array(x), _sections(indices_or_sections)))


def dsplit(x, indices_or_sections):
    """``x`` split depth-wise (along axis 2)."""
    return list(jnp.dsplit(_array(x), _sections(indices_or_sections)))


def diagflat(x, k=0):
    """A 2-D array with flattened ``x`` on the ``k``-th diagonal."""
    return jnp.diagflat(_array(x), k=k)


def diff(a, n=1, axis=-1):
    """The ``n``-th discrete difference along ``axis``."""
    return jnp.diff(_array(a), n=n, axis=axis)


def _at_least_2d(name, x):
    x = _array(x)
    if x.ndim < 2:
        raise ValueError(f"{name}: input must have 2 or more dimensions. Received: x.ndim={x.ndim}")
    return x


def fliplr(x):
    """``x`` with axis 1 reversed."""
    return jnp.fliplr(_at_least_2d("fliplr", x))


def flipud(x):
    """``x`` with axis 0 reversed."""
    return jnp.flipud(_array(x))


def rot90(array, k=1, axes=(0, 1)):
    """``array`` rotated by 90 degrees ``k`` times in the plane of ``axes``."""
    array = _array(array)
    if array.ndim < 2:
        raise ValueError(
            f"rot90: input array must have at least 2 dimensions. Received: array.ndim={array.ndim}"
        )
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(
            f"rot90: invalid axes: {axes}. Axes must be a tuple of two different dimensions."
        )
    axes = tuple(a + array.ndim if a < 0 else a for a in axes)
    if not all(0 <= a < array.ndim for a in axes):
        raise ValueError(f"rot90: invalid axes {axes} for a tensor with {array.ndim} dimensions")
    return jnp.rot90(array, k=k, axes=axes)


def roll(x, shift, axis=None):
    """``x`` rolled by ``shift`` places along ``axis`` (flattened when None)."""
    if isinstance(shift, list):
        shift = tuple(shift)
    if isinstance(axis, list):
        axis = tuple(axis)
    return jnp.roll(_array(x), shift, axis=axis)


def ravel(x):
    """``x`` flattened to 1-D."""
    return jnp.ravel(_array(x))


def ndim(x):
    """The number of axes of ``x``."""
    return jnp.ndim(_array(x))


def view(x, dtype=None):
    """``x``'s memory reinterpreted as ``dtype``; the last axis scales by the ratio of item
    sizes."""
    return _array(x).view(to_jax_dtype(dtype or floatx()))


def _key(key):
    """An index key with foreign arrays (NumPy, torch, Variables) as jax arrays."""
    if isinstance(key, list):
        key = tuple(key)
    if isinstance(key, tuple):
        return tuple(_key(k) for k in key)
    if key is None or isinstance(key, (int, slice, type(Ellipsis), np.integer)):
        return key
    if hasattr(key, "__array__") or hasattr(key, "dtype"):
        return _array(key)
    return key


def get_item(x, key):
    """``x[key]``."""
    return _array(x)[_key(key)]


def nonzero(x):
    """The indices (int32) of the non-zero elements, one row per axis (eagerly only: the
    number of them sets the shape)."""
    x = _array(x)
    if not x.ndim:
        return jnp.zeros((0, 0), jnp.int32)
    return _cast(jnp.stack(jnp.nonzero(x)), "int32")


def argpartition(x, kth, axis=-1):
    """Indices (int32) that partition ``x`` along ``axis``: the ``kth`` smallest element at
    position ``kth``, smaller ones before it, the others after."""
    if not isinstance(kth, int):
        raise ValueError(f"argpartition: kth must be an integer. Received: kth={kth}")
    # As Keras on torch: the kth + 1 smallest (in order) first, then the others by position.
    x = _cast(_array(x), "int32")
    if axis is None:
        x, axis = x.reshape(-1), 0
    x = jnp.moveaxis(x, axis, -1)
    n = x.shape[-1]
    # ties: the later position first, as torch's topk orders them
    order = n - 1 - jnp.argsort(x[..., ::-1], axis=-1, stable=True)
    bottom = order[..., : kth + 1]
    rest = jnp.put_along_axis(jnp.ones(x.shape, bool), bottom, False, axis=-1, inplace=False)
    others = jnp.argsort(~rest, axis=-1, stable=True)[..., : n - kth - 1]
    out = jnp.concatenate([bottom, others], axis=-1)
    return _cast(jnp.moveaxis(out, -1, axis), "int32")


def searchsorted(sorted_sequence, values, side="left"):
    """The indices (int32) where ``values`` would be inserted to keep the 1-D
    ``sorted_sequence`` sorted."""
    sorted_sequence = _array(sorted_sequence)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "`searchsorted` only supports 1-D sorted sequences. You can use "
            "`keras.ops.vectorized_map` to extend it to N-D sequences. Received: "
            f"sorted_sequence.shape={sorted_sequence.shape}"
        )
    out = jnp.searchsorted(sorted_sequence, _array(values), side=side)
    return _cast(out, "int32")


def unravel_index(indices, shape):
    """The coordinates in an array of ``shape`` of the flat ``indices``, one array per axis."""
    indices = _array(indices)
    dtype = result_type(_name(indices))
    return tuple(_cast(i, dtype) for i in jnp.unravel_index(indices, tuple(shape)))


def select(condlist, choicelist, default=0):
    """Elements of ``choicelist`` picked by the first true condition of ``condlist``,
    ``default`` where none is true."""
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError(
            "select: condlist and choicelist must be lists. Received: "
            f"type(condlist) = {type(condlist)}, type(choicelist) = {type(choicelist)}"
        )
    if not condlist or not choicelist:
        raise ValueError(
            "select: condlist and choicelist must not be empty. Received: "
            f"condlist = {condlist}, choicelist = {choicelist}"
        )
    if len(condlist) != len(choicelist):
        raise ValueError(
            "select: condlist and choicelist must have the same length. Received: "
            f"len(condlist)={len(condlist)}, len(choicelist)={len(choicelist)}"
        )
    # As Keras on torch: the choices and ``default`` (a Python number is a weak type) promote.
    dtype = _promote(*(_dtype_of(c) for c in choicelist), _dtype_of(default))
    choices = [_array(c, dtype) for c in choicelist]
    conds = [_array(c, "bool") for c in condlist]
    return jnp.select(conds, choices, default=_array(default, dtype))


def slogdet(x):
    """The sign and the natural log of the absolute determinant."""
    sign, logdet = jnp.linalg.slogdet(_array(x))
    return sign, logdet


def inner(x1, x2):
    """The inner product over the last axes."""
    x1, x2 = _strong_pair(x1, x2)
    return jnp.inner(x1, x2)


def vdot(x1, x2):
    """The dot product of the flattened arrays (conjugating the first)."""
    dtype = result_type(_dtype_of(x1), _dtype_of(x2))
    return jnp.vdot(_array(x1, dtype), _array(x2, dtype))


def kron(x1, x2):
    """The Kronecker product."""
    x1, x2 = _strong_pair(x1, x2)
    if x1.dtype == jnp.bool_:  # jax multiplies no booleans: AND them as integers
        return _cast(jnp.kron(_cast(x1, "int32"), _cast(x2, "int32")), "bool")
    return jnp.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (or 2-vectors) along the given axes."""
    x1, x2 = _pair(x1, x2)
    if axis is None and (axisa, axisb, axisc) == (-1, -1, -1):
        # As Keras on torch: the first axis of size 3 of the broadcast shape.
        shape = np.broadcast_shapes(x1.shape, x2.shape)
        axis = next((i for i, d in enumerate(shape) if d == 3), -1)
        if axis != -1:
            axis -= len(shape)
    return jnp.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-D ``x`` (powers decreasing unless ``increasing``)."""
    x = _array(x)
    if x.ndim != 1:
        raise ValueError(
            f"vander: input tensor must be 1-dimensional. Received: input.shape={tuple(x.shape)}"
        )
    if N is not None:
        if not isinstance(N, int):
            raise TypeError(
                f"vander: argument `N` must be of type `int`. Received: N={N} of type {type(N)}"
            )
        if N < 0:
            raise ValueError(f"vander: argument `N` must be nonnegative. Received: N={N}")
    if not isinstance(increasing, bool):
        raise TypeError(
            "vander: argument `increasing` must be of type `bool`. Received: "
            f"increasing={increasing} of type {type(increasing)}"
        )
    dtype = result_type(_name(x))
    compute = result_type(dtype, floatx())
    return _cast(jnp.vander(_cast(x, compute), N=N, increasing=increasing), dtype)


def meshgrid(*x, indexing="xy"):
    """Coordinate arrays from 1-D coordinate vectors (``indexing``: "xy" or "ij")."""
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"meshgrid: valid values for `indexing` are 'xy' and 'ij'. Received: {indexing!r}"
        )
    return list(jnp.meshgrid(*_joined(list(x)), indexing=indexing))


def _fit(values, size, fill, dim=0):
    """``values`` truncated or padded (with ``fill``) to ``size`` along ``dim``."""
    found = values.shape[dim]
    if found >= size:
        return jnp.take(values, jnp.arange(size), axis=dim)
    width = [(0, 0)] * values.ndim
    width[dim] = (0, size - found)
    return jnp.pad(values, width, constant_values=fill)


def unique(
    x,
    sorted=True,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    """The sorted unique elements of ``x`` (along ``axis``), and optionally the first indices,
    the inverse indices and the counts; ``size`` pads (with ``fill_value``) or truncates.
    Inside ``jax.jit`` the output shape must be static: give ``size``."""
    x = _array(x)
    if not _is_concrete(x) and size is None:
        raise ValueError(
            "unique: inside `jax.jit` the number of unique values must be static. Pass "
            "`size` (and `fill_value`) or call `unique` eagerly."
        )
    flags = dict(
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
    )
    if _is_concrete(x):
        out = jnp.unique(x, **flags)
    else:
        out = jnp.unique(x, size=size, fill_value=fill_value, **flags)
    out = list(out) if (return_index or return_inverse or return_counts) else [out]
    if return_inverse and axis is None:
        index = 1 + int(return_index)
        out[index] = out[index].reshape(x.shape)
    if size is not None and _is_concrete(x):
        dim = 0 if axis is None else axis % x.ndim
        out[0] = _fit(out[0], size, 0 if fill_value is None else fill_value, dim)
        if return_index:
            out[1] = _fit(out[1], size, 1)
        if return_counts:
            out[-1] = _fit(out[-1], size, 0)
    return out[0] if len(out) == 1 else tuple(out)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` made to map over the leading (broadcast) axes of its array arguments;
    ``signature`` (as ``"(n),(n)->()"``) names the core axes each argument keeps, and
    ``excluded`` the positions or names of arguments passed as they are."""
    if not callable(pyfunc):
        raise ValueError(f"Expected argument `pyfunc` to be a callable. Received: pyfunc={pyfunc}")
    return jnp.vectorize(pyfunc, excluded=frozenset(excluded or ()), signature=signature)
