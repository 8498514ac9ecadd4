"""NumPy-like array building, reshaping, joining, splitting and indexing on TensorFlow tensors,
with Keras's names, signatures and result dtypes."""

import re

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp
from tensorflow.python.ops.numpy_ops import np_array_ops

from cornu.backend.tensorflow.core import to_tf_dtype
from cornu.backend.tensorflow.operands import (
    _array,
    _cast,
    _computed,
    _dtype_of,
    _name,
    _pair,
    _promote,
    _split_sizes,
    _static,
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
    """``x`` as a tensor (of ``dtype`` when given)."""
    return _array(x, dtype)


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def empty(shape, dtype=None):
    """A tensor of ``shape`` (``floatx()`` when ``dtype`` is None); TensorFlow fills it with
    zeros."""
    return tf.zeros(_shape(shape), dtype=to_tf_dtype(dtype or floatx()))


def empty_like(x, dtype=None):
    """A tensor of ``x``'s shape and (unless given) dtype; TensorFlow fills it with zeros."""
    x = _array(x)
    return tf.zeros(tf.shape(x), dtype=to_tf_dtype(dtype) if dtype else x.dtype)


def tri(N, M=None, k=0, dtype=None):
    """An ``N x M`` tensor with ones at and below the ``k``-th diagonal."""
    M = N if M is None else M
    i = tf.range(N)[:, None]
    j = tf.range(M)[None, :]
    return tf.cast(j - i <= k, to_tf_dtype(dtype or floatx()))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` numbers spaced evenly on a log scale from ``start`` to ``stop``."""
    out = tnp.geomspace(
        _array(start, floatx()), _array(stop, floatx()), num=num, endpoint=endpoint, axis=axis
    )
    return _cast(out, dtype or floatx())


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``."""
    dtype = dtype or result_type(_dtype_of(start), _dtype_of(stop), float)
    out = tnp.logspace(
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
    if axis is None:
        return tf.concat([tf.reshape(x1, (-1,)), tf.reshape(x2, (-1,))], 0)
    return tf.concat([x1, x2], axis)


def _joined(xs):
    dtype = _promote(*(_dtype_of(x) for x in xs))
    return [_array(x, dtype) for x in xs]


def hstack(xs):
    """The tensors joined column-wise (along axis 1, or 0 for 1-D tensors)."""
    xs = _joined(xs)
    return tf.concat(xs, 0 if xs[0].shape.rank == 1 else 1)


def vstack(xs):
    """The tensors joined row-wise (along axis 0, 1-D tensors as rows)."""
    return tf.concat([tnp.atleast_2d(x) for x in _joined(xs)], 0)


def dstack(xs):
    """The tensors joined depth-wise (along axis 2)."""
    return tf.concat([tnp.atleast_3d(x) for x in _joined(xs)], 2)


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
    x = _array(x)
    return list(tf.split(x, _split_sizes(x.shape[axis], indices_or_sections), axis=axis))


def _even_split(name, x, indices_or_sections, axis):
    x = _array(x)
    if isinstance(indices_or_sections, (int, np.integer)) and x.shape[axis] is not None:
        if x.shape[axis] % int(indices_or_sections):
            raise ValueError(
                f"{name}: the axis of length {x.shape[axis]} does not split into "
                f"{indices_or_sections} equal parts."
            )
    return list(tf.split(x, _split_sizes(x.shape[axis], indices_or_sections), axis=axis))


def hsplit(x, indices_or_sections):
    """``x`` split column-wise."""
    x = _array(x)
    return _even_split("hsplit", x, indices_or_sections, 0 if x.shape.rank == 1 else 1)


def vsplit(x, indices_or_sections):
    """``x`` split row-wise."""
    return _even_split("vsplit", x, indices_or_sections, 0)


def dsplit(x, indices_or_sections):
    """``x`` split depth-wise (along axis 2)."""
    return _even_split("dsplit", x, indices_or_sections, 2)


def diagflat(x, k=0):
    """A 2-D tensor with flattened ``x`` on the ``k``-th diagonal."""
    return tf.linalg.diag(tf.reshape(_array(x), (-1,)), k=k)


def diff(a, n=1, axis=-1):
    """The ``n``-th discrete difference along ``axis``."""
    a = _array(a)
    for _ in range(n):
        size = tf.shape(a)[axis]
        hi = tf.gather(a, tf.range(1, size), axis=axis)
        lo = tf.gather(a, tf.range(0, size - 1), axis=axis)
        if a.dtype == tf.bool:
            a = tf.math.logical_xor(hi, lo)
        else:
            a = _computed(tf.subtract, _name(a), hi, lo)
    return a


def _at_least_2d(name, x):
    x = _array(x)
    if x.shape.rank < 2:
        raise ValueError(
            f"{name}: input must have 2 or more dimensions. Received: x.ndim={x.shape.rank}"
        )
    return x


def fliplr(x):
    """``x`` with axis 1 reversed."""
    return tf.reverse(_at_least_2d("fliplr", x), [1])


def flipud(x):
    """``x`` with axis 0 reversed."""
    return tf.reverse(_array(x), [0])


def rot90(array, k=1, axes=(0, 1)):
    """``array`` rotated by 90 degrees ``k`` times in the plane of ``axes``."""
    array = _array(array)
    rank = array.shape.rank
    if rank < 2:
        raise ValueError(
            f"rot90: input array must have at least 2 dimensions. Received: array.ndim={rank}"
        )
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(
            f"rot90: invalid axes: {axes}. Axes must be a tuple of two different dimensions."
        )
    axes = tuple(a + rank if a < 0 else a for a in axes)
    if not all(0 <= a < rank for a in axes):
        raise ValueError(f"rot90: invalid axes {axes} for a tensor with {rank} dimensions")
    k %= 4
    a0, a1 = axes
    perm = list(range(rank))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return tf.transpose(tf.reverse(array, [a1]), perm)
    if k == 2:
        return tf.reverse(array, [a0, a1])
    if k == 3:
        return tf.reverse(tf.transpose(array, perm), [a1])
    return array


def roll(x, shift, axis=None):
    """``x`` rolled by ``shift`` places along ``axis`` (flattened when None)."""
    x = _array(x)
    if axis is None:
        return tf.reshape(tf.roll(tf.reshape(x, (-1,)), shift, 0), tf.shape(x))
    return tf.roll(x, shift, axis)


def ravel(x):
    """``x`` flattened to 1-D."""
    return tf.reshape(_array(x), (-1,))


def ndim(x):
    """The number of axes of ``x``."""
    return _array(x).shape.rank


def view(x, dtype=None):
    """``x``'s memory reinterpreted as ``dtype``; the last axis scales by the ratio of item
    sizes."""
    x = _array(x)
    target = to_tf_dtype(dtype or floatx())
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.uint8)  # the same bytes
    as_bool = target == tf.bool
    if as_bool:
        target = tf.uint8
    src, dst = x.dtype.size, target.size
    if src == dst:
        out = tf.bitcast(x, target)
    elif src > dst:
        out = tf.bitcast(x, target)
        out = tf.reshape(out, tf.concat([tf.shape(x)[:-1], [-1]], 0))
    else:
        ratio = dst // src
        grouped = tf.reshape(x, tf.concat([tf.shape(x)[:-1], [-1, ratio]], 0))
        out = tf.bitcast(grouped, target)
    return tf.cast(out, tf.bool) if as_bool else out


def _key(key):
    """An index key with foreign arrays (NumPy, torch, Variables) as tensors."""
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
    """``x[key]`` with NumPy's indexing (integer and boolean arrays included)."""
    return np_array_ops._getitem(_array(x), _key(key))


def nonzero(x):
    """The indices (int32) of the non-zero elements, one row per axis."""
    x = _array(x)
    if not x.shape.rank:
        return tf.zeros((0, 0), tf.int32)
    return tf.cast(tf.transpose(tf.where(tf.cast(x, tf.bool))), tf.int32)


def argpartition(x, kth, axis=-1):
    """Indices (int32) that partition ``x`` along ``axis``: the ``kth`` smallest element at
    position ``kth``, smaller ones before it, the others after."""
    if not isinstance(kth, int):
        raise ValueError(f"argpartition: kth must be an integer. Received: kth={kth}")
    # As Keras on torch: the kth + 1 smallest (in order) first, then the others by position.
    x = _cast(_array(x), "int32")
    if axis is None:
        x, axis = tf.reshape(x, (-1,)), 0
    x = tnp.moveaxis(x, axis, -1)
    n = x.shape[-1]
    # ties: the later position first, as torch's topk orders them
    order = n - 1 - tf.argsort(tf.reverse(x, [-1]), axis=-1, stable=True)
    bottom = order[..., : kth + 1]
    taken = tf.reduce_any(tf.cast(tf.one_hot(bottom, n, dtype=tf.int32), tf.bool), axis=-2)
    others = tf.argsort(tf.cast(taken, tf.int32), axis=-1, stable=True)[..., : n - kth - 1]
    out = tf.concat([bottom, others], axis=-1)
    return tf.cast(tnp.moveaxis(out, -1, axis), tf.int32)


def searchsorted(sorted_sequence, values, side="left"):
    """The indices (int32) where ``values`` would be inserted to keep the 1-D
    ``sorted_sequence`` sorted."""
    sorted_sequence = _array(sorted_sequence)
    if sorted_sequence.shape.rank != 1:
        raise ValueError(
            "`searchsorted` only supports 1-D sorted sequences. You can use "
            "`keras.ops.vectorized_map` to extend it to N-D sequences. Received: "
            f"sorted_sequence.shape={tuple(sorted_sequence.shape)}"
        )
    sorted_sequence, values = _pair(sorted_sequence, values)
    flat = tf.reshape(values, (1, -1))
    out = tf.searchsorted(sorted_sequence[None], flat, side=side, out_type=tf.int32)
    return tf.reshape(out, tf.shape(values))


def unravel_index(indices, shape):
    """The coordinates in a tensor of ``shape`` of the flat ``indices``, one tensor per axis."""
    indices = _array(indices)
    dtype = result_type(_name(indices))
    rest = _cast(indices, "int64")
    coords = []
    for dim in reversed(tuple(shape)):
        coords.append(tf.math.floormod(rest, dim))
        rest = tf.math.floordiv(rest, dim)
    return tuple(_cast(c, dtype) for c in reversed(coords))


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
    out = _array(default, dtype)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = tf.where(_array(cond, "bool"), _array(choice, dtype), out)
    return out


def slogdet(x):
    """The sign and the natural log of the absolute determinant."""
    x = _array(x)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        x = _cast(x, floatx())
    sign, logdet = tf.linalg.slogdet(x)
    return sign, logdet


def inner(x1, x2):
    """The inner product over the last axes."""
    # As cornu on torch: Keras's ``result_type`` (64-bit narrowed), computed as a float.
    x1, x2 = _array(x1), _array(x2)
    dtype = result_type(_name(x1), _name(x2))
    compute = result_type(dtype, float)
    x1, x2 = _cast(x1, compute), _cast(x2, compute)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        return _cast(x1 * x2, dtype)
    axes = [[x1.shape.rank - 1], [x2.shape.rank - 1]]
    return _cast(tf.tensordot(x1, x2, axes), dtype)


def vdot(x1, x2):
    """The dot product of the flattened tensors (conjugating the first)."""
    dtype = result_type(_dtype_of(x1), _dtype_of(x2))
    x1 = tf.reshape(_array(x1, dtype), (-1,))
    x2 = tf.reshape(_array(x2, dtype), (-1,))
    if x1.dtype.is_complex:
        x1 = tf.math.conj(x1)
    return _computed(lambda a, b: tf.reduce_sum(a * b), dtype, x1, x2)


def kron(x1, x2):
    """The Kronecker product."""
    x1, x2 = _strong_pair(x1, x2)
    return _computed(tnp.kron, _name(x1), x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (or 2-vectors) along the given axes."""
    x1, x2 = _pair(x1, x2)
    if axis is None and (axisa, axisb, axisc) == (-1, -1, -1):
        # As Keras on torch: the first axis of size 3 of the broadcast shape.
        shape = np.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
        axis = next((i for i, d in enumerate(shape) if d == 3), -1)
        if axis != -1:
            axis -= len(shape)
    return _computed(
        lambda a, b: tnp.cross(a, b, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis),
        _name(x1),
        x1,
        x2,
    )


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-D ``x`` (powers decreasing unless ``increasing``)."""
    x = _array(x)
    if x.shape.rank != 1:
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
    n = x.shape[0] if N is None else N
    powers = tf.range(n, dtype=to_tf_dtype(compute))
    if not increasing:
        powers = tf.reverse(powers, [0])
    out = tf.pow(_cast(x, compute)[:, None], powers[None, :])
    if not to_tf_dtype(dtype).is_floating:
        out = tf.round(out)
    return _cast(out, dtype)


def meshgrid(*x, indexing="xy"):
    """Coordinate tensors from 1-D coordinate vectors (``indexing``: "xy" or "ij")."""
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"meshgrid: valid values for `indexing` are 'xy' and 'ij'. Received: {indexing!r}"
        )
    return list(tf.meshgrid(*_joined(list(x)), indexing=indexing))


def _fit(values, size, fill, dim=0):
    """``values`` truncated or padded (with ``fill``) to ``size`` along ``dim``."""
    values = np.asarray(values)
    found = values.shape[dim]
    if found >= size:
        return np.take(values, np.arange(size), axis=dim)
    width = [(0, 0)] * values.ndim
    width[dim] = (0, size - found)
    return np.pad(values, width, constant_values=fill)


def _unique_traced(x, return_index, return_inverse, return_counts, size, fill_value):
    """``unique`` of a flattened symbolic tensor, padded or truncated to ``size``: sorting
    and segment reductions only, so that XLA compiles it."""
    flat = tf.reshape(x, (-1,))
    order = tf.argsort(flat, stable=True)
    ordered = tf.gather(flat, order)
    is_new = tf.concat([[True], ordered[1:] != ordered[:-1]], 0)
    group = tf.cumsum(tf.cast(is_new, tf.int32)) - 1
    # Groups past ``size`` go to one extra segment, dropped afterwards.
    segment = tf.where(group < size, group, size)
    count = tf.math.unsorted_segment_sum(tf.ones_like(group), segment, size + 1)[:size]
    present = count > 0
    fill = 0 if fill_value is None else fill_value
    values = tf.math.unsorted_segment_min(ordered, segment, size + 1)[:size]
    out = [tf.where(present, values, tf.cast(fill, values.dtype))]
    if return_index:
        first = tf.math.unsorted_segment_min(order, segment, size + 1)[:size]
        out.append(tf.cast(tf.where(present, first, tf.ones_like(first)), tf.int64))
    if return_inverse:
        inverse = tf.scatter_nd(order[:, None], group, tf.shape(flat))
        out.append(tf.cast(tf.reshape(inverse, tf.shape(x)), tf.int64))
    if return_counts:
        out.append(tf.cast(count, tf.int64))
    return out


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
    Inside a ``tf.function`` the output shape must be static: give ``size`` (with ``axis``
    None)."""
    x = _array(x)
    values = _static(x)
    if values is None:
        if size is None or axis is not None:
            raise ValueError(
                "unique: inside a `tf.function` the number of unique values must be static. "
                "Pass `size` (and `fill_value`, with `axis=None`) or call `unique` eagerly."
            )
        out = _unique_traced(x, return_index, return_inverse, return_counts, size, fill_value)
        return out[0] if len(out) == 1 else tuple(out)
    out = np.unique(
        values,
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
    )
    out = list(out) if (return_index or return_inverse or return_counts) else [out]
    if return_inverse and axis is None:
        index = 1 + int(return_index)
        out[index] = out[index].reshape(values.shape)
    if size is not None:
        dim = 0 if axis is None else axis % values.ndim
        out[0] = _fit(out[0], size, 0 if fill_value is None else fill_value, dim)
        if return_index:
            out[1] = _fit(out[1], size, 1)
        if return_counts:
            out[-1] = _fit(out[-1], size, 0)
    tensors = [tf.constant(out[0], dtype=x.dtype)]
    tensors += [tf.constant(np.asarray(v).astype("int64")) for v in out[1:]]
    return tensors[0] if len(tensors) == 1 else tuple(tensors)


def _core_dims(signature):
    """The core dimension names of each input and output of a gufunc ``signature``."""
    inputs, outputs = signature.replace(" ", "").split("->")

    def parse(part):
        return [tuple(d for d in g.split(",") if d) for g in re.findall(r"\(([^)]*)\)", part)]

    return parse(inputs), parse(outputs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` made to map over the leading (broadcast) axes of its tensor arguments;
    ``signature`` (as ``"(n),(n)->()"``) names the core axes each argument keeps, and
    ``excluded`` the positions or names of arguments passed as they are."""
    if not callable(pyfunc):
        raise ValueError(f"Expected argument `pyfunc` to be a callable. Received: pyfunc={pyfunc}")
    excluded = frozenset(excluded or ())

    def wrapped(*args, **kwargs):
        mapped = [i for i in range(len(args)) if i not in excluded]
        tensors = [_array(args[i]) for i in mapped]
        if signature is None:
            cores = [()] * len(tensors)
        else:
            cores = _core_dims(signature)[0]
            if len(cores) != len(tensors):
                raise ValueError(
                    f"vectorize: the signature {signature!r} names {len(cores)} inputs. "
                    f"Received: {len(tensors)} mapped arguments"
                )
        batch = ()
        for t, core in zip(tensors, cores):
            batch = np.broadcast_shapes(batch, tuple(t.shape[: t.shape.rank - len(core)]))
        flat = []
        for t, core in zip(tensors, cores):
            core_shape = list(t.shape[t.shape.rank - len(core) :])
            t = tf.broadcast_to(t, list(batch) + core_shape)
            flat.append(tf.reshape(t, [-1] + core_shape))

        def one(elems):
            full = list(args)
            for i, v in zip(mapped, elems):
                full[i] = v
            return pyfunc(*full, **kwargs)

        out = tf.vectorized_map(one, tuple(flat))
        return tf.nest.map_structure(
            lambda o: tf.reshape(o, list(batch) + o.shape.as_list()[1:]), out
        )

    return wrapped
