"""NumPy-like array building, reshaping, joining, splitting and indexing on NumPy arrays, with
Keras's names, signatures and result dtypes."""

import numpy as np

from cornu.backend.numpy.core import to_numpy_dtype
from cornu.backend.numpy.operands import _array, _cast, _dtype_of, _name, _pair, _promote
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
    """An uninitialized array of ``shape`` (``floatx()`` when ``dtype`` is None)."""
    return np.empty(shape, dtype=to_numpy_dtype(dtype or floatx()))


def empty_like(x, dtype=None):
    """An uninitialized array of ``x``'s shape and (unless given) dtype."""
    x = _array(x)
    return np.empty_like(x, dtype=to_numpy_dtype(dtype) if dtype else None)


def tri(N, M=None, k=0, dtype=None):
    """An ``N x M`` array with ones at and below the ``k``-th diagonal."""
    return np.tri(N, M=M, k=k, dtype=to_numpy_dtype(dtype or floatx()))


def _spacing_dtype(start, stop, dtype):
    if dtype is not None:
        return to_numpy_dtype(dtype)
    return to_numpy_dtype(_promote(_dtype_of(start), _dtype_of(stop), float))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` numbers spaced evenly on a log scale from ``start`` to ``stop``."""
    dtype = to_numpy_dtype(dtype or floatx())
    out = np.geomspace(_array(start), _array(stop), num=num, endpoint=endpoint, axis=axis)
    return out.astype(dtype)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``."""
    dtype = to_numpy_dtype(dtype or result_type(_dtype_of(start), _dtype_of(stop), float))
    out = np.logspace(_array(start), _array(stop), num=num, endpoint=endpoint, base=base, axis=axis)
    return out.astype(dtype)


def append(x1, x2, axis=None):
    """``x2`` appended to ``x1`` along ``axis`` (both flattened when None)."""
    x1, x2 = _pair(x1, x2)
    return np.append(x1, x2, axis=axis)


def _joined(xs):
    dtype = to_numpy_dtype(_promote(*(_dtype_of(x) for x in xs)))
    return [_array(x, dtype) for x in xs]


def hstack(xs):
    """The arrays joined column-wise (along axis 1, or 0 for 1-D arrays)."""
    return np.hstack(_joined(xs))


def vstack(xs):
    """The arrays joined row-wise (along axis 0, 1-D arrays as rows)."""
    return np.vstack(_joined(xs))


def dstack(xs):
    """The arrays joined depth-wise (along axis 2)."""
    return np.dstack(_joined(xs))


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
    return list(np.array_split(_array(x), indices_or_sections, axis=axis))


def hsplit(x, indices_or_sections):
    """``x`` split column-wise."""
    return list(np.hsplit(_array(x), indices_or_sections))


def vsplit(x, indices_or_sections):
    """``x`` split row-wise."""
    return list(np.vsplit(_array(x), indices_or_sections))


def dsplit(x, indices_or_sections):
    """``x`` split depth-wise (along axis 2)."""
    return list(np.dsplit(_array(x), indices_or_sections))


def diagflat(x, k=0):
    """A 2-D array with flattened ``x`` on the ``k``-th diagonal."""
    return np.diagflat(_array(x), k=k)


def diff(a, n=1, axis=-1):
    """The ``n``-th discrete difference along ``axis``."""
    return np.diff(_array(a), n=n, axis=axis)


def _at_least_2d(name, x):
    x = _array(x)
    if x.ndim < 2:
        raise ValueError(f"{name}: input must have 2 or more dimensions. Received: x.ndim={x.ndim}")
    return x


def fliplr(x):
    """``x`` with axis 1 reversed."""
    return np.fliplr(_at_least_2d("fliplr", x)).copy()


def flipud(x):
    """``x`` with axis 0 reversed."""
    return np.flipud(_array(x)).copy()


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
    return np.rot90(array, k=k, axes=axes).copy()


def roll(x, shift, axis=None):
    """``x`` rolled by ``shift`` places along ``axis`` (flattened when None)."""
    return np.roll(_array(x), shift, axis=axis)


def ravel(x):
    """``x`` flattened to 1-D."""
    return np.ravel(_array(x))


def ndim(x):
    """The number of axes of ``x``."""
    return np.ndim(_array(x))


def view(x, dtype=None):
    """``x``'s memory reinterpreted as ``dtype``; the last axis scales by the ratio of item
    sizes."""
    return _array(x).view(to_numpy_dtype(dtype or floatx()))


def get_item(x, key):
    """``x[key]``."""
    if isinstance(key, list):
        key = tuple(key)
    return np.asarray(_array(x)[key])


def nonzero(x):
    """The indices (int32) of the non-zero elements, one row per axis."""
    x = _array(x)
    return np.stack(np.nonzero(x)).astype("int32") if x.ndim else np.zeros((0, 0), "int32")


def argpartition(x, kth, axis=-1):
    """Indices (int32) that partition ``x`` along ``axis``: the ``kth`` smallest element at
    position ``kth``, smaller ones before it, the others after."""
    if not isinstance(kth, int):
        raise ValueError(f"argpartition: kth must be an integer. Received: kth={kth}")
    # As Keras on torch: the kth + 1 smallest (in order) first, then the others by position.
    x = _cast(_array(x), "int32")
    if axis is None:
        x, axis = x.reshape(-1), 0
    x = np.moveaxis(x, axis, -1)
    # ties: the later position first, as torch's topk orders them
    order = x.shape[-1] - 1 - np.argsort(x[..., ::-1], axis=-1, kind="stable")
    bottom = order[..., : kth + 1]
    rest = np.ones(x.shape, bool)
    np.put_along_axis(rest, bottom, False, axis=-1)
    others = np.argsort(~rest, axis=-1, kind="stable")[..., : x.shape[-1] - kth - 1]
    out = np.concatenate([bottom, others], axis=-1)
    return np.moveaxis(out, -1, axis).astype("int32")


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
    dtype = "int32" if sorted_sequence.shape[0] <= np.iinfo(np.int32).max else "int64"
    return np.searchsorted(sorted_sequence, _array(values), side=side).astype(dtype)


def unravel_index(indices, shape):
    """The coordinates in an array of ``shape`` of the flat ``indices``, one array per axis."""
    indices = _array(indices)
    dtype = to_numpy_dtype(result_type(_name(indices)))
    return tuple(i.astype(dtype) for i in np.unravel_index(indices, shape))


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
    choices = _joined(list(choicelist))
    out = np.select([_array(c) for c in condlist], choices, default=default)
    return out.astype(choices[0].dtype) if choices else out


def slogdet(x):
    """The sign and the natural log of the absolute determinant."""
    sign, logdet = np.linalg.slogdet(_array(x))
    return np.asarray(sign), np.asarray(logdet)


def inner(x1, x2):
    """The inner product over the last axes."""
    x1, x2 = _pair(x1, x2)
    return np.asarray(np.inner(x1, x2))


def vdot(x1, x2):
    """The dot product of the flattened arrays (conjugating the first)."""
    dtype = to_numpy_dtype(result_type(_dtype_of(x1), _dtype_of(x2)))
    return np.asarray(np.vdot(_array(x1, dtype), _array(x2, dtype)))


def kron(x1, x2):
    """The Kronecker product."""
    x1, x2 = _pair(x1, x2)
    return np.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (or 2-vectors) along the given axes."""
    x1, x2 = _pair(x1, x2)
    if axis is None and (axisa, axisb, axisc) == (-1, -1, -1):
        # As Keras on torch: the first axis of size 3 of the broadcast shape.
        shape = np.broadcast_shapes(x1.shape, x2.shape)
        axis = next((i for i, d in enumerate(shape) if d == 3), -1)
        if axis != -1:
            axis -= len(shape)
    return np.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


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
    return _cast(np.vander(_cast(x, compute), N=N, increasing=increasing), dtype)


def meshgrid(*x, indexing="xy"):
    """Coordinate arrays from 1-D coordinate vectors (``indexing``: "xy" or "ij")."""
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"meshgrid: valid values for `indexing` are 'xy' and 'ij'. Received: {indexing!r}"
        )
    return [g.copy() for g in np.meshgrid(*_joined(list(x)), indexing=indexing)]


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
    the inverse indices and the counts; ``size`` pads (with ``fill_value``) or truncates."""
    x = _array(x)
    out = np.unique(
        x,
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
    )
    out = list(out) if (return_index or return_inverse or return_counts) else [out]
    if size is not None:
        dim = 0 if axis is None else axis % x.ndim
        found = out[0].shape[dim]
        if found > size:
            take = [slice(None)] * out[0].ndim
            take[dim] = slice(0, size)
            out[0] = out[0][tuple(take)]
            if return_index:
                out[1] = out[1][:size]
            if return_counts:
                out[-1] = out[-1][:size]
        elif found < size:
            width = [(0, 0)] * out[0].ndim
            width[dim] = (0, size - found)
            fill = 0 if fill_value is None else fill_value
            out[0] = np.pad(out[0], width, constant_values=fill)
            if return_index:
                out[1] = np.pad(out[1], (0, size - found), constant_values=1)
            if return_counts:
                out[-1] = np.pad(out[-1], (0, size - found), constant_values=0)
    return out[0] if len(out) == 1 else tuple(out)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` made to map over the leading (broadcast) axes of its array arguments;
    ``signature`` (as ``"(n),(n)->()"``) names the core axes each argument keeps, and
    ``excluded`` the positions or names of arguments passed as they are."""
    if not callable(pyfunc):
        raise ValueError(f"Expected argument `pyfunc` to be a callable. Received: pyfunc={pyfunc}")
    mapped = np.vectorize(pyfunc, excluded=excluded, signature=signature)

    def wrapped(*args, **kwargs):
        return np.asarray(mapped(*args, **kwargs))

    return wrapped
