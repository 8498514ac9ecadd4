"""Layer: the base class of every layer and model.

A Layer owns weights (``add_weight``), creates them in ``build(input_shape)`` the first time it
is called, computes in ``call``, and describes itself with ``get_config``. On torch it is also a
``torch.nn.Module`` whose weights are Parameters.
"""

import collections
import inspect
import math

import numpy as np

from cornu import backend, core, dtype_policies
from cornu.core import KerasTensor, any_symbolic, tree
from cornu.core.global_state import AllocationRefused, bump_weights_version, weights_version
from cornu.core.masking import get_keras_mask, set_keras_mask
from cornu.layers import call_context as ctx_module
from cornu.layers.call_context import call_context
from cornu.layers.input_spec import assert_input_compatibility
from cornu.layers.layer_state import LayerStateMixin
from cornu.layers.node import Node
from cornu.metrics.metric import Metric
from cornu.random.seed_generator import SeedGenerator
from cornu.utils.remat_scope import get_current_remat_mode

_SIGNATURES = {}
_KERAS_ONLY_KEYS = ("quantization_config", "lora_rank", "lora_alpha", "lora_enabled", "ragged")


def _call_parameters(cls):
    params = _SIGNATURES.get(cls)
    if params is None:
        params = frozenset(inspect.signature(cls.call).parameters)
        _SIGNATURES[cls] = params
    return params


def _is_tensor_like(value):
    return hasattr(value, "shape") and hasattr(value, "dtype")


def _other_tensor_arguments(args, kwargs):
    """Whether a call passes tensors besides its first argument: Keras then fills no
    ``mask`` from the first one (only the ``<name>_mask`` of each named tensor)."""
    for value in args[1:] + tuple(kwargs.values()):
        if _is_tensor_like(value):
            return True
        if isinstance(value, (list, tuple)) and value and all(map(_is_tensor_like, value)):
            return True
    return False


_FIRST_ARG = {}


def _first_call_parameter(cls):
    """The name of ``call``'s first argument after ``self`` (None for ``*args``)."""
    if cls not in _FIRST_ARG:
        params = list(inspect.signature(cls.call).parameters.values())[1:]
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        _FIRST_ARG[cls] = params[0].name if params and params[0].kind in positional else None
    return _FIRST_ARG[cls]


_NAMED_ARGS = {}


def _named_call_args(cls):
    """For a layer whose ``call`` takes several tensors by name (``query``, ``value``, ...):
    the names that have a ``<name>_mask`` argument, the names whose shapes ``build`` takes as
    ``<name>_shape`` (when it takes more than one shape, as Keras decides), and the signature
    of ``call``. None for every other layer."""
    if cls in _NAMED_ARGS:
        return _NAMED_ARGS[cls]
    call_signature = inspect.signature(cls.call)
    params = list(call_signature.parameters)
    masked = tuple(k for k in params if f"{k}_mask" in params)
    build_params = list(inspect.signature(cls.build).parameters.values())[1:]
    built = ()
    if len(build_params) > 1:
        built = tuple(p.name[: -len("_shape")] for p in build_params if p.name.endswith("_shape"))
        built = tuple(k for k in built if k in params)
    info = (masked, built, call_signature) if masked or built else None
    _NAMED_ARGS[cls] = info
    return info


# The layer class that wraps a backend module assigned to a layer (TorchModuleWrapper, which
# registers itself here when cornu.layers is imported; it subclasses Layer, so Layer cannot
# import it).
_native_module_wrapper = [None]


def register_native_module_wrapper(wrapper_class):
    """Makes ``wrapper_class(module)`` the layer that wraps backend modules set on layers."""
    _native_module_wrapper[0] = wrapper_class


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)


_TRACKING_VERSION = [0]


def tracking_version():
    """A number that changes whenever a layer gains a sublayer or a metric, so that lists
    gathered by walking the layers (a model's metrics) can be cached."""
    return _TRACKING_VERSION[0]


def _bump_tracking_version():
    _TRACKING_VERSION[0] += 1


def default_config(get_config):
    """Marks a framework ``get_config`` (Layer's, Model's) as the default one: a subclass
    that keeps it gets Keras's auto config from its constructor's arguments."""
    get_config._default_config = True
    return get_config


class Layer(backend.BackendLayer, LayerStateMixin):
    """The base class of layers.

    Args:
        trainable: whether the layer's weights are updated by training.
        dtype: the layer's dtype policy: a `DTypePolicy`, its name (``"float32"``,
            ``"mixed_bfloat16"``: weights in float32, computations in bfloat16) or its config;
            when None, the global policy (``cornu.config.dtype_policy()``).
        autocast: cast floating inputs, and the weights read inside ``call``, to the compute
            dtype.
        name: the layer's name, unique by default (``dense``, ``dense_1``, ...).
        input_shape, input_dim, batch_size: Keras-2 style declaration of the input
            (without the batch axis) on the first layer of a Sequential model.

    Subclasses create weights in ``build(input_shape)`` with ``add_weight``, compute in
    ``call(inputs, ...)`` (optionally taking ``training``), and return their constructor's
    arguments from ``get_config``.
    """

    # Attributes whose Metric is not one of the layer's `metrics` (a model's own trackers).
    _untracked_metric_attributes = frozenset()

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._backend_init()
        object.__setattr__(obj, "_tracked_variables", [])
        object.__setattr__(obj, "_seed_generators", [])
        object.__setattr__(obj, "_layers", [])
        object.__setattr__(obj, "_losses", [])
        object.__setattr__(obj, "_metrics", [])
        object.__setattr__(obj, "_inbound_nodes", [])
        object.__setattr__(obj, "_outbound_nodes", [])
        object.__setattr__(obj, "built", False)
        object.__setattr__(obj, "_trainable", True)
        object.__setattr__(obj, "_auto_config", _auto_config(cls, args, kwargs))
        object.__setattr__(obj, "_remat_mode", get_current_remat_mode())
        return obj

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)
        for key in _KERAS_ONLY_KEYS:  # in Keras's configs; nothing to do when unset
            if key in kwargs and not kwargs[key]:
                kwargs.pop(key)
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}"
            )
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = (
            tuple(batch_input_shape) if batch_input_shape is not None else None
        )
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"A layer's name must be a string without '/'. Received: {name!r}")
        self.name = name or core.auto_name(type(self).__name__)
        self._trainable = bool(trainable)
        self._dtype_policy = _policy_of(dtype, self.name)
        self._set_backend_dtype(self.compute_dtype)
        self.autocast = autocast
        self.activity_regularizer = _get_callable(activity_regularizer, "regularizer", self.name)
        self.input_spec = None
        self.supports_masking = False
        self._build_shapes = None
        self._call_accepts_training = "training" in _call_parameters(type(self))
        self._call_accepts_mask = "mask" in _call_parameters(type(self))

    # ---- attributes and tracking ---------------------------------------------------------

    def __setattr__(self, name, value):
        if backend.core.is_native_module(value) and not getattr(
            self, "_wraps_native_module", False
        ):
            value = _native_module_wrapper[0](value)
        if self._is_variable(value):
            self._track_variable(value)
            self._set_attribute(name, value)
        elif isinstance(value, Layer):
            super().__setattr__(name, value)
            self._track_layer(value)
        elif isinstance(value, SeedGenerator):
            super().__setattr__(name, value)
            if not any(g is value for g in self._seed_generators):
                self._seed_generators.append(value)
        elif (type(value) is list or isinstance(value, _TrackedList)) and name[0] != "_":
            value = _TrackedList(self, name, value)
            self._set_attribute(name, value)
            for i, item in enumerate(value):
                self._track_item(name, i, item)
        elif isinstance(value, Metric) and name not in self._untracked_metric_attributes:
            super().__setattr__(name, value)
            if not any(m is value for m in self._metrics):
                self._metrics.append(value)
                _bump_tracking_version()
        elif (
            isinstance(value, (list, tuple)) and value and all(isinstance(v, Layer) for v in value)
        ):
            self._set_attribute(name, value)
            for i, item in enumerate(value):
                self._track_item(name, i, item)
        else:
            super().__setattr__(name, value)

    def _track_item(self, name, index, item):
        """Tracks a layer or variable held in the list attribute ``name``."""
        if isinstance(item, Layer):
            self._register_sublayer(f"{name}_{index}", item)
            self._track_layer(item)
        elif self._is_variable(item):
            self._track_variable(item)

    def _track_variable(self, variable):
        if not any(v is variable for v in self._tracked_variables):
            self._tracked_variables.append(variable)
            variable._path = f"{self.path or self.name}/{variable.name}"
            self._register_variable(variable)
            bump_weights_version()
            if not self._trainable:
                variable._set_frozen(True)

    def _track_layer(self, layer):
        if not any(existing is layer for existing in self._layers):
            self._layers.append(layer)
            _bump_tracking_version()

    @property
    def metrics(self):
        """The metrics assigned as attributes of this layer, then those of its sublayers
        (a layer updates them in `call`; a model reports them in its logs)."""
        metrics = list(self._metrics)
        for layer in self._layers:
            metrics.extend(layer.metrics)
        return metrics

    @property
    def metrics_variables(self):
        """The variables of `metrics`."""
        return [v for metric in self.metrics for v in metric.variables]

    def _flatten_layers(self, include_self=True, recursive=True):
        """This layer (with `include_self`) and every layer below it, each once, in Keras's
        order (a layer's sublayers come next, the last of them first)."""
        layers = [self] if include_self else []
        seen = set()
        queue = collections.deque(self._layers)
        while queue:
            layer = queue.popleft()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            layers.append(layer)
            if recursive:
                queue.extendleft(layer._layers)
        return layers

    # ---- dtype ---------------------------------------------------------------------------

    @property
    def dtype_policy(self):
        """The layer's `DTypePolicy` (settable with a policy or its name)."""
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        policy = _policy_of(value, self.name)
        current = self._dtype_policy
        if isinstance(current, dtype_policies.DTypePolicyMap) and self.path:
            if self.path in current:
                del current[self.path]
            current[self.path] = policy
        else:
            self._dtype_policy = policy
        self._set_backend_dtype(self.compute_dtype)

    def _own_policy(self):
        policy = self._dtype_policy
        if isinstance(policy, dtype_policies.DTypePolicyMap) and self.path:
            return policy[self.path]
        return policy

    @property
    def dtype(self):
        """The dtype of the layer's weights (its `variable_dtype`)."""
        return self._own_policy().variable_dtype

    @property
    def compute_dtype(self):
        """The dtype of the layer's computations: inputs and weights are cast to it."""
        return self._own_policy().compute_dtype

    @property
    def variable_dtype(self):
        """The dtype of the layer's weights."""
        return self._own_policy().variable_dtype

    def _autocast_variables(self):
        """The float weights that ``call`` reads in the compute dtype under a mixed policy
        (Keras's AutocastScope): those created with ``autocast=True`` by this layer and by
        the layers below it that compute in the same dtype and autocast. Cached until a layer
        gains a weight or a sublayer."""
        compute = self.compute_dtype
        if not self.autocast or compute == self.variable_dtype or not core.is_float_dtype(compute):
            return ()
        key = (weights_version(), tracking_version(), compute)
        cached = self.__dict__.get("_autocast_cache")
        if cached is not None and cached[0] == key:
            return cached[1]
        variables = []
        for layer in self._flatten_layers():
            if not layer.autocast or layer.compute_dtype != compute:
                continue
            variables.extend(
                v
                for v in layer._tracked_variables
                if getattr(v, "_autocast", True)
                and v.trainable
                and v.dtype != compute
                and core.is_float_dtype(v.dtype)
            )
        variables = _unique(variables)
        object.__setattr__(self, "_autocast_cache", (key, variables))
        return variables

    def _call_in_compute_dtype(self, call, args, kwargs):
        """Runs ``call`` with this layer's autocast weights read in the compute dtype (Keras's
        AutocastScope): each is cast once per call, and gradients reach the float32 weight
        through the cast."""
        variables = self._autocast_variables()
        if not variables:
            return call(*args, **kwargs)
        originals = [v._value for v in variables]
        compute = self.compute_dtype
        try:
            for v, value in zip(variables, originals):
                v._value = backend.cast(value, compute)
            return call(*args, **kwargs)
        finally:
            for v, value in zip(variables, originals):
                v._value = value

    # ---- weights -------------------------------------------------------------------------

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        name=None,
    ):
        """Creates a weight of this layer and returns it.

        Args:
            shape: the weight's shape, ``()`` when None.
            initializer: an initializer or its name; ``"glorot_uniform"`` for floats and
                ``"zeros"`` otherwise when None.
            dtype: the weight's dtype, the layer's when None.
            trainable: whether training updates it.
            regularizer: a callable giving a penalty added to the loss, or None.
            constraint: a callable applied to the weight after each optimizer update, or None.
            name: the weight's name within the layer.
        """
        from cornu import initializers

        shape = () if shape is None else tuple(shape)
        for d in shape:
            if not isinstance(d, int) or d < 0:
                raise ValueError(
                    f"Layer '{self.name}': cannot create weight {name!r} with shape {shape}: "
                    "every size must be a known non-negative int."
                )
        dtype = core.standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if core.is_float_dtype(dtype) else "zeros"
        initializer = initializers.get(initializer)
        name = name or "variable"
        try:
            variable = backend.Variable(
                initializer, shape=shape, dtype=dtype, trainable=trainable, name=name
            )
        except AllocationRefused as error:
            raise AllocationRefused(f"Layer '{self.name}': {error}") from None
        variable.regularizer = _get_callable(regularizer, "regularizer", self.name)
        variable.constraint = _get_callable(constraint, "constraint", self.name)
        variable._autocast = bool(autocast)
        self._track_variable(variable)
        return variable

    @property
    def trainable(self):
        """Whether training updates this layer's weights (and its sub-layers')."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        bump_weights_version()
        for variable in self._tracked_variables:
            variable._set_frozen(not value)
        for layer in self._layers:
            layer.trainable = value

    @property
    def weights(self):
        """All weights: this layer's trainable ones, its non-trainable ones, then sub-layers'."""
        own = [v for v in self._tracked_variables if v.trainable]
        own += [v for v in self._tracked_variables if not v.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.weights])

    @property
    def trainable_weights(self):
        """The weights that training updates (none when the layer is frozen)."""
        if not self.trainable:
            return []
        own = [v for v in self._tracked_variables if v.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.trainable_weights])

    @property
    def non_trainable_weights(self):
        """The weights that training leaves alone."""
        if not self.trainable:
            return self.weights
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    @property
    def variables(self):
        """All state: this layer's weights, its seed generators' states and other running
        state (a stateful RNN's states), then sub-layers' variables (that state is not
        weights: it is neither saved nor in `get_weights()`)."""
        own = [v for v in self._tracked_variables if v.trainable]
        own += [v for v in self._tracked_variables if not v.trainable]
        own += [g.state for g in self._seed_generators]
        own += self._running_state_variables()
        return _unique(own + [v for layer in self._layers for v in layer.variables])

    trainable_variables = trainable_weights

    def _running_state_variables(self):
        """Variables a call updates that are not weights (none here; a stateful RNN has its
        states). A compiled step carries them with the other non-trainable state."""
        return []

    @property
    def non_trainable_variables(self):
        """The state that training leaves alone, seed generators' states included."""
        if not self.trainable:
            return self.variables
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.variables if id(v) not in trainable]

    def get_weights(self):
        """The weights' values as a list of NumPy arrays, in ``weights`` order."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays in ``weights`` order; shapes must match."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"Layer '{self.name}' expected {len(own)} weights "
                f"({[v.name for v in own]}), but received {len(weights)}."
            )
        arrays = []
        for variable, value in zip(own, weights):
            shape = tuple(getattr(value, "shape", ()))
            if shape != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}' weight '{variable.name}' has shape {variable.shape}, "
                    f"but the provided value has shape {shape}."
                )
            arrays.append(value)
        for variable, value in zip(own, arrays):
            variable.assign(value)

    def count_params(self):
        """The number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't "
                "built. Build it first by calling it on data or with "
                "`layer.build(batch_input_shape)`."
            )
        return sum(math.prod(v.shape) for v in self.weights)

    # ---- losses --------------------------------------------------------------------------

    def add_loss(self, loss):
        """Adds a scalar loss (computed in ``call``) to the training objective."""
        scope = backend.core.get_stateless_scope()
        if scope is not None and scope.collect_losses:  # a stateless_call collects it
            scope.add_loss(loss)
            return
        ctx_module.note_add_loss()
        self._losses.append(loss)

    @property
    def losses(self):
        """Losses added in the last call, and the weights' regularization penalties."""
        scope = backend.core.get_stateless_scope()
        if scope is not None and scope.collect_losses:  # added inside a stateless_call
            return list(scope.losses) + self._gather_losses(include_added=False)
        return self._gather_losses(include_added=True)

    def _gather_losses(self, include_added):
        out = list(self._losses) if include_added else []
        if self.trainable:
            for variable in self._tracked_variables:
                if variable.regularizer is not None and variable.trainable:
                    out.append(variable.regularizer(variable.value))
        for layer in self._layers:
            out.extend(layer._gather_losses(include_added))
        return out

    def _clear_losses(self):
        self._losses.clear()
        for layer in self._layers:
            layer._clear_losses()

    # ---- building and calling ------------------------------------------------------------

    def build(self, input_shape=None):
        """Creates the layer's weights for inputs of ``input_shape``; called once, before
        the first ``call``."""
        self.built = True

    def _build_for(self, inputs):
        shapes = tree.map_structure(lambda x: tuple(x.shape), inputs)
        self._build_shapes = shapes
        self.build(shapes)
        self.built = True

    def _convert_array(self, value):
        """A NumPy array passed beside the inputs (or in a list of them) as a tensor, as
        Keras converts every array argument; anything else as it is."""
        if isinstance(value, np.ndarray):
            return self._convert_input(value) if value.dtype.kind in "biuf" else value
        if isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
            return type(value)(self._convert_array(v) for v in value)
        return value

    def _fills_mask(self, previous_mask, args, kwargs):
        """Keras's rule: ``mask`` left None gets the first input's mask when the call takes
        ``mask`` and passes no other tensor."""
        return (
            self._call_accepts_mask
            and previous_mask is not None
            and kwargs.get("mask") is None
            and not _other_tensor_arguments(args, kwargs)
        )

    def _named_tensors(self, named, args, kwargs):
        bound = named[2].bind_partial(self, *args, **kwargs).arguments
        return {k: v for k, v in bound.items() if _is_tensor_like(v)}

    def _fill_named_masks(self, named, args, kwargs):
        """Keras's rule for a call of several tensors: each ``<name>_mask`` left None is the
        ``_keras_mask`` of the tensor passed as ``<name>``."""
        if not named[0]:
            return kwargs
        tensors = self._named_tensors(named, args, kwargs)
        if len(tensors) < 2:
            return kwargs
        for name in named[0]:
            mask = get_keras_mask(tensors.get(name))
            if mask is not None and kwargs.get(f"{name}_mask") is None:
                kwargs = dict(kwargs, **{f"{name}_mask": mask})
        return kwargs

    def _build_from_call(self, named, inputs, args, kwargs):
        """Builds the layer for its first call: from the first input's shape, or, for a
        ``build`` taking ``<name>_shape`` arguments, from each named tensor's shape."""
        self._record_path()
        if named is None:
            self._build_for(inputs)
            return
        tensors = self._named_tensors(named, args, kwargs)
        shapes = {f"{k}_shape": tuple(tensors[k].shape) for k in named[1] if k in tensors}
        self._build_shapes_dict = shapes
        self.build(**shapes)
        self.built = True

    def call(self, *args, **kwargs):
        """The layer's computation; subclasses override it."""
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` method.")

    def __call__(self, *args, **kwargs):
        if not args and kwargs:
            first = "inputs" if "inputs" in kwargs else _first_call_parameter(type(self))
            if first in kwargs:  # the first argument given by name, e.g. layer(x=x)
                args = (kwargs.pop(first),)
        if any_symbolic(args, kwargs):
            return self._symbolic_call(args, kwargs)
        context = call_context
        outer_training = context.training
        training = kwargs.get("training")
        if self._call_accepts_training:
            if training is None and outer_training is not None:
                training = kwargs["training"] = outer_training
        else:
            kwargs.pop("training", None)
        if training is None:
            training = outer_training
        if args:
            previous_mask = _mask_of(args[0])
            inputs = self._convert_input(args[0])
            args = (inputs,) + args[1:]
            if len(args) > 1:
                args = (inputs,) + tuple(self._convert_array(a) for a in args[1:])
        else:
            inputs = previous_mask = None
        for key, value in kwargs.items():
            if isinstance(value, (np.ndarray, list, tuple)):
                kwargs[key] = self._convert_array(value)
        if self._fills_mask(previous_mask, args, kwargs):
            kwargs["mask"] = previous_mask
        elif kwargs.get("mask") is not None:
            previous_mask = kwargs["mask"]
        named = _named_call_args(type(self))
        if named is not None:
            kwargs = self._fill_named_masks(named, args, kwargs)
        if not self.built:
            self._build_from_call(named, inputs, args, kwargs)
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, inputs, self.name)
        if context.depth == 0 and ctx_module.add_loss_used():
            self._clear_losses()
        context.training = training
        context.depth += 1
        try:
            if self._remat_mode is None:
                outputs = self._call_in_compute_dtype(self._run_call, args, kwargs)
            else:
                call = self.rematerialized_call(self._run_call, *args, **kwargs)
                outputs = self._call_in_compute_dtype(call, args, kwargs)
        finally:
            context.training = outer_training
            context.depth -= 1
        if self.activity_regularizer is not None:
            for x in tree.flatten(outputs):
                penalty = self.activity_regularizer(x)
                if getattr(x, "ndim", 0) > 0 and x.shape[0]:
                    penalty = penalty / x.shape[0]
                self.add_loss(penalty)
        if self.supports_masking and (
            previous_mask is not None or type(self).compute_mask is not Layer.compute_mask
        ):
            self._set_output_mask(inputs, outputs, previous_mask, symbolic=False)
        return outputs

    def _set_output_mask(self, inputs, outputs, previous_mask, symbolic):
        if previous_mask is None and type(self).compute_mask is Layer.compute_mask:
            return
        flat_outputs = tree.flatten(outputs)
        if all(get_keras_mask(x) is not None for x in flat_outputs):
            return
        if symbolic:
            masks = backend.compute_output_spec(self.compute_mask, inputs, previous_mask)
        else:
            masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for x, mask in zip(flat_outputs, tree.flatten(masks)):
            if mask is not None and get_keras_mask(x) is None:
                try:
                    set_keras_mask(x, mask)
                except TypeError:
                    pass  # an output that holds no mask (a Python number)

    def _symbolic_call(self, args, kwargs):
        inputs = args[0] if args else None
        previous_mask = kwargs.get("mask")
        if previous_mask is None and inputs is not None:
            previous_mask = _mask_of(inputs)
        named = _named_call_args(type(self))
        if not self.built:
            self._build_from_call(named, inputs, args, kwargs)
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, inputs, self.name)
        kwargs = {k: v for k, v in kwargs.items() if k != "training" or self._call_accepts_training}
        spec_kwargs = kwargs
        if self._fills_mask(previous_mask, args, kwargs):
            spec_kwargs = dict(kwargs, mask=previous_mask)
        if named is not None:  # the node keeps the call as made; masks are found again eagerly
            spec_kwargs = self._fill_named_masks(named, args, spec_kwargs)
        spec_args = self._symbolic_inputs_in_compute_dtype(args)
        outputs = self._call_in_compute_dtype(self.compute_output_spec, spec_args, spec_kwargs)
        Node(self, args, kwargs, outputs)
        if self.supports_masking:
            self._set_output_mask(inputs, outputs, previous_mask, symbolic=True)
        return outputs

    def _symbolic_inputs_in_compute_dtype(self, args):
        """The symbolic inputs as the eager call sees them: floating ones in the compute dtype
        (Keras's autocast), others as they are."""
        if not args or not self.autocast:
            return args
        compute = self.compute_dtype
        policy = self._own_policy()

        def convert(x):
            if isinstance(x, KerasTensor) and policy.should_cast(x.dtype, True, compute):
                converted = KerasTensor(x.shape, dtype=compute, sparse=x.sparse, name=x.name)
                mask = getattr(x, "_keras_mask", None)
                if mask is not None:
                    converted._keras_mask = mask
                return converted
            return x

        first = tree.map_structure(convert, args[0])
        return (first,) + tuple(args[1:])

    def compute_output_shape(self, input_shape):
        """The output shape for inputs of ``input_shape`` (None for unknown sizes)."""
        raise NotImplementedError

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs (KerasTensors) for symbolic inputs."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = tree.map_structure(lambda x: x.shape, args[0])
            shape = self.compute_output_shape(shapes)
            return _specs_from_shapes(shape, self.compute_dtype)
        return backend.compute_output_spec(self.call, *args, **kwargs)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs: the input's mask when the layer supports masking.

        Masks travel on tensors as ``tensor._keras_mask``; a layer whose ``call`` takes a
        ``mask`` argument receives its input's mask there.
        """
        return previous_mask if self.supports_masking else None

    # ---- graph views ---------------------------------------------------------------------

    @property
    def input(self):
        """The symbolic input of the layer's single inbound node."""
        return self._single_node("input").call_args[0]

    @property
    def output(self):
        """The symbolic output of the layer's single inbound node."""
        return self._single_node("output").outputs

    def _single_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' has never been called on symbolic inputs and thus has "
                f"no defined {what}."
            )
        return self._inbound_nodes[0]

    # ---- configuration -------------------------------------------------------------------

    @default_config
    def get_config(self):
        """The constructor arguments that recreate this layer (without weights)."""
        from cornu.saving.serialization_lib import serialize_keras_object

        # Keras's keys: the dtype as a serialized DTypePolicy, the activity regularizer only
        # when there is one. (``input_shape`` becomes an InputLayer in a Sequential config.)
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": dtype_policies.serialize(self._dtype_policy),
        }
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = serialize_keras_object(self.activity_regularizer)
        if not _writes_get_config(type(self)):
            config = self._with_auto_config(config)
        return config

    def _with_auto_config(self, config):
        """Keras's config for a class that does not write ``get_config``: the arguments its
        constructor received, when they are all plain values (str, int, float, bool, None in
        lists and dicts); otherwise an error saying to write ``get_config``."""
        if self._auto_config is None:
            raise NotImplementedError(
                f"Object {type(self).__name__} was created by passing non-serializable argument "
                "values in `__init__()`, and therefore the object must override `get_config()` "
                "in order to be serializable. Please implement `get_config()`."
            )
        base_keys = set(config)
        config = {**config, **self._auto_config}
        spec = inspect.getfullargspec(type(self).__init__)
        if spec.varkw is None:  # a constructor without **kwargs cannot take the base keys
            for key in base_keys - set(spec.args[1:]) - set(spec.kwonlyargs):
                config.pop(key, None)
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from ``get_config()``'s output."""
        return cls(**config)

    def get_build_config(self):
        """The input shape the layer was built for (``{"input_shape": ...}``), or None."""
        shapes_dict = getattr(self, "_build_shapes_dict", None)
        if shapes_dict and len(shapes_dict) == 1:  # one named shape: Keras writes input_shape
            return {"input_shape": _shape_lists(next(iter(shapes_dict.values())))}
        if shapes_dict:  # a build of several named shapes, as Keras writes it
            return {"shapes_dict": {k: _shape_lists(v) for k, v in shapes_dict.items()}}
        if self._build_shapes is None:
            return None
        return {"input_shape": _shape_lists(self._build_shapes)}

    def build_from_config(self, config):
        """Builds the layer from ``get_build_config()``'s output (creating its weights)."""
        config = config or {}
        if self.built:
            return
        if config.get("input_shape") is not None:
            shape = _shape_tuples(config["input_shape"])
            self._build_shapes = shape
            self.build(shape)
            self.built = True
        elif config.get("shapes_dict"):  # Keras's form for a build() of several shapes
            shapes = {k: _shape_tuples(v) for k, v in config["shapes_dict"].items()}
            self._build_shapes_dict = shapes
            self.build(**shapes)
            self.built = True

    # ---- the saving protocol: what a weights file holds for this layer, and below it ----

    _saved_kind = "Layer"
    _walk_as_graph = False  # Sequential and Functional: layers come first, as "layers"

    @property
    def _saveable(self):
        """Whether a weights file has a group for this object (op layers have none)."""
        return not getattr(self, "_is_operation", False)

    def _saveable_children(self):
        """``(attribute, value)`` pairs that Keras's walk visits below this layer, in its
        order: attributes in name order with private ones last, framework attributes left
        out, sub-layers registered only with torch included under their key."""
        skip = _framework_attribute_names()
        attributes = {
            k: v for k, v in vars(self).items() if not k.startswith("__") and k not in skip
        }
        for key, module in self._modules.items():
            if key in attributes or "." in key:
                continue
            if self._walk_as_graph and key == getattr(module, "name", None):
                continue  # a graph model's layers are registered by name; they come as "layers"
            if any(
                key.startswith(name + "_") and _contains(attributes[name], module)
                for name in attributes
                if isinstance(attributes[name], (list, tuple, dict))
            ):
                continue  # the torch registration of a list item
            attributes[key] = module
        self._add_walk_attributes(attributes)
        ordered = sorted(attributes, key=lambda n: f"~{n}" if n.startswith("_") else n)
        out = [("layers", self.layers)] if self._walk_as_graph else []
        out.extend((name, attributes[name]) for name in ordered)
        return out

    def _add_walk_attributes(self, attributes):
        """A hook for subclasses whose walk visits more than their attributes (a model's
        optimizer)."""

    def _variables_in_file_order(self):
        """The variables a weights file stores for this object, in file order, or None when
        its own ``save_own_variables`` decides."""
        if type(self).save_own_variables is Layer.save_own_variables:
            return self._own_variables_in_file_order()
        return None

    def _own_variables_in_file_order(self):
        """The variables a weights file stores for this layer itself: trainable ones first,
        then the others, each in creation order (as Keras writes them)."""
        own = self._tracked_variables
        return [v for v in own if v._trainable] + [v for v in own if not v._trainable]

    def save_own_variables(self, store):
        """Puts this layer's own variables into ``store`` as ``"0"``, ``"1"``, ..."""
        for i, variable in enumerate(self._own_variables_in_file_order()):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Assigns this layer's own variables from ``store`` (see ``save_own_variables``)."""
        variables = self._own_variables_in_file_order()
        if len(store) != len(variables):
            raise ValueError(
                f"Layer '{self.name}' expected {len(variables)} variables, but received "
                f"{len(store)} variables during loading. Expected: {[v.name for v in variables]}"
            )
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def __str__(self):
        return self.__repr__()


_AUTO_CONFIG_TYPES = (str, int, float, bool, type(None))


def _auto_config(cls, args, kwargs):
    """The constructor's arguments by name, when every value is plain (Keras's auto config for
    classes without ``get_config``), else None. Only computed for classes that need it."""
    if _writes_get_config(cls):
        return None
    try:
        names = inspect.getfullargspec(cls.__init__).args[1:]
    except TypeError:
        return None
    config = dict(kwargs)
    config.update(zip(names, args))
    try:
        values = tree.flatten(config)
    except TypeError:
        return None
    return config if all(isinstance(v, _AUTO_CONFIG_TYPES) for v in values) else None


def _writes_get_config(cls):
    return not getattr(cls.get_config, "_default_config", False)


_WALK_PROBE_CLASSES = []
_framework_attributes = {}


def register_walk_probe(cls):
    """Adds a framework class (Layer, Model, Sequential) whose instance attributes the saving
    walk skips in every object, as Keras skips its base classes' attributes."""
    _WALK_PROBE_CLASSES.append(cls)
    _framework_attributes.clear()
    return cls


def _framework_attribute_names():
    if not _framework_attributes:
        names = set()
        for cls in _WALK_PROBE_CLASSES:
            names.update(vars(cls(name="__saving_probe__")))
        names.discard("optimizer")
        _framework_attributes["names"] = names
    return _framework_attributes["names"]


def _contains(container, item):
    values = container.values() if isinstance(container, dict) else container
    return any(v is item for v in values)


def _shape_lists(shapes):
    if isinstance(shapes, tuple) and all(d is None or isinstance(d, int) for d in shapes):
        return list(shapes)
    if isinstance(shapes, dict):
        return {k: _shape_lists(v) for k, v in shapes.items()}
    return [_shape_lists(s) for s in shapes]


def _shape_tuples(shapes):
    if isinstance(shapes, (list, tuple)) and all(d is None or isinstance(d, int) for d in shapes):
        return tuple(shapes)
    if isinstance(shapes, dict):
        return {k: _shape_tuples(v) for k, v in shapes.items()}
    return [_shape_tuples(s) for s in shapes]


class _TrackedList(list):
    """A list attribute of a layer: layers and variables added to it later (``append``,
    ``extend``, ``insert``, item assignment) are tracked like those it held at first."""

    def __init__(self, owner, name, items=()):
        super().__init__(items)
        self._owner = owner
        self._name = name

    def append(self, item):
        super().append(item)
        self._owner._track_item(self._name, len(self) - 1, item)

    def extend(self, items):
        for item in items:
            self.append(item)

    def insert(self, index, item):
        super().insert(index, item)
        self._owner._track_item(self._name, len(self) - 1, item)

    def __setitem__(self, index, item):
        super().__setitem__(index, item)
        if not isinstance(index, slice):
            self._owner._track_item(self._name, len(self), item)

    def __iadd__(self, items):
        self.extend(items)
        return self

    def __reduce_ex__(self, protocol):
        return (list, (list(self),))


def _mask_of(inputs):
    """The ``_keras_mask`` of a tensor, or the list of its items' masks (None when none)."""
    if isinstance(inputs, (list, tuple)):
        masks = [get_keras_mask(x) for x in inputs]
        return masks if any(m is not None for m in masks) else None
    return get_keras_mask(inputs)


def _unique(variables):
    seen = set()
    out = []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _specs_from_shapes(shape, dtype):
    if _is_shape(shape):
        return KerasTensor(shape, dtype=dtype)
    if isinstance(shape, dict):
        return {k: _specs_from_shapes(v, dtype) for k, v in shape.items()}
    return [_specs_from_shapes(s, dtype) for s in shape]


def _policy_of(dtype, layer_name):
    """The `DTypePolicy` a layer's ``dtype`` argument names; ValueError naming the layer."""
    try:
        return dtype_policies.get(dtype)
    except (ValueError, TypeError) as error:
        raise ValueError(f"Layer '{layer_name}': invalid `dtype`. {error}") from None


def _get_callable(obj, kind, layer_name):
    from cornu import constraints, regularizers

    getter = regularizers.get if kind == "regularizer" else constraints.get
    try:
        return getter(obj)
    except ValueError as error:
        raise ValueError(f"Layer '{layer_name}': invalid `{kind}`. {error}") from None


register_walk_probe(Layer)
