"""NumPy core: the Variable, tensor conversion, devices and symbolic shape inference.

The NumPy backend runs inference only: its tensors are ``np.ndarray`` values on the host, and
nothing records gradients.
"""

import builtins
import contextlib
import functools

import numpy as np

from cornu.core import tree
from cornu.core.config import floatx
from cornu.core.dtypes import result_type, standardize_dtype
from cornu.core.keras_tensor import KerasTensor
from cornu.core.variable import VariableBase

TRAINING_BACKENDS = "torch, jax"


def not_supported(name):
    """The error for an operation the NumPy backend cannot run."""
    return NotImplementedError(
        f"`{name}` is not available on the NumPy backend, which runs inference only. "
        f"Use a backend that has it ({TRAINING_BACKENDS}): set CORNU_BACKEND=torch."
    )


def _bfloat16():
    try:
        import ml_dtypes
    except ImportError as error:  # pragma: no cover - ml_dtypes ships with most NumPy stacks
        raise TypeError(
            "bfloat16 arrays on the NumPy backend need the `ml_dtypes` package: "
            "`pip install ml_dtypes`."
        ) from error
    return ml_dtypes.bfloat16


def to_numpy_dtype(dtype):
    """The NumPy dtype for a Keras dtype name (or anything ``standardize_dtype`` accepts)."""
    name = standardize_dtype(dtype)
    if name == "bfloat16":
        return np.dtype(_bfloat16())
    if name == "string":
        return np.dtype(object)
    return np.dtype(name)


_DEVICE = "cpu"


def get_device():
    """The device of new arrays: always ``"cpu"`` on the NumPy backend."""
    return _DEVICE


@contextlib.contextmanager
def device_scope(device_name):
    """Accepts ``"cpu"`` only: NumPy arrays live in host memory."""
    name = str(device_name).lower().split(":")[0]
    if name != "cpu":
        raise ValueError(
            f"The NumPy backend runs on the CPU only. Received: device_name={device_name!r}"
        )
    yield


def is_native_module(x):
    """False: the NumPy backend has no native modules to wrap."""
    return False


def module_parameters(module):
    """A NumPy backend has no native modules; nothing to list."""
    raise not_supported("TorchModuleWrapper")


def to_device(x):
    """``x`` unchanged: every array is already on the host."""
    return x


class MaskableArray(np.ndarray):
    """The arrays the NumPy backend's operations return: an ``np.ndarray`` view that can carry
    a ``_keras_mask`` attribute, as torch tensors can (a plain ndarray takes no attributes)."""


def maskable(x):
    """``x`` as a MaskableArray view when it is a plain ndarray (tuples and lists item-wise)."""
    if type(x) is np.ndarray:
        return x.view(MaskableArray)
    if isinstance(x, (tuple, list)):
        items = [v.view(MaskableArray) if type(v) is np.ndarray else v for v in x]
        return items if isinstance(x, list) else tuple(items)
    return x


def returns_maskable(fn):
    """``fn`` whose ndarray results are MaskableArray views (same signature)."""

    @functools.wraps(fn)
    def op(*args, **kwargs):
        return maskable(fn(*args, **kwargs))

    return op


class Variable(VariableBase):
    """A Variable whose value is a NumPy array, replaced on each assignment."""

    def _initialize(self, value):
        array = np.array(convert_to_tensor(value, dtype=self._dtype), copy=True)
        self._value = array.view(MaskableArray)

    def _direct_assign(self, value):
        if _SYMBOLIC_RUNS:
            return  # shape inference changes no state
        array = np.array(convert_to_tensor(value, dtype=self._dtype), copy=True)
        if _STATELESS_SCOPES:
            _STATELESS_SCOPES[-1].add_update(self, array.view(MaskableArray))
            return
        self._value = array.view(MaskableArray)

    def assign_add(self, value):
        self._direct_assign(self._value + convert_to_tensor(value))

    def assign_sub(self, value):
        self._direct_assign(self._value - convert_to_tensor(value))

    def numpy(self):
        return np.array(self._value, copy=True).view(np.ndarray)

    def _set_frozen(self, frozen):
        """Freezes (or unfreezes) the variable because its layer's ``trainable`` changed."""
        self._frozen = bool(frozen)

    def _from_array(self, array):
        return array

    def __array__(self, dtype=None, copy=None):
        value = self._value.view(np.ndarray)
        return value if dtype is None else value.astype(dtype)


def is_tensor(x):
    """True for the backend's tensors: the MaskableArray views that its operations, variables
    and ``convert_to_tensor`` give. A plain NumPy array is user data, as next to torch."""
    return isinstance(x, MaskableArray)


def _python_dtype(x):
    leaves = [v for v in tree.flatten(x)]
    if not leaves:
        return floatx()
    dtype = result_type(*(getattr(v, "dtype", type(v)) for v in leaves))
    if dtype == "int32" and builtins.any(
        type(v) is int and not _INT32_MIN <= v <= _INT32_MAX for v in leaves
    ):
        return "int64"  # a Python int beyond int32's range, as Keras converts it
    return dtype


_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def convert_to_tensor(x, dtype=None, sparse=None):
    """``x`` as a NumPy array; an array already of that dtype is returned as it is.

    Python ints become int32, floats ``floatx()``, as in Keras. Strings and other
    non-numeric data raise a TypeError.
    """
    if sparse:
        raise ValueError("`sparse=True` is not supported on the NumPy backend.")
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, KerasTensor):
        raise TypeError(
            f"{x!r} is symbolic and has no values; it cannot become a tensor. In a Functional "
            "model, do the computation inside a Layer (a subclass of `cornu.layers.Layer` with a "
            "`call` method) so it runs on real arrays."
        )
    target = to_numpy_dtype(dtype) if dtype is not None else None
    if isinstance(x, (np.ndarray, np.generic)):
        if x.dtype.kind in "OUSV" and x.dtype.name != "bfloat16":  # ml_dtypes bfloat16: "V"
            raise TypeError(
                f"Expected numeric data, received a NumPy array of dtype {x.dtype}. "
                "Convert strings and objects to numbers first (e.g. with "
                "`x.astype('float32')`)."
            )
        if target is None or x.dtype == target:
            return x if isinstance(x, np.ndarray) else np.asarray(x)
        return x.astype(target)
    if hasattr(x, "__array__") and not isinstance(x, (list, tuple)):
        if hasattr(x, "detach"):  # a foreign (torch) tensor, converted as Keras converts it
            x = x.detach().cpu()
        return convert_to_tensor(np.asarray(x), dtype)
    if target is None:
        try:
            target = to_numpy_dtype(_python_dtype(x))
        except (ValueError, TypeError) as e:
            raise TypeError(
                f"Expected numeric data (a number, list, NumPy array or tensor), received "
                f"{type(x).__name__}: {str(x)[:80]}"
            ) from e
    try:
        if isinstance(x, (list, tuple)):
            x = [convert_to_tensor(v) if isinstance(v, Variable) else v for v in x]
        array = np.asarray(x)
        if array.dtype.kind in "OUSV":
            raise TypeError(f"dtype {array.dtype}")
        return array.astype(target, copy=False)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"Expected numeric data (a number, list, NumPy array or tensor), received "
            f"{type(x).__name__}: {str(x)[:80]}"
        ) from e


def convert_to_numpy(x):
    """``x`` as a NumPy array (bfloat16 becomes float32); a variable's value is copied."""
    if isinstance(x, Variable):
        return x.numpy()
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    array = np.asarray(x).view(np.ndarray) if isinstance(x, np.ndarray) else np.asarray(x)
    if array.dtype.name == "bfloat16":
        return array.astype(np.float32)
    return array


def shape(x):
    """The shape as a tuple of ints (None in a symbolic tensor's unknown sizes)."""
    return tuple(x.shape)


def cast(x, dtype):
    """``x`` converted to ``dtype``."""
    return convert_to_tensor(x, dtype)


def standardize_tensor_dtype(x):
    """The Keras dtype name of an array's dtype."""
    return standardize_dtype(x.dtype)


def stop_gradient(x):
    """``x`` itself: NumPy records no gradients."""
    return x


def cond(pred, true_fn, false_fn):
    """``true_fn()`` when ``pred`` holds, else ``false_fn()``."""
    return true_fn() if bool(pred) else false_fn()


def no_grad():
    """A context that does nothing: NumPy records no gradients."""
    return contextlib.nullcontext()


# Symbolic shape inference, as Keras's NumPy backend does it: run the function on zero arrays,
# with an unknown size (None) tried at two values; output sizes that change with it are unknown.
_PROBE_SIZES = (83, 89)
_SYMBOLIC_RUNS = []


_STATELESS_SCOPES = []


def in_symbolic_run():
    """True while a layer runs on placeholder arrays to infer output shapes."""
    return bool(_SYMBOLIC_RUNS)


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
            value = np.array(convert_to_tensor(value, dtype=variable.dtype), copy=True)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Invalid value for variable {variable.path}: it should have shape "
                    f"{variable.shape}, but received {tuple(value.shape)}"
                )
            self._values[id(variable)] = (variable, value.view(MaskableArray))

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


def reset_compiled_functions():
    """Nothing to drop: the NumPy backend compiles nothing."""


def _run_symbolically(fn, args, kwargs, size):
    def convert(x):
        if isinstance(x, KerasTensor):
            dims = [size if d is None else d for d in x.shape]
            return np.zeros(dims, dtype=to_numpy_dtype(x.dtype))
        return x

    a, k = tree.map_structure(convert, (args, kwargs))
    _SYMBOLIC_RUNS.append(size)
    try:
        with np.errstate(all="ignore"):
            return fn(*a, **k)
    finally:
        _SYMBOLIC_RUNS.pop()


def compute_output_spec(fn, *args, **kwargs):
    """Runs ``fn`` on KerasTensors and returns KerasTensors of its outputs' shapes and dtypes."""
    has_unknown = any(
        None in x.shape for x in tree.flatten((args, kwargs)) if isinstance(x, KerasTensor)
    )
    probes = _PROBE_SIZES if has_unknown else _PROBE_SIZES[:1]
    outputs = [_run_symbolically(fn, args, kwargs, size) for size in probes]

    def to_spec(*arrays):
        first = arrays[0]
        if not isinstance(first, (np.ndarray, np.generic)):
            return first
        dims = zip(*(np.shape(a) for a in arrays))
        spec_shape = tuple(d[0] if len(set(d)) == 1 else None for d in dims)
        return KerasTensor(spec_shape, dtype=standardize_dtype(first.dtype))

    if len(outputs) == 1:
        return tree.map_structure(to_spec, outputs[0])
    flat = [tree.flatten(o) for o in outputs]
    specs = [to_spec(*group) for group in zip(*flat)]
    return tree.pack_sequence_as(outputs[0], specs)


def scatter_update(x, indices, updates):
    """A copy of ``x`` with ``x[indices[i]] = updates[i]``."""
    x = np.array(convert_to_tensor(x), copy=True)
    index = tuple(np.asarray(convert_to_tensor(indices), dtype=np.int64).T)
    x[index] = convert_to_tensor(updates, x.dtype)
    return x


def scatter(indices, values, shape):
    """A zeros array of ``shape`` with ``values`` added at ``indices`` (duplicates add up)."""
    indices = np.asarray(convert_to_tensor(indices), dtype=np.int64)
    values = convert_to_tensor(values)
    depth = indices.shape[-1]
    shape = tuple(int(s) for s in shape)
    if depth > len(shape):
        raise ValueError(
            f"`scatter` indices index {depth} axes but `shape` has {len(shape)}. "
            f"Received: indices.shape={tuple(indices.shape)}, shape={shape}"
        )
    out = np.zeros(shape, dtype=values.dtype)
    np.add.at(out, tuple(indices.reshape(-1, depth).T), values.reshape((-1,) + shape[depth:]))
    return out


def slice(inputs, start_indices, shape):
    """The block of ``inputs`` that starts at ``start_indices`` and has ``shape``."""
    inputs = convert_to_tensor(inputs)
    starts = [int(s) for s in np.asarray(start_indices).reshape(-1)]
    sizes = [int(s) for s in np.asarray(shape).reshape(-1)]
    return inputs[tuple(builtins.slice(s, s + n) for s, n in zip(starts, sizes))]


def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` whose block at ``start_indices`` is replaced by ``updates``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    starts = [int(s) for s in np.asarray(start_indices).reshape(-1)]
    outputs = np.array(inputs, copy=True)
    region = tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))
    outputs[region] = updates
    return outputs


def unstack(x, num=None, axis=0):
    """The slices of ``x`` along ``axis``, as a list (``num``, when given, must match)."""
    x = convert_to_tensor(x)
    if num is not None and x.shape[axis] != num:
        raise ValueError(
            f"`unstack` got num={num} but the input has {x.shape[axis]} entries along "
            f"axis {axis} (shape {tuple(x.shape)})"
        )
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


def _dtype_limits(dtype):
    if dtype == np.bool_:
        return 0, 1
    if dtype.kind == "f" or dtype.name == "bfloat16":
        info = np.finfo(dtype)
    else:
        info = np.iinfo(dtype)
    return info.min, info.max


def saturate_cast(x, dtype):
    """``x`` cast to ``dtype`` with values clipped to the range ``dtype`` can hold."""
    x = convert_to_tensor(x)
    target = to_numpy_dtype(dtype)
    if x.dtype == np.bool_:
        return x.astype(target)
    in_min, in_max = _dtype_limits(x.dtype)
    out_min, out_max = _dtype_limits(target)
    low = np.array(builtins.max(in_min, out_min), dtype=x.dtype)
    high = np.array(builtins.min(in_max, out_max), dtype=x.dtype)
    if x.dtype.kind == "f":
        if low < out_min:
            low = np.nextafter(low, np.zeros_like(low))
        if high > out_max:
            high = np.nextafter(high, np.zeros_like(high))
    return np.clip(x, low, high).astype(target)


def remat(f):
    """``f`` as it is: without gradients there are no activations to keep or recompute."""
    return f


def value_and_gradients(fn, inputs):
    """Not available: the NumPy backend computes no gradients (it runs inference only)."""
    raise not_supported("value_and_gradients")
