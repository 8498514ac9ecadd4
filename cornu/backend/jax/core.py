"""JAX core: tensor conversion, dtypes, the Variable, stateless and symbolic scopes, shape
inference and the structural ops (scatter, slice, unstack).

Tensors are ``jax.Array`` values (tracers under ``jax.jit``/``jax.grad``). jax's 64-bit mode
stays off, as in Keras: 64-bit dtypes map to their 32-bit counterparts.
"""

import builtins
import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from cornu.core import tree
from cornu.core.config import floatx
from cornu.core.dtypes import standardize_dtype
from cornu.core.keras_tensor import KerasTensor
from cornu.core.variable import VariableBase

# Without jax's x64 mode the 64-bit dtypes do not exist; a request for one gets the 32-bit
# dtype of the same kind (what jax itself gives, without its warning).
_NARROWED = {
    "float64": "float32",
    "int64": "int32",
    "uint64": "uint32",
    "complex128": "complex64",
}


def _x64():
    return bool(jax.config.jax_enable_x64)


def to_jax_dtype(dtype):
    """The jax (NumPy) dtype for a Keras dtype name (or anything ``standardize_dtype`` accepts).

    64-bit dtypes become their 32-bit counterparts while jax's x64 mode is off (Keras's
    default on JAX).
    """
    name = standardize_dtype(dtype)
    if name == "string":
        raise TypeError("The JAX backend has no string tensors. Received: dtype='string'")
    if not _x64():
        name = _NARROWED.get(name, name)
    return jnp.dtype(name)


def is_tensor(x):
    """True for a jax array (or a tracer of one under ``jax.jit``/``jax.grad``)."""
    return isinstance(x, jax.Array)


def _python_dtype(x):
    """The dtype Keras gives Python data: booleans stay bool, ints become int32 (int64 when
    one does not fit), floats ``floatx()``; None for anything else (jax decides)."""
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
        return floatx()
    if int in kinds:
        return "int64" if big else "int32"
    return "bool"


def _numeric_error(x):
    return TypeError(
        f"Expected numeric data (a number, list, NumPy array or tensor), received "
        f"{type(x).__name__}: {str(x)[:80]}"
    )


def _unwrap(x):
    """A Variable's value; lists and tuples item-wise (so jnp.asarray sees arrays only)."""
    if isinstance(x, Variable):
        return x.value
    if isinstance(x, (list, tuple)):
        return [_unwrap(v) for v in x]
    return x


def tracing():
    """True while jax traces a function (``jax.jit``, ``jax.eval_shape``): new arrays made
    there are staged into the traced program, not computed."""
    return isinstance(jnp.ones(()), jax.core.Tracer)


def from_host(x):
    """NumPy array ``x`` as a jax array, copied without compiling anything (``jnp``'s
    constructors compile a program for each new shape when run eagerly)."""
    return jax.device_put(x, may_alias=False)


def convert_to_tensor(x, dtype=None, sparse=None):
    """``x`` as a jax array; an array already of that dtype is returned as it is.

    NumPy arrays keep their dtype (64-bit ones narrowed, as jax does), Python ints become
    int32 and floats ``floatx()``; torch tensors pass through NumPy. Strings and other
    non-numeric data raise a TypeError.
    """
    if sparse:
        raise ValueError("`sparse=True` is not supported on the JAX backend.")
    target = to_jax_dtype(dtype) if dtype is not None else None
    if isinstance(x, jax.Array):
        if target is None or x.dtype == target:
            return x
        return x.astype(target)
    if isinstance(x, Variable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, KerasTensor):
        raise TypeError(
            f"{x!r} is symbolic and has no values; it cannot become a tensor. In a Functional "
            "model, do the computation inside a Layer (a subclass of `cornu.layers.Layer` with a "
            "`call` method) so it runs on real arrays."
        )
    if not isinstance(x, (np.ndarray, np.generic, list, tuple)) and hasattr(x, "__array__"):
        if hasattr(x, "detach"):  # a foreign (torch) tensor, converted as Keras converts it
            x = x.detach().cpu()
            if str(x.dtype) == "torch.bfloat16":
                return convert_to_tensor(np.asarray(x.float()), dtype or "bfloat16")
        x = np.asarray(x)
    if isinstance(x, (np.ndarray, np.generic)):
        if x.dtype.kind in "OUSV":
            raise TypeError(
                f"Expected numeric data, received a NumPy array of dtype {x.dtype}. "
                "Convert strings and objects to numbers first (e.g. with "
                "`x.astype('float32')`)."
            )
        if target is None:
            target = to_jax_dtype(x.dtype)
        if x.dtype != target:
            x = x.astype(target)  # cast (and 64-bit narrowed) on the host: jax would warn
        # A copy onto the device: `jnp.asarray` would compile a program for each new shape.
        return from_host(x)
    if target is None:
        inferred = _python_dtype(x)
        target = to_jax_dtype(inferred) if inferred is not None else None
    try:
        return jnp.asarray(_unwrap(x), dtype=target)
    except OverflowError as e:
        raise ValueError(
            f"{str(x)[:80]} does not fit in {target}: the JAX backend runs without 64-bit "
            "types (jax's x64 mode is off, as in Keras). Pass smaller values or floats."
        ) from e
    except (TypeError, ValueError) as e:
        raise _numeric_error(x) from e


def cast(x, dtype):
    """``x`` converted to ``dtype``."""
    return convert_to_tensor(x, dtype)


def convert_to_numpy(x):
    """``x`` as a NumPy array on the host (bfloat16 becomes float32). A variable's value is
    copied, so the array does not change when the variable does."""
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    if isinstance(x, jax.Array):
        if x.dtype == jnp.bfloat16:
            x = x.astype(jnp.float32)
        return np.array(x)
    return np.asarray(x)


def shape(x):
    """The shape as a tuple of ints (None in a symbolic tensor's unknown sizes)."""
    return tuple(x.shape)


def standardize_tensor_dtype(x):
    """The Keras dtype name of a tensor's dtype."""
    return standardize_dtype(x.dtype)


_SYMBOLIC_RUNS = []
_STATELESS_SCOPES = []


def in_symbolic_run():
    """True while a layer runs on placeholder tensors to infer output shapes (state updates
    such as moving averages are skipped then)."""
    return bool(_SYMBOLIC_RUNS)


class Variable(VariableBase):
    """A Variable whose value is a ``jax.Array``, replaced on each assignment.

    Inside a ``StatelessScope`` that maps it, ``value`` is the mapped array and assignments
    are recorded by the scope instead. Python operators and ``jnp.asarray`` accept it.
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None):
        # Evaluated now even inside a trace (a layer built during shape inference or a
        # jitted step), so that a variable never holds a tracer that outlives its trace.
        with jax.ensure_compile_time_eval():
            super().__init__(initializer, shape=shape, dtype=dtype, trainable=trainable, name=name)

    def _initialize(self, value):
        self._value = convert_to_tensor(value, dtype=self._dtype)

    def _direct_assign(self, value):
        if _SYMBOLIC_RUNS:
            return  # shape inference changes no state
        value = convert_to_tensor(value, dtype=self._dtype)
        if _STATELESS_SCOPES:
            _STATELESS_SCOPES[-1].add_update(self, value)
            return
        self._value = value

    def assign_add(self, value):
        self._direct_assign(self._value + convert_to_tensor(value))

    def assign_sub(self, value):
        self._direct_assign(self._value - convert_to_tensor(value))

    def numpy(self):
        return convert_to_numpy(self._value)

    def _from_array(self, array):
        return convert_to_tensor(array)

    def _set_frozen(self, frozen):
        """Freezes (or unfreezes) the variable because its layer's ``trainable`` changed."""
        self._frozen = bool(frozen)

    def __jax_array__(self):
        return self.value


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

    The values may be tracers (inside ``jax.jit``); each mapped variable gets its own value
    back when the block ends.

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
            self._values[id(variable)] = (variable, value)

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


# Devices: names as the other backends write them ("cpu", "gpu", "gpu:1"; "cuda" is "gpu").
_DEVICE = None


def _device_name(device):
    return device.platform if device.id == 0 else f"{device.platform}:{device.id}"


def _parse_device(device_name):
    name = str(device_name).lower().replace("cuda", "gpu")
    platform, _, index = name.partition(":")
    try:
        devices = jax.devices(platform)
    except RuntimeError as error:
        raise ValueError(
            f"Unknown or unavailable device {device_name!r} on the JAX backend. Available: "
            f"{', '.join(_device_name(d) for d in jax.devices())}"
        ) from error
    position = int(index) if index else 0
    if not 0 <= position < len(devices):
        raise ValueError(
            f"Device {device_name!r} does not exist: jax has {len(devices)} {platform} device(s)."
        )
    return devices[position]


def _current_device():
    return _DEVICE if _DEVICE is not None else jax.devices()[0]


def get_device():
    """The device new tensors and variables go to, as a name (``"cpu"``, ``"gpu"``, ``"gpu:1"``)."""
    return _device_name(_current_device())


@contextlib.contextmanager
def device_scope(device_name):
    """Places new tensors and variables on ``device_name`` (e.g. ``"cpu"``, ``"gpu:0"``)."""
    global _DEVICE
    device = _parse_device(device_name)
    previous = _DEVICE
    _DEVICE = device
    try:
        with jax.default_device(device):
            yield
    finally:
        _DEVICE = previous


def to_device(x):
    """``x`` (a jax array) on the current device; other values are returned as they are."""
    if isinstance(x, jax.Array) and not isinstance(x, jax.core.Tracer):
        device = _current_device()
        if device not in x.devices():
            return jax.device_put(x, device)
    return x


def is_native_module(x):
    """False: JAX has no module objects for cornu to wrap."""
    return False


def module_parameters(module):
    """Not available: JAX has no native modules (``TorchModuleWrapper`` needs torch)."""
    raise NotImplementedError(
        "Native modules (TorchModuleWrapper) are not available on the JAX backend; "
        "they need the torch backend (CORNU_BACKEND=torch)."
    )


def reset_compiled_functions():
    """Drops jax's caches of compiled functions, as Keras's ``clear_session()`` does."""
    jax.clear_caches()


def no_grad():
    """A context that does nothing: JAX records gradients only inside ``jax.grad``."""
    return contextlib.nullcontext()


def stop_gradient(x):
    """``x`` with gradients blocked."""
    return jax.lax.stop_gradient(convert_to_tensor(x))


def remat(f):
    """``f`` rematerialized: its activations are recomputed in the backward pass
    (``jax.checkpoint``) instead of being kept."""
    return jax.checkpoint(f)


def cond(pred, true_fn, false_fn):
    """``true_fn()`` when ``pred`` holds, else ``false_fn()``; a traced ``pred`` gives
    ``jax.lax.cond`` (both branches must then return the same shapes and dtypes)."""
    if isinstance(pred, jax.core.Tracer):
        return jax.lax.cond(pred, true_fn, false_fn)
    return true_fn() if bool(pred) else false_fn()


# Symbolic shape inference: ``jax.eval_shape`` of the function on shape-and-dtype specs. A
# size unknown at build time (None) is tried with two different values: output sizes that
# change with it are unknown too.
_PROBE_SIZES = (83, 89)


def _run_symbolically(fn, args, kwargs, size):
    flat = tree.flatten((args, kwargs))
    positions = [i for i, x in enumerate(flat) if isinstance(x, KerasTensor)]
    specs = [
        jax.ShapeDtypeStruct(
            tuple(size if d is None else d for d in flat[i].shape), to_jax_dtype(flat[i].dtype)
        )
        for i in positions
    ]
    statics = {}

    def run(*arrays):
        leaves = list(flat)
        for i, array in zip(positions, arrays):
            leaves[i] = array
        a, k = tree.pack_sequence_as((args, kwargs), leaves)
        outputs = fn(*a, **k)
        # Leaves that are not arrays (None, Python numbers, strings) are kept as they are.
        out_flat = tree.flatten(outputs)
        arrays_out = []
        for j, leaf in enumerate(out_flat):
            if isinstance(leaf, (jax.Array, np.ndarray, np.generic)):
                arrays_out.append(leaf)
            else:
                statics[j] = leaf
                arrays_out.append(None)
        statics["structure"] = outputs
        return arrays_out

    _SYMBOLIC_RUNS.append(size)
    try:
        with StatelessScope():
            try:
                shapes = jax.eval_shape(run, *specs)
            except _CONCRETE_VALUE_ERRORS:
                # The function reads values (Python control flow on a tensor): run it on
                # zeros instead, as the torch backend does for operations without meta kernels.
                zeros = [jnp.zeros(spec.shape, spec.dtype) for spec in specs]
                shapes = [
                    a if a is None else jax.ShapeDtypeStruct(jnp.shape(a), jnp.result_type(a))
                    for a in run(*zeros)
                ]
    finally:
        _SYMBOLIC_RUNS.pop()
    leaves = [statics.get(j, s) for j, s in enumerate(shapes)]
    return tree.pack_sequence_as(statics["structure"], leaves)


_CONCRETE_VALUE_ERRORS = (
    jax.errors.ConcretizationTypeError,
    jax.errors.TracerArrayConversionError,
    jax.errors.TracerIntegerConversionError,
    jax.errors.TracerBoolConversionError,
)


def compute_output_spec(fn, *args, **kwargs):
    """Runs ``fn`` on KerasTensors and returns KerasTensors of its outputs' shapes and dtypes."""
    has_unknown = any(
        None in x.shape for x in tree.flatten((args, kwargs)) if isinstance(x, KerasTensor)
    )
    probes = _PROBE_SIZES if has_unknown else _PROBE_SIZES[:1]
    outputs = [_run_symbolically(fn, args, kwargs, size) for size in probes]

    def to_spec(*specs):
        first = specs[0]
        if not isinstance(first, jax.ShapeDtypeStruct):
            return first
        dims = zip(*(s.shape for s in specs))
        spec_shape = tuple(d[0] if len(set(d)) == 1 else None for d in dims)
        return KerasTensor(spec_shape, dtype=standardize_dtype(first.dtype))

    if len(outputs) == 1:
        return tree.map_structure(to_spec, outputs[0])
    flat = [tree.flatten(o) for o in outputs]
    specs = [to_spec(*group) for group in zip(*flat)]
    return tree.pack_sequence_as(outputs[0], specs)


def _indices(indices):
    return convert_to_tensor(indices, "int32")


def scatter(indices, values, shape):
    """A zeros tensor of ``shape`` with ``values`` added at ``indices`` (duplicates add up).

    ``indices`` has shape ``(..., d)`` and indexes the first ``d`` axes of ``shape``;
    ``values`` has shape ``indices.shape[:-1] + shape[d:]``.
    """
    indices = _indices(indices)
    values = convert_to_tensor(values)
    depth = indices.shape[-1]
    shape = tuple(int(s) for s in shape)
    if depth > len(shape):
        raise ValueError(
            f"`scatter` indices index {depth} axes but `shape` has {len(shape)}. "
            f"Received: indices.shape={tuple(indices.shape)}, shape={shape}"
        )
    indices = indices.reshape(-1, depth)
    values = values.reshape((-1,) + shape[depth:])
    return jnp.zeros(shape, dtype=values.dtype).at[tuple(indices.T)].add(values)


def scatter_update(x, indices, updates):
    """A copy of ``x`` with ``x[indices[i]] = updates[i]``."""
    x = convert_to_tensor(x)
    index = tuple(_indices(indices).T)
    return x.at[index].set(convert_to_tensor(updates, x.dtype))


def _static_ints(values):
    if isinstance(values, (list, tuple)):
        return builtins.all(isinstance(v, (int, np.integer)) for v in values)
    return isinstance(values, np.ndarray) and values.dtype.kind in "iu"


def slice(inputs, start_indices, shape):
    """The block of ``inputs`` that starts at ``start_indices`` and has ``shape``."""
    inputs = convert_to_tensor(inputs)
    sizes = tuple(int(s) for s in np.asarray(shape).reshape(-1))
    if _static_ints(start_indices):
        starts = [int(s) for s in np.asarray(start_indices).reshape(-1)]
        return inputs[tuple(builtins.slice(s, s + n) for s, n in zip(starts, sizes))]
    starts = [convert_to_tensor(s, "int32") for s in start_indices]
    return jax.lax.dynamic_slice(inputs, starts, sizes)


def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` whose block at ``start_indices`` is replaced by ``updates``."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    if _static_ints(start_indices):
        starts = [int(s) for s in np.asarray(start_indices).reshape(-1)]
        region = tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))
        return inputs.at[region].set(updates)
    starts = [convert_to_tensor(s, "int32") for s in start_indices]
    return jax.lax.dynamic_update_slice(inputs, updates, starts)


def unstack(x, num=None, axis=0):
    """The slices of ``x`` along ``axis``, as a list (``num``, when given, must match)."""
    x = convert_to_tensor(x)
    if num is not None and x.shape[axis] != num:
        raise ValueError(
            f"`unstack` got num={num} but the input has {x.shape[axis]} entries along "
            f"axis {axis} (shape {tuple(x.shape)})"
        )
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]


def _dtype_limits(dtype):
    if dtype == jnp.bool_:
        return 0, 1
    if jnp.issubdtype(dtype, jnp.floating):
        info = jnp.finfo(dtype)
    else:
        info = jnp.iinfo(dtype)
    return info.min, info.max


def saturate_cast(x, dtype):
    """``x`` cast to ``dtype`` with values clipped to the range ``dtype`` can hold (so
    ``inf`` and out-of-range values saturate instead of wrapping)."""
    x = convert_to_tensor(x)
    target = to_jax_dtype(dtype)
    if x.dtype == jnp.bool_:
        return x.astype(target)
    in_min, in_max = _dtype_limits(x.dtype)
    out_min, out_max = _dtype_limits(target)
    # The limits as values of x's dtype, compared in that dtype as Keras's JAX backend compares
    # them: a limit that only rounds to the target's bound (2**31 for int32 in float32) stays,
    # and XLA's float-to-int conversion saturates it to the bound.
    low = np.array(builtins.max(in_min, out_min)).astype(x.dtype)
    high = np.array(builtins.min(in_max, out_max)).astype(x.dtype)
    if low < out_min:
        low = np.nextafter(low, np.zeros_like(low))
    if high > out_max:
        high = np.nextafter(high, np.zeros_like(high))
    return jnp.clip(x, low, high).astype(target)
