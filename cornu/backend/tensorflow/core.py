"""TensorFlow core: the Variable, stateless and symbolic scopes, devices, gradients control and
shape inference; it re-exports the conversions (``core_convert``) and structural ops
(``core_ops``), so that ``core`` is the whole ``core`` family.

Tensors are ``tf.Tensor`` values (eager, or symbolic inside a ``tf.function``).
"""

import contextlib

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core_convert import (  # noqa: F401
    SymbolicValueError,
    cast,
    convert_to_numpy,
    convert_to_tensor,
    is_tensor,
    shape,
    standardize_tensor_dtype,
    to_tf_dtype,
)
from cornu.backend.tensorflow.core_ops import (  # noqa: F401
    saturate_cast,
    scatter,
    scatter_update,
    slice,
    slice_update,
    unstack,
)
from cornu.core import tree
from cornu.core.dtypes import standardize_dtype
from cornu.core.keras_tensor import KerasTensor
from cornu.core.variable import VariableBase

_SYMBOLIC_RUNS = []
_STATELESS_SCOPES = []


def in_symbolic_run():
    """True while a layer runs on placeholder tensors to infer output shapes (state updates
    such as moving averages are skipped then)."""
    return bool(_SYMBOLIC_RUNS)


class Variable(VariableBase):
    """A Variable held in a ``tf.Variable``, assigned in place (also inside a ``tf.function``,
    which traces the assignment); ``value`` reads it as a tensor.

    Inside a ``StatelessScope`` that maps it, ``value`` is the mapped tensor and assignments
    are recorded by the scope instead. Python operators and TensorFlow ops accept it.
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None):  # noqa: F811
        # Created eagerly even inside a trace (a layer built during shape inference or inside
        # a tf.function), so that the variable outlives the graph it was first used in.
        with tf.init_scope():
            super().__init__(initializer, shape=shape, dtype=dtype, trainable=trainable, name=name)

    @property
    def value(self):
        """The value as a tensor: a read of the ``tf.Variable`` (recorded by a gradient tape
        and ordered with assignments inside a ``tf.function``), or the mapped value inside a
        ``StatelessScope``."""
        value = self._value
        return value.value() if isinstance(value, tf.Variable) else value

    def _initialize(self, value):
        self._value = tf.Variable(
            convert_to_tensor(value, dtype=self._dtype), trainable=self._trainable
        )

    def _direct_assign(self, value):
        if _SYMBOLIC_RUNS:
            return  # shape inference changes no state
        value = convert_to_tensor(value, dtype=self._dtype)
        if _STATELESS_SCOPES:
            _STATELESS_SCOPES[-1].add_update(self, value)
            return
        self._value.assign(value)

    def assign_add(self, value):
        self._direct_assign(self._value + convert_to_tensor(value, self._dtype))

    def assign_sub(self, value):
        self._direct_assign(self._value - convert_to_tensor(value, self._dtype))

    def numpy(self):
        return convert_to_numpy(self._value)

    def _from_array(self, array):
        return convert_to_tensor(array)

    def _set_frozen(self, frozen):
        """Freezes (or unfreezes) the variable because its layer's ``trainable`` changed."""
        self._frozen = bool(frozen)

    def __tf_tensor__(self, dtype=None, name=None):
        return tf.convert_to_tensor(self.value, dtype=dtype, name=name)


def _variable_to_tensor(variable, dtype=None, name=None, as_ref=False):
    return tf.convert_to_tensor(variable.value, dtype=dtype, name=name)


tf.register_tensor_conversion_function(Variable, _variable_to_tensor)


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

    The values may be symbolic tensors (inside a ``tf.function``); each mapped variable gets
    its own ``tf.Variable`` back when the block ends.

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
            if value.shape.rank is not None and not value.shape.is_compatible_with(variable.shape):
                raise ValueError(
                    f"Invalid value for variable {variable.path}: it should have shape "
                    f"{variable.shape}, but received {tuple(value.shape.as_list())}"
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
_DEVICE = [None]


def _parse_device(device_name):
    name = str(device_name).lower().replace("cuda", "gpu").lstrip("/")
    if "device:" in name:  # a TensorFlow device string, "/job:.../device:CPU:0"
        name = name.rsplit("device:", 1)[1]
    platform, _, index = name.partition(":")
    position = int(index) if index else 0
    devices = tf.config.list_logical_devices(platform.upper())
    if not 0 <= position < len(devices):
        available = ", ".join(
            d.name.split("device:")[-1].lower() for d in tf.config.list_logical_devices()
        )
        raise ValueError(
            f"Unknown or unavailable device {device_name!r} on the TensorFlow backend. "
            f"Available: {available}"
        )
    return platform if position == 0 else f"{platform}:{position}"


def get_device():
    """The device new tensors and variables go to, as a name (``"cpu"``, ``"gpu"``, ``"gpu:1"``)."""
    if _DEVICE[0] is not None:
        return _DEVICE[0]
    return "gpu" if tf.config.list_logical_devices("GPU") else "cpu"


def _tf_device(name):
    platform, _, index = name.partition(":")
    return f"/{platform.upper()}:{index or 0}"


@contextlib.contextmanager
def device_scope(device_name):
    """Places new tensors and variables on ``device_name`` (e.g. ``"cpu"``, ``"gpu:0"``)."""
    name = _parse_device(device_name)
    previous = _DEVICE[0]
    _DEVICE[0] = name
    try:
        with tf.device(_tf_device(name)):
            yield
    finally:
        _DEVICE[0] = previous


def to_device(x):
    """``x`` (an eager tensor) on the current device; other values are returned as they are."""
    if _DEVICE[0] is None or not isinstance(x, tf.Tensor) or not tf.executing_eagerly():
        return x
    target = _tf_device(_DEVICE[0])
    if x.device.upper().endswith(target[1:]):
        return x
    with tf.device(target):
        return tf.identity(x)


def is_native_module(x):
    """False: cornu wraps no TensorFlow module objects."""
    return False


def module_parameters(module):
    """Not available: native modules (``TorchModuleWrapper``) need the torch backend."""
    raise NotImplementedError(
        "Native modules (TorchModuleWrapper) are not available on the TensorFlow backend; "
        "they need the torch backend (CORNU_BACKEND=torch)."
    )


def reset_compiled_functions():
    """Drops TensorFlow's global graph state, as Keras's ``clear_session()`` does (each
    ``tf.function`` keeps its own traces; the trainer drops those with its step functions)."""
    if tf.executing_eagerly():
        tf.compat.v1.reset_default_graph()


def no_grad():
    """A context that does nothing: TensorFlow records gradients only inside a
    ``tf.GradientTape``, and the updates made under ``no_grad`` are assignments, which a tape
    does not differentiate."""
    return contextlib.nullcontext()


def stop_gradient(x):
    """``x`` with gradients blocked."""
    return tf.stop_gradient(convert_to_tensor(x))


def remat(f):
    """``f`` rematerialized: its activations are recomputed in the backward pass
    (``tf.recompute_grad``) instead of being kept."""
    return tf.recompute_grad(f)


def _is_symbolic(x):
    return tf.is_tensor(x) and not hasattr(x, "numpy") and not isinstance(x, tf.Variable)


def cond(pred, true_fn, false_fn):
    """``true_fn()`` when ``pred`` holds, else ``false_fn()``; a symbolic ``pred`` (inside a
    ``tf.function``) gives ``tf.cond`` (both branches must then return the same structure)."""
    if isinstance(pred, VariableBase):
        pred = pred.value
    if _is_symbolic(pred):
        return tf.cond(tf.cast(pred, tf.bool), true_fn, false_fn)
    return true_fn() if bool(pred) else false_fn()


# Symbolic shape inference: the function traced in a scratch graph on placeholders whose
# unknown sizes stay unknown (TensorFlow propagates them). A function that reads values
# (Python control flow on a tensor) is run eagerly on zeros instead, with each unknown size
# tried at two values: output sizes that change with it are unknown.
_PROBE_SIZES = (83, 89)


def _split_outputs(outputs):
    """The outputs' leaves: tensors as (shape, dtype) pairs, the others kept as they are."""
    structure = outputs
    leaves = []
    for leaf in tree.flatten(outputs):
        if isinstance(leaf, VariableBase):
            leaf = leaf.value
        if tf.is_tensor(leaf):
            leaves.append((tuple(leaf.shape.as_list()), standardize_dtype(leaf.dtype)))
        elif isinstance(leaf, (np.ndarray, np.generic)):
            leaves.append((leaf.shape, standardize_dtype(leaf.dtype)))
        else:
            leaves.append(leaf)
    return structure, leaves


def _call_with(fn, args, kwargs, flat, positions, tensors):
    leaves = list(flat)
    for i, tensor in zip(positions, tensors):
        leaves[i] = tensor
    a, k = tree.pack_sequence_as((args, kwargs), leaves)
    return fn(*a, **k)


def _traced_outputs(fn, args, kwargs, flat, positions):
    graph = tf.__internal__.FuncGraph("cornu_output_spec")
    with graph.as_default():
        placeholders = [
            tf.compat.v1.placeholder(to_tf_dtype(flat[i].dtype), shape=flat[i].shape)
            for i in positions
        ]
        return _split_outputs(_call_with(fn, args, kwargs, flat, positions, placeholders))


def _eager_outputs(fn, args, kwargs, flat, positions, size):
    zeros = [
        tf.zeros(tuple(size if d is None else d for d in flat[i].shape), to_tf_dtype(flat[i].dtype))
        for i in positions
    ]
    return _split_outputs(_call_with(fn, args, kwargs, flat, positions, zeros))


# What a function that reads values raises while it is traced: a Python branch on a tensor,
# or a conversion of one to NumPy.
VALUE_READ_ERRORS = (tf.errors.OperatorNotAllowedInGraphError, SymbolicValueError)


def compute_output_spec(fn, *args, **kwargs):
    """Runs ``fn`` on KerasTensors and returns KerasTensors of its outputs' shapes and dtypes."""
    flat = tree.flatten((args, kwargs))
    positions = [i for i, x in enumerate(flat) if isinstance(x, KerasTensor)]
    _SYMBOLIC_RUNS.append(None)
    try:
        with StatelessScope():
            try:
                runs = [_traced_outputs(fn, args, kwargs, flat, positions)]
            except VALUE_READ_ERRORS:
                unknown = any(None in flat[i].shape for i in positions)
                sizes = _PROBE_SIZES if unknown else _PROBE_SIZES[:1]
                runs = [_eager_outputs(fn, args, kwargs, flat, positions, s) for s in sizes]
    finally:
        _SYMBOLIC_RUNS.pop()
    structure = runs[0][0]
    specs = []
    for group in zip(*(leaves for _, leaves in runs)):
        first = group[0]
        if not (isinstance(first, tuple) and len(first) == 2 and isinstance(first[1], str)):
            specs.append(first)
            continue
        dims = zip(*(g[0] for g in group))
        spec_shape = tuple(d[0] if len(set(d)) == 1 else None for d in dims)
        specs.append(KerasTensor(spec_shape, dtype=first[1]))
    return tree.pack_sequence_as(structure, specs)
