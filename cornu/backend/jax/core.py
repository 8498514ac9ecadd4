"""JAX core: tensor conversion, dtypes, the Variable, stateless and symbolic scopes, shape
inference and the structural ops (scatter, slice, unstack).

Tensors are ``jax.Array`` values (tracers under ``jax.jit``/``jax.grad``). jax's 64-bit mode
stays off, as in Keras: 64-bit dtypes map to their 32-bit counterparts.
"""

import builtins  # noqa: F401  (slice, max, min shadowed below)

import jax
import jax.numpy as jnp
import numpy as np

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
        if x.dtype != target and x.dtype.itemsize == 8 and x.dtype.kind in "iuc":
            x = x.astype(target)  # narrowed on the host: jax would warn
        return jnp.asarray(x, dtype=target)
    if target is None:
        inferred = _python_dtype(x)
        target = to_jax_dtype(inferred) if inferred is not None else None
    try:
        return jnp.asarray(_unwrap(x), dtype=target)
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
