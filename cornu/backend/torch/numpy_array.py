"""NumPy-like array operations on torch tensors: creation, stacking and splitting, reordering,
indexing, windows, products and ``vectorize``, with Keras's names, signatures and dtypes.
"""

import builtins

import numpy as np
import torch

from cornu.backend.torch.core import get_device, to_torch_dtype
from cornu.backend.torch.operands import _cast, _to_tensor, floatx, result_type

__all__ = [
    "append",
    "argpartition",
    "array",
    "array_split",
    "bartlett",
    "blackman",
    "correlate",
    "cross",
    "diagflat",
    "diff",
    "digitize",
    "dsplit",
    "dstack",
    "empty",
    "empty_like",
    "fliplr",
    "flipud",
    "geomspace",
    "get_item",
    "hamming",
    "hanning",
    "hsplit",
    "hstack",
    "inner",
    "kaiser",
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


def _shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


# ---- creation -----------------------------------------------------------------------------


def array(x, dtype=None):
    """``x`` as a tensor (of ``dtype`` when given)."""
    x = _to_tensor(x)
    return x if dtype is None else _cast(x, dtype)


def empty(shape, dtype=None):
    """An uninitialized tensor of ``shape`` (``floatx()`` unless ``dtype`` is given)."""
    dtype = to_torch_dtype(dtype or floatx())
    return torch.empty(_shape(shape), dtype=dtype, device=get_device())


def empty_like(x, dtype=None):
    """An uninitialized tensor of ``x``'s shape and (unless ``dtype`` is given) dtype."""
    x = _to_tensor(x)
    return torch.empty_like(x, dtype=to_torch_dtype(dtype or x.dtype))


def tri(N, M=None, k=0, dtype=None):
    """An ``N`` by ``M`` tensor with ones at and below the ``k``-th diagonal."""
    dtype = to_torch_dtype(dtype or floatx())
    ones = torch.ones((N, M or N), dtype=dtype, device=get_device())
    return torch.tril(ones, diagonal=k)


def _sequence_dtype(op, start, stop, dtype, axis):
    """The dtype of ``linspace``/``logspace``/``geomspace`` (that of ``start``, ``stop`` and
    float when None); a ValueError naming ``op`` unless ``axis`` is 0."""
    if axis != 0:
        raise ValueError(f"{op}: the torch backend supports only `axis=0`. Received: axis={axis}")
    if dtype is None:
        return result_type(
            getattr(start, "dtype", type(start)), getattr(stop, "dtype", type(stop)), float
        )
    return dtype


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``num`` numbers spaced evenly on a log scale, from ``base ** start`` to
    ``base ** stop``; tensors ``start`` and ``stop`` give one sequence per element."""
    dtype = _sequence_dtype("logspace", start, stop, dtype, axis)
    dtype = to_torch_dtype(dtype)
    if not endpoint:
        stop = stop - (stop - start) / num
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        start, stop = _cast(_to_tensor(start), dtype), _cast(_to_tensor(stop), dtype)
        steps = torch.arange(num, dtype=dtype, device=start.device) / (num - 1)
        steps = steps.reshape((num,) + (1,) * start.ndim)
        return base ** (start[None] + steps * (stop - start)[None])
    compute = torch.float32 if dtype == torch.float16 else dtype
    out = torch.logspace(start, stop, steps=num, base=base, dtype=compute, device=get_device())
    return out.to(dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` numbers spaced evenly on a log scale from ``start`` to ``stop`` (a geometric
    progression)."""
    dtype = _sequence_dtype("geomspace", start, stop, dtype, axis)
    start, stop = _cast(_to_tensor(start), dtype), _cast(_to_tensor(stop), dtype)
    out = logspace(
        torch.log10(torch.abs(start)),
        torch.log10(torch.abs(stop)),
        num=num,
        endpoint=endpoint,
        base=10,
        dtype=dtype,
    )
    return out * torch.sign(start)


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors (``"xy"``: Cartesian, ``"ij"``: matrix
    indexing)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"meshgrid: valid values for `indexing` are 'xy' and 'ij'. Received: {indexing!r}"
        )
    x = [_to_tensor(v) for v in x]
    if len({v.dtype for v in x}) > 1:  # torch needs one dtype: promote as Keras promotes
        dtype = result_type(*(v.dtype for v in x))
        x = [_cast(v, dtype) for v in x]
    return torch.meshgrid(x, indexing=indexing)


def _window(torch_fn, x, **kwargs):
    return torch_fn(int(_to_tensor(x)), device=get_device(), **kwargs)


def bartlett(x):
    """The Bartlett (triangular) window of length ``x``."""
    return _window(torch.signal.windows.bartlett, x)


def blackman(x):
    """The Blackman window of length ``x``."""
    return _window(torch.signal.windows.blackman, x)


def hamming(x):
    """The Hamming window of length ``x``."""
    return _window(torch.signal.windows.hamming, x)


def hanning(x):
    """The Hann window of length ``x``."""
    return _window(torch.signal.windows.hann, x)


def kaiser(x, beta):
    """The Kaiser window of length ``x`` with shape parameter ``beta``."""
    return _window(torch.signal.windows.kaiser, x, beta=beta)


# ---- shape, stacking and splitting -------------------------------------------------------


def ndim(x):
    """The number of axes of ``x``."""
    return _to_tensor(x).ndim


def ravel(x):
    """``x`` flattened to 1-D."""
    return torch.ravel(_to_tensor(x))


def append(x1, x2, axis=None):
    """``x2`` appended to ``x1`` along ``axis`` (both flattened when None)."""
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    if axis is None:
        return torch.cat((x1.flatten(), x2.flatten()))
    return torch.cat((x1, x2), dim=axis)


def _stack(torch_fn, xs):
    return torch_fn([_to_tensor(x) for x in xs])


def hstack(xs):
    """Tensors joined horizontally (along axis 1; axis 0 for 1-D)."""
    return _stack(torch.hstack, xs)


def vstack(xs):
    """Tensors joined vertically (along axis 0, 1-D ones as rows)."""
    return _stack(torch.vstack, xs)


def dstack(xs):
    """Tensors joined depth-wise (along axis 2)."""
    return _stack(torch.dstack, xs)


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
    return list(torch.tensor_split(_to_tensor(x), indices_or_sections, dim=axis))


def _split(torch_fn, x, indices_or_sections):
    x = _to_tensor(x)
    if not isinstance(indices_or_sections, int):
        indices_or_sections = _to_tensor(indices_or_sections).tolist()
    return list(torch_fn(x, indices_or_sections))


def hsplit(x, indices_or_sections):
    """``x`` split horizontally (along axis 1; axis 0 for 1-D)."""
    return _split(torch.hsplit, x, indices_or_sections)


def vsplit(x, indices_or_sections):
    """``x`` split vertically (along axis 0)."""
    return _split(torch.vsplit, x, indices_or_sections)


def dsplit(x, indices_or_sections):
    """``x`` split depth-wise (along axis 2)."""
    return _split(torch.dsplit, x, indices_or_sections)


def _at_least_2d(name, x):
    x = _to_tensor(x)
    if x.ndim < 2:
        raise ValueError(
            f"`{name}` requires input with 2 or more dimensions. Received: x.shape={tuple(x.shape)}"
        )
    return x


def fliplr(x):
    """``x`` with the order of its columns (axis 1) reversed."""
    return torch.fliplr(_at_least_2d("fliplr", x))


def flipud(x):
    """``x`` with the order of its rows (axis 0) reversed."""
    return torch.flipud(_to_tensor(x))


def roll(x, shift, axis=None):
    """``x`` with its elements shifted by ``shift`` along ``axis`` (the flattened array when
    None), wrapping around."""
    return torch.roll(_to_tensor(x), shift, dims=axis)


def rot90(array, k=1, axes=(0, 1)):
    """``array`` rotated by 90 degrees ``k`` times in the plane of ``axes``."""
    array = _to_tensor(array)
    if array.ndim < 2:
        raise ValueError(
            f"rot90: input array must have at least 2 dimensions. Received: array.ndim={array.ndim}"
        )
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(
            f"rot90: invalid axes: {axes}. Axes must be a tuple of two different dimensions."
        )
    axes = tuple(a + array.ndim if a < 0 else a for a in axes)
    if not builtins.all(0 <= a < array.ndim for a in axes):
        raise ValueError(f"rot90: invalid axes {axes} for a tensor with {array.ndim} dimensions")
    return torch.rot90(array, k=k, dims=axes)


def diff(a, n=1, axis=-1):
    """The ``n``-th discrete difference along ``axis``."""
    return torch.diff(_to_tensor(a), n=n, dim=axis)


def diagflat(x, k=0):
    """A 2-D tensor with the flattened ``x`` on its ``k``-th diagonal."""
    return torch.diagflat(_to_tensor(x), offset=k)


def view(x, dtype=None):
    """``x``'s memory reinterpreted as ``dtype`` (``floatx()`` when None); the last axis
    scales by the ratio of item sizes."""
    return _to_tensor(x).view(dtype=to_torch_dtype(dtype or floatx()))


# ---- indexing and searching ---------------------------------------------------------------


def get_item(x, key):
    """``x[key]``."""
    if isinstance(key, list):
        key = tuple(key)
    return _to_tensor(x)[key]


def nonzero(x):
    """The indices (int32) of the non-zero elements, one row per axis."""
    return torch.nonzero(_to_tensor(x)).T.to(torch.int32)


def argpartition(x, kth, axis=-1):
    """Indices (int32) that partition ``x`` along ``axis``: the ``kth`` smallest element at
    position ``kth``, smaller ones before it, the others after.

    As Keras on torch, ``x`` is converted to int32 first.
    """
    if not isinstance(kth, int):
        raise ValueError(f"argpartition: kth must be an integer. Received: kth={kth}")
    x = _cast(_to_tensor(x), "int32")
    if axis is None:
        x, axis = x.flatten(), 0
    x = torch.transpose(x, axis, -1)
    bottom = torch.topk(-x, kth + 1)[1]
    marks = torch.ones_like(x, dtype=torch.int32).scatter(-1, bottom, 0)
    top = torch.topk(marks, x.shape[-1] - kth - 1)[1]
    out = torch.cat([bottom, top], dim=-1)
    return torch.transpose(out, -1, axis).to(torch.int32)


def searchsorted(sorted_sequence, values, side="left"):
    """Indices where ``values`` would be inserted into the 1-D ``sorted_sequence`` to keep it
    sorted (int32 for sequences that int32 can index)."""
    sorted_sequence, values = _to_tensor(sorted_sequence), _to_tensor(values)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "`searchsorted` only supports 1-D sorted sequences. You can use "
            "`keras.ops.vectorized_map` to extend it to N-D sequences. Received: "
            f"sorted_sequence.shape={tuple(sorted_sequence.shape)}"
        )
    if sorted_sequence.dtype != values.dtype:
        dtype = result_type(sorted_sequence.dtype, values.dtype)
        sorted_sequence, values = _cast(sorted_sequence, dtype), _cast(values, dtype)
    out_int32 = sorted_sequence.shape[0] <= np.iinfo(np.int32).max
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=out_int32)


def digitize(x, bins):
    """Indices (int32) of the bins each element of ``x`` falls in (``bins`` increasing)."""
    x, bins = _to_tensor(x), _to_tensor(bins)
    if bins.ndim > 1:
        raise ValueError(
            f"digitize: `bins` must be a 1D array. Received: bins.shape={tuple(bins.shape)}"
        )
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.bucketize(x, bins, right=True).to(torch.int32)


def select(condlist, choicelist, default=0):
    """For each element, the value of ``choicelist`` at the first true ``condlist`` entry,
    else ``default``."""
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
    out = _to_tensor(default)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = torch.where(_to_tensor(cond), _to_tensor(choice), out)
    return out


def unravel_index(indices, shape):
    """The coordinates in an array of ``shape`` of flat ``indices``, one tensor per axis."""
    indices = _to_tensor(indices)
    dtype = result_type(indices.dtype)
    return tuple(_cast(i, dtype) for i in torch.unravel_index(indices, tuple(shape)))


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
    """The unique elements of ``x`` (rows or slices along ``axis``), optionally with the
    index of each one's first occurrence, the inverse indices and the counts. ``size`` pads
    (with ``fill_value``, else 0) or truncates the result to a fixed length."""
    x = _to_tensor(x)
    out = torch.unique(
        x,
        sorted=sorted,
        return_inverse=return_inverse or return_index,
        return_counts=return_counts,
        dim=axis,
    )
    out = list(out) if (return_inverse or return_index or return_counts) else [out]
    values = out[0]
    dim = 0 if axis is None else axis % x.ndim
    if return_index:
        inverse = out[1]
        positions = torch.arange(inverse.numel(), dtype=inverse.dtype, device=inverse.device)
        first = inverse.new_empty(values.shape[dim]).scatter_reduce_(
            0, inverse.reshape(-1), positions, reduce="min", include_self=False
        )
    if size is not None:
        count = values.shape[dim]
        if count > size:
            values = values.narrow(dim, 0, size)
            if return_counts:
                out[-1] = out[-1][:size]
            if return_index:
                first = first[:size]
        elif count < size:
            missing = size - count
            pad = [0, 0] * values.ndim
            pad[2 * (values.ndim - 1 - dim) + 1] = missing
            fill = 0 if fill_value is None else fill_value
            values = torch.nn.functional.pad(values, pad, value=fill)
            if return_counts:
                out[-1] = torch.nn.functional.pad(out[-1], [0, missing], value=0)
            if return_index:
                first = torch.nn.functional.pad(first, [0, missing], value=1)
    out[0] = values
    if return_index and return_inverse:
        out.insert(1, first)
    elif return_index:
        out[1] = first
    return out[0] if len(out) == 1 else tuple(out)


# ---- products -----------------------------------------------------------------------------


def _float_compute(x1, x2):
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return _cast(x1, compute), _cast(x2, compute), dtype


def inner(x1, x2):
    """Inner product over the last axes of ``x1`` and ``x2``."""
    x1, x2, dtype = _float_compute(x1, x2)
    return _cast(torch.inner(x1, x2), dtype)


def vdot(x1, x2):
    """Dot product of the flattened ``x1`` (conjugated) and ``x2``."""
    x1, x2, dtype = _float_compute(x1, x2)
    return _cast(torch.vdot(x1.reshape(-1), x2.reshape(-1)), dtype)


def kron(x1, x2):
    """Kronecker product of ``x1`` and ``x2``."""
    return torch.kron(_to_tensor(x1), _to_tensor(x2))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors along ``axis``.

    As Keras on torch, ``axisa``, ``axisb`` and ``axisc`` must stay -1, and ``axis=None``
    takes the first axis of size 3.
    """
    if axisa != -1 or axisb != -1 or axisc != -1:
        raise ValueError(
            "cross: the torch backend does not support `axisa`, `axisb`, or `axisc`. "
            f"Received: axisa={axisa}, axisb={axisb}, axisc={axisc}. Use `axis` instead."
        )
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    compute = dtype
    if (dtype == "float16" and x1.device.type == "cpu") or (
        dtype == "bfloat16" and x1.device.type == "cuda"
    ):
        compute = "float32"
    out = torch.cross(_cast(x1, compute), _cast(x2, compute), dim=axis)
    return _cast(out, dtype)


def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D sequences; ``mode`` is "valid", "same" or "full".

    As Keras on torch, a result of length 1 is returned as a scalar (0-d) tensor.
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(
            f"correlate: `mode` must be either `valid`, `same`, or `full`. Received: {mode!r}"
        )
    x1, x2 = _to_tensor(x1), _to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    if dtype == "int64":
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16", "float64"):
        dtype = "float32"
    x1, x2 = _cast(x1, dtype), _cast(x2, dtype)
    n1, n2 = x1.shape[0], x2.shape[0]
    out = torch.nn.functional.conv1d(x1.reshape(1, 1, -1), x2.reshape(1, 1, -1), padding=n2 - 1)
    out = out.reshape(-1)
    if mode == "valid":
        length = builtins.max(n1, n2) - builtins.min(n1, n2) + 1
        start = (out.shape[-1] - length) // 2
        out = out[start : start + length]
    elif mode == "same":
        start = (out.shape[-1] - n1) // 2
        out = out[start : start + n1]
    return torch.squeeze(out)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-D ``x``: columns are powers of ``x`` (decreasing unless
    ``increasing``), ``N`` of them (``len(x)`` when None)."""
    x = _to_tensor(x)
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
    return _cast(torch.vander(x, N=N, increasing=increasing), result_type(x.dtype))


def slogdet(x):
    """The sign and the natural log of the absolute determinant of square ``x``."""
    return tuple(torch.linalg.slogdet(_to_tensor(x)))


# ---- vectorize ----------------------------------------------------------------------------


def _parse_signature(signature):
    """``"(m,n),(n)->(m)"`` as ([("m", "n"), ("n",)], [("m",)])."""
    try:
        inputs, outputs = signature.replace(" ", "").split("->")

        def parse(part):
            groups = part[1:-1].split("),(")
            return [tuple(d for d in g.split(",") if d) for g in groups]

        return parse(inputs), parse(outputs)
    except ValueError as error:
        raise ValueError(f"vectorize: not a valid gufunc signature: {signature!r}") from error


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` made to map over the leading (broadcast) axes of its tensor arguments,
    with ``torch.vmap``; ``signature`` (as ``"(n),(n)->()"``) names the core axes each
    argument keeps, and ``excluded`` the positions or names of arguments passed as they are."""
    if not callable(pyfunc):
        raise ValueError(f"Expected argument `pyfunc` to be a callable. Received: pyfunc={pyfunc}")
    excluded = set(excluded or ())
    core_in = _parse_signature(signature)[0] if signature is not None else None

    def wrapped(*args, **kwargs):
        fixed = {i: a for i, a in enumerate(args) if i in excluded or a is None}
        fixed_kw = {k: v for k, v in kwargs.items() if k in excluded}
        mapped_kw = {k: v for k, v in kwargs.items() if k not in excluded}
        positions = [i for i in range(len(args)) if i not in fixed]
        tensors = [_to_tensor(args[i]) for i in positions]
        cores = [core_in[i] if core_in else () for i in positions]
        batch = torch.broadcast_shapes(
            *(t.shape[: t.ndim - len(c)] for t, c in zip(tensors, cores))
        )
        tensors = [
            t.broadcast_to(batch + t.shape[t.ndim - len(c) :]) for t, c in zip(tensors, cores)
        ]

        def call(*mapped):
            full = list(args)
            for i, t in zip(positions, mapped):
                full[i] = t
            for i, a in fixed.items():
                full[i] = a
            return pyfunc(*full, **fixed_kw, **mapped_kw)

        fn = call
        for _ in batch:
            fn = torch.vmap(fn)
        return fn(*tensors)

    wrapped.__name__ = getattr(pyfunc, "__name__", "vectorized")
    wrapped.__doc__ = getattr(pyfunc, "__doc__", None)
    return wrapped
