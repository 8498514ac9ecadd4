"""Torch core: the Variable, tensor conversion, devices and symbolic shape inference."""

import builtins
import contextlib
import sys

import numpy as np
import torch
from torch.utils import checkpoint

from cornu.core import tree
from cornu.core.config import floatx
from cornu.core.dtypes import standardize_dtype
from cornu.core.keras_tensor import KerasTensor
from cornu.core.variable import VariableBase

TORCH_DTYPES = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}

_DEVICE = None


def get_device():
    """The device new tensors and variables go to: ``"cuda"`` when available, else ``"cpu"``."""
    global _DEVICE
    if _DEVICE is None:
        _DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
    return _DEVICE


@contextlib.contextmanager
def device_scope(device_name):
    """Places new tensors and variables on ``device_name`` (e.g. ``"cpu"``, ``"cuda:0"``)."""
    global _DEVICE
    previous = get_device()
    _DEVICE = str(device_name).lower().replace("gpu", "cuda")
    try:
        yield
    finally:
        _DEVICE = previous


def remat(f):
    """``f`` rematerialized: its activations are recomputed in the backward pass
    (``torch.utils.checkpoint``) instead of being kept."""

    def rematerialized(*args, **kwargs):
        return checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    return rematerialized


def reset_compiled_functions():
    """Drops torch.compile's caches (compiled graphs and their guards), as Keras's
    ``clear_session()`` does on torch; nothing to do when nothing was compiled."""
    dynamo = sys.modules.get("torch._dynamo")
    if dynamo is not None:
        dynamo.reset()


def is_native_module(x):
    """True for a torch.nn.Module that is not a cornu Layer (to be wrapped)."""
    return isinstance(x, torch.nn.Module) and not hasattr(x, "_tracked_variables")


def module_parameters(module):
    """``(name, parameter)`` pairs of a torch module, recursively."""
    return list(module.named_parameters())


def to_device(x):
    """``x`` (a tensor) on the current device; tensors already there are returned as they are."""
    if isinstance(x, torch.Tensor) and x.device.type != torch.device(get_device()).type:
        return x.to(get_device(), non_blocking=True)
    return x


def to_torch_dtype(dtype):
    """The torch dtype for a Keras dtype name (or any dtype standardize_dtype accepts)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return TORCH_DTYPES[standardize_dtype(dtype)]


class Variable(VariableBase):
    """A Variable whose value is a ``torch.nn.Parameter`` (``requires_grad`` when trainable).

    Torch functions accept it as they accept the parameter itself.
    """

    def _initialize(self, value):
        if isinstance(value, torch.nn.Parameter):
            # An existing parameter (of a wrapped torch module) is adopted, not copied.
            self._value = value
            self._trainable = self._trainable and value.requires_grad
            return
        tensor = convert_to_tensor(value, dtype=self._dtype)
        if tensor.device.type != torch.device(get_device()).type:
            tensor = tensor.to(get_device())
        trainable = self._trainable and tensor.is_floating_point()
        self._value = torch.nn.Parameter(tensor.detach().clone(), requires_grad=trainable)

    def _direct_assign(self, value):
        if _SYMBOLIC_RUNS:
            return  # shape inference on symbolic inputs changes no state
        if _STATELESS_SCOPES:
            value = convert_to_tensor(value, dtype=self._dtype).to(self._value.device)
            _STATELESS_SCOPES[-1].add_update(self, value)
            return
        with torch.no_grad():
            self._value.copy_(convert_to_tensor(value))

    def assign_add(self, value):
        if _SYMBOLIC_RUNS:
            return
        if _STATELESS_SCOPES:
            _STATELESS_SCOPES[-1].add_update(self, self._value + _unwrap_arg(value))
            return
        with torch.no_grad():
            self._value.add_(value)

    def assign_sub(self, value):
        if _SYMBOLIC_RUNS:
            return
        if _STATELESS_SCOPES:
            _STATELESS_SCOPES[-1].add_update(self, self._value - _unwrap_arg(value))
            return
        with torch.no_grad():
            self._value.sub_(value)

    def numpy(self):
        return convert_to_numpy(self._value)

    def _from_array(self, array):
        return convert_to_tensor(array, dtype=None).to(self._value.device)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        self._sync_requires_grad()

    def _set_frozen(self, frozen):
        """Freezes (or unfreezes) the variable because its layer's ``trainable`` changed."""
        self._frozen = bool(frozen)
        self._sync_requires_grad()

    def _sync_requires_grad(self):
        if self._value.is_floating_point():
            self._value.requires_grad_(self._trainable and not getattr(self, "_frozen", False))

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        args = tuple(_unwrap_arg(a) for a in args)
        if kwargs:
            kwargs = {k: _unwrap_arg(v) for k, v in kwargs.items()}
        return func(*args, **(kwargs or {}))


def _unwrap_arg(x):
    if isinstance(x, Variable):
        return x._value
    if isinstance(x, (list, tuple)):
        return type(x)(a._value if isinstance(a, Variable) else a for a in x)
    return x


def is_tensor(x):
    """True for a torch tensor."""
    return isinstance(x, torch.Tensor)


def convert_to_tensor(x, dtype=None, sparse=None):
    """``x`` as a torch tensor; a tensor already of that dtype is returned as it is.

    NumPy arrays keep their dtype; Python floats become ``floatx()``. Strings and other
    non-numeric data raise a TypeError.
    """
    if isinstance(x, torch.Tensor):
        if dtype is None:
            return x
        dtype = to_torch_dtype(dtype)
        return x if x.dtype == dtype else x.to(dtype)
    if isinstance(x, Variable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, KerasTensor):
        raise TypeError(
            f"{x!r} is symbolic and has no values; it cannot become a tensor. "
            "Call the model on real data instead."
        )
    torch_dtype = to_torch_dtype(dtype) if dtype is not None else None
    if isinstance(x, (np.ndarray, np.generic)):
        # ml_dtypes' bfloat16, as Keras returns it (kind "V"; `dtype.name` is read only then,
        # as it costs more than the conversion of a small batch).
        if x.dtype.kind == "V" and x.dtype.itemsize == 2 and x.dtype.name == "bfloat16":
            bits = torch.from_numpy(np.array(x, order="C").view(np.int16))
            tensor = bits.view(torch.bfloat16)
            if torch_dtype is not None and tensor.dtype != torch_dtype:
                tensor = tensor.to(torch_dtype)
            return tensor.to(get_device())
        if x.dtype.kind in "OUSV":
            raise TypeError(
                f"Expected numeric data, received a NumPy array of dtype {x.dtype}. "
                "Convert strings and objects to numbers first (e.g. with "
                "`x.astype('float32')`)."
            )
        x = np.asarray(x)
        if not x.flags.writeable or not x.flags.c_contiguous or x.dtype.byteorder == ">":
            x = x.astype(x.dtype.newbyteorder("="), order="C", copy=True)
        tensor = torch.from_numpy(x)
        if torch_dtype is not None and tensor.dtype != torch_dtype:
            tensor = tensor.to(torch_dtype)
        return tensor.to(get_device())
    if torch_dtype is None:
        torch_dtype = _infer_python_dtype(x)
    try:
        return torch.as_tensor(x, dtype=torch_dtype, device=get_device())
    except (TypeError, ValueError, RuntimeError) as e:
        raise TypeError(
            f"Expected numeric data (a number, list, NumPy array or tensor), received "
            f"{type(x).__name__}: {str(x)[:80]}"
        ) from e


def _infer_python_dtype(x):
    """The dtype Keras gives Python data: booleans stay bool, ints become int32 (int64 when
    one does not fit), floats ``floatx()``; None (torch decides) for anything else."""
    kinds = set()
    big = False
    stack = [x]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, bool):
            kinds.add(bool)
        elif isinstance(item, int):
            kinds.add(int)
            big = big or not -(2**31) <= item < 2**31
        elif isinstance(item, float):
            kinds.add(float)
        else:
            return None
    if float in kinds or not kinds:
        return to_torch_dtype(floatx())
    if int in kinds:
        return torch.int64 if big else torch.int32
    return torch.bool


def convert_to_numpy(x):
    """``x`` as a NumPy array on the host (bfloat16 becomes float32). A variable's (or a
    parameter's) value is copied, so the array does not change when the variable does."""
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, torch.Tensor):
        owned = isinstance(x, torch.nn.Parameter)
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        array = x.cpu().numpy()
        return array.copy() if owned and x.device.type == "cpu" else array
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    return np.asarray(x)


def shape(x):
    """The shape as a tuple of ints (None in a symbolic tensor's unknown sizes)."""
    return tuple(x.shape)


def cast(x, dtype):
    """``x`` converted to ``dtype``."""
    return convert_to_tensor(x, dtype)


def standardize_tensor_dtype(x):
    """The Keras dtype name of a tensor's dtype."""
    return standardize_dtype(x.dtype)


def stop_gradient(x):
    """``x`` with gradients blocked."""
    return x.detach()


def cond(pred, true_fn, false_fn):
    """``true_fn()`` when ``pred`` holds, else ``false_fn()``."""
    return true_fn() if bool(pred) else false_fn()


def scatter_update(x, indices, updates):
    """A copy of ``x`` with ``x[indices[i]] = updates[i]``."""
    x = x.clone()
    index = tuple(convert_to_tensor(indices, "int64").T)
    x[index] = convert_to_tensor(updates, x.dtype)
    return x


def no_grad():
    """A context in which no gradients are recorded."""
    return torch.no_grad()


# Symbolic shape inference: run the function on "meta" tensors (shapes without data). A size
# unknown at build time (None) is tried with two different values: output sizes that change
# with it are unknown too.
_PROBE_SIZES = (83, 89)


def compute_output_spec(fn, *args, **kwargs):
    """Runs ``fn`` on KerasTensors and returns KerasTensors of its outputs' shapes and dtypes."""
    has_unknown = any(
        None in x.shape for x in tree.flatten((args, kwargs)) if isinstance(x, KerasTensor)
    )
    probes = _PROBE_SIZES if has_unknown else _PROBE_SIZES[:1]
    outputs = [_run_symbolically(fn, args, kwargs, size) for size in probes]

    def to_spec(*tensors):
        first = tensors[0]
        if not isinstance(first, torch.Tensor):
            return first
        dims = zip(*(t.shape for t in tensors))
        spec_shape = tuple(d[0] if len(set(d)) == 1 else None for d in dims)
        return KerasTensor(spec_shape, dtype=standardize_dtype(first.dtype))

    if len(outputs) == 1:
        return tree.map_structure(to_spec, outputs[0])
    flat = [tree.flatten(o) for o in outputs]
    specs = [to_spec(*group) for group in zip(*flat)]
    return tree.pack_sequence_as(outputs[0], specs)


_SYMBOLIC_RUNS = []
_STATELESS_SCOPES = []


class SymbolicScope:
    """Marks the code inside the ``with`` block as symbolic (shape inference): variable
    updates such as moving averages and seed advances are skipped there."""

    def __enter__(self):
        _SYMBOLIC_RUNS.append(None)
        return self

    def __exit__(self, *exc):
        _SYMBOLIC_RUNS.pop()


class StatelessScope:
    """Inside the ``with`` block, variables read the values of ``state_mapping`` and
    assignments are collected by the scope instead of changing the variables.

    On torch the scope swaps each mapped variable's tensor for a copy of the given one (through
    which gradients flow to the given tensor) and puts the variable's own tensor back on exit;
    nothing writes into the given values.

    Args:
        state_mapping: a list of ``(variable, value)`` pairs.
        collect_losses: whether layers' losses added in the scope are collected in
            ``scope.losses`` (they are not added to the layers then).
        initialize_variables: kept for Keras's signature; variables are created initialized.
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self._values = {}
        self._originals = {}
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise ValueError(
                    "All keys in argument `mapping` must be Variable instances. "
                    f"Received instead: {variable}"
                )
            value = convert_to_tensor(value, dtype=variable.dtype)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Invalid value for variable {variable.path}: it should have shape "
                    f"{variable.shape}, but received {tuple(value.shape)}"
                )
            # A copy (differentiable: gradients still reach the given tensor), so that kernels
            # updating statistics in place never write into the caller's arrays.
            self._values[id(variable)] = (variable, value.to(variable._value.device).clone())

    def __enter__(self):
        for variable, value in self._values.values():
            self._swap(variable, value)
        _STATELESS_SCOPES.append(self)
        return self

    def __exit__(self, *exc):
        _STATELESS_SCOPES.remove(self)
        for variable, original in self._originals.values():
            variable._value = original
        self._originals = {}

    def _swap(self, variable, value):
        if id(variable) not in self._originals:
            self._originals[id(variable)] = (variable, variable._value)
        variable._value = value

    def add_update(self, variable, value):
        """Records ``value`` as the variable's new value inside the scope."""
        self._values[id(variable)] = (variable, value)
        self._swap(variable, value)

    def add_loss(self, loss):
        """Collects a loss added by a layer inside the scope."""
        self.losses.append(loss)

    def get_current_value(self, variable):
        """The variable's value in the scope (given or assigned), None when it has none."""
        entry = self._values.get(id(variable))
        return None if entry is None else entry[1]


def in_stateless_scope():
    """True inside a ``StatelessScope``."""
    return bool(_STATELESS_SCOPES)


def get_stateless_scope():
    """The innermost active ``StatelessScope``, or None."""
    return _STATELESS_SCOPES[-1] if _STATELESS_SCOPES else None


def in_symbolic_run():
    """True while a layer runs on placeholder tensors to infer output shapes (state updates
    such as moving averages must be skipped then)."""
    return bool(_SYMBOLIC_RUNS)


def _run_symbolically(fn, args, kwargs, size):
    def materialize(device):
        def convert(x):
            if isinstance(x, KerasTensor):
                dims = [size if d is None else d for d in x.shape]
                return torch.zeros(dims, dtype=to_torch_dtype(x.dtype), device=device)
            return x

        return tree.map_structure(convert, (args, kwargs))

    _SYMBOLIC_RUNS.append(size)
    try:
        with torch.no_grad():
            try:
                a, k = materialize("meta")
                return fn(*a, **k)
            except Exception:
                # Some operations have no meta implementation: run them on real zeros instead.
                a, k = materialize(get_device())
                return fn(*a, **k)
    finally:
        _SYMBOLIC_RUNS.pop()


def scatter(indices, values, shape):
    """A zeros tensor of ``shape`` with ``values`` added at ``indices`` (duplicates add up).

    ``indices`` has shape ``(..., d)`` and indexes the first ``d`` axes of ``shape``;
    ``values`` has shape ``indices.shape[:-1] + shape[d:]``.
    """
    indices = convert_to_tensor(indices).long()
    values = convert_to_tensor(values)
    depth = indices.shape[-1]
    shape = tuple(int(s) for s in shape)
    if depth > len(shape):
        raise ValueError(
            f"`scatter` indices index {depth} axes but `shape` has {len(shape)}. "
            f"Received: indices.shape={tuple(indices.shape)}, shape={shape}"
        )
    out = torch.zeros(shape, dtype=values.dtype, device=values.device)
    indices = indices.reshape(-1, depth)
    values = values.reshape((-1,) + shape[depth:])
    out.index_put_(tuple(indices.T), values, accumulate=True)
    return out


def _int_list(values):
    return isinstance(values, (list, tuple)) and all(
        isinstance(v, (int, np.integer, torch.SymInt)) for v in values
    )


def slice(inputs, start_indices, shape):
    """The block of ``inputs`` that starts at ``start_indices`` and has ``shape``."""
    inputs = convert_to_tensor(inputs)
    if _int_list(start_indices) and _int_list(shape):
        return inputs[tuple(builtins.slice(s, s + n) for s, n in zip(start_indices, shape))]
    start_indices = convert_to_tensor(start_indices).long()
    shape = convert_to_tensor(shape).long()
    result = inputs
    for axis in range(start_indices.shape[0]):
        result = torch.narrow(result, axis, start_indices[axis], shape[axis])
    return result


def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` whose block at ``start_indices`` is replaced by ``updates``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    outputs = inputs.clone()
    if _int_list(start_indices):
        region = tuple(builtins.slice(s, s + n) for s, n in zip(start_indices, updates.shape))
        outputs[region] = updates
        return outputs
    # Tensor start indices: index every updated element (traceable, no host sync).
    start_indices = convert_to_tensor(start_indices).long()
    ranges = [
        torch.arange(n, device=start_indices.device) + start_indices[axis]
        for axis, n in enumerate(updates.shape)
    ]
    grids = torch.meshgrid(*ranges, indexing="ij")
    outputs.index_put_(tuple(g.reshape(-1) for g in grids), updates.reshape(-1))
    return outputs


def unstack(x, num=None, axis=0):
    """The slices of ``x`` along ``axis``, as a tuple (``num``, when given, must match)."""
    x = convert_to_tensor(x)
    if num is not None and x.shape[axis] != num:
        raise ValueError(
            f"`unstack` got num={num} but the input has {x.shape[axis]} entries along "
            f"axis {axis} (shape {tuple(x.shape)})"
        )
    return x.unbind(axis)


def _dtype_limits(dtype):
    if dtype == torch.bool:
        return 0, 1
    info = torch.finfo(dtype) if dtype.is_floating_point else torch.iinfo(dtype)
    return info.min, info.max


def saturate_cast(x, dtype):
    """``x`` cast to ``dtype`` with values clipped to the range ``dtype`` can hold (so
    ``inf`` and out-of-range values saturate instead of wrapping).

    Integers cast to a float type keep their values (Keras's torch backend clips them with
    the float type's limits wrapped into the integer type, which gives garbage: not copied).
    """
    x = convert_to_tensor(x)
    target = to_torch_dtype(dtype)
    in_min, in_max = _dtype_limits(x.dtype)
    out_min, out_max = _dtype_limits(target)
    # The limits as values of x's dtype; one that rounds past the target's range is nudged
    # back inside it (float32 cannot hold uint32's maximum, for one).
    if x.dtype == torch.bool:
        return x.to(target)
    low = torch.tensor(builtins.max(in_min, out_min), dtype=x.dtype)
    high = torch.tensor(builtins.min(in_max, out_max), dtype=x.dtype)
    if x.dtype.is_floating_point:
        if low.item() < out_min:
            low = torch.nextafter(low, torch.zeros_like(low))
        if high.item() > out_max:
            high = torch.nextafter(high, torch.zeros_like(high))
    return torch.clamp(x, low.to(x.device), high.to(x.device)).to(target)
