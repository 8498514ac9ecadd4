"""Functional: a model defined by a graph of layer calls from ``Input()`` tensors to outputs."""

import inspect

from cornu import core, ops
from cornu.core import KerasTensor, tree
from cornu.core.masking import set_keras_mask
from cornu.layers.call_context import call_context
from cornu.layers.input_spec import InputSpec, assert_input_compatibility
from cornu.models import functional_config, graph
from cornu.models.model import Model
from cornu.saving import serialization_lib


class Functional(graph.GraphEnds, Model):
    """A model made of layers called on symbolic tensors: ``Model(inputs, outputs)``.

    Args:
        inputs: a KerasTensor from ``Input()``, or a list, tuple or dict of them.
        outputs: a KerasTensor computed from ``inputs``, or a (nested) list, tuple or dict
            of them.
        name: the model's name.
        **kwargs: ``trainable`` and the other arguments of ``Layer``.

    Calling the model runs each recorded layer call in order; layers called several times
    (shared layers) share their weights. The result has the structure of ``outputs``, except
    that a list or tuple of one tensor gives the tensor itself (as in Keras; ``model.output``
    and symbolic calls keep the list).
    """

    _walk_as_graph = True

    def __init__(self, inputs, outputs, name=None, **kwargs):
        trainable = kwargs.pop("trainable", True)
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._inputs_struct = graph.copy_structure(inputs)
        self._outputs_struct = graph.copy_structure(outputs)
        self._flat_inputs = tree.flatten(self._inputs_struct)
        self._flat_outputs = tree.flatten(self._outputs_struct)
        graph.check_symbolic(self._flat_inputs, self._flat_outputs, "a Functional model")
        nodes = graph.topological_nodes(self._flat_inputs, self._flat_outputs)
        layers = _layers_in_keras_order(self._flat_inputs, self._flat_outputs)
        for layer in layers:
            self._track_layer(layer)
            self._register_sublayer(layer.name, layer)
        self._plan = [graph.GraphStep(node) for node in nodes]
        self._input_specs = [
            InputSpec(shape=t.shape, allow_last_axis_squeeze=True) for t in self._flat_inputs
        ]
        self.built = True

    @property
    def input_names(self):
        return [t.name for t in self._flat_inputs]

    @property
    def output_names(self):
        """The names of the layers that produce the outputs (used to name per-output logs)."""
        if isinstance(self._outputs_struct, dict):
            return sorted(self._outputs_struct)
        return [t._keras_history[0].name for t in self._flat_outputs]

    def _flatten_call_inputs(self, inputs):
        if isinstance(inputs, dict) and not isinstance(self._inputs_struct, dict):
            names = [t.name for t in self._flat_inputs]
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError(
                    f"Model '{self.name}' expects inputs named {names}; the dict passed is "
                    f"missing {missing}. Received keys: {sorted(inputs)}"
                )
            return [inputs[n] for n in names]
        flat = tree.flatten(inputs)
        if len(flat) != len(self._flat_inputs):
            raise ValueError(
                f"Model '{self.name}' expects {len(self._flat_inputs)} input(s), but it "
                f"received {len(flat)} input tensors."
            )
        return flat

    def __call__(self, *args, **kwargs):
        if not args and "inputs" in kwargs:
            args = (kwargs.pop("inputs"),)
        if args and all(isinstance(x, KerasTensor) for x in tree.flatten(args[0])):
            flat = self._flatten_call_inputs(args[0])
            assert_input_compatibility(self._input_specs, flat, self.name)
        elif args:
            flat = [self._convert_input(x) for x in self._flatten_call_inputs(args[0])]
            flat = [_adjust_rank(x, t) for x, t in zip(flat, self._flat_inputs)]
            flat = [_as_input_dtype(x, t) for x, t in zip(flat, self._flat_inputs)]
            assert_input_compatibility(self._input_specs, flat, self.name)
            args = (flat,) + args[1:]
        return super().__call__(*args, **kwargs)

    def _build_for(self, inputs):
        self.built = True

    def call(self, inputs, training=None, mask=None):
        """Runs the graph on ``inputs``; ``training`` reaches every layer that takes it (as
        when the model is called), and ``mask`` (one per input, or None) rides on the
        inputs."""
        if not isinstance(inputs, list) or len(inputs) != len(self._flat_inputs):
            inputs = self._flatten_call_inputs(inputs)
        if mask is not None:
            inputs = [_with_mask(self, x, m) for x, m in zip(inputs, tree.flatten(mask))]
        outer_training = call_context.training
        if training is not None:  # a direct `call()` bypasses `__call__`, which sets it
            call_context.training = training
        try:
            flat = graph.run_plan(self._plan, self._flat_inputs, inputs, self._flat_outputs)
        finally:
            call_context.training = outer_training
        outputs = tree.pack_sequence_as(self._outputs_struct, flat)
        # As Keras: a list (or tuple) of one output gives the tensor itself.
        if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
            return outputs[0]
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        return tree.map_structure(
            lambda t: KerasTensor(t.shape, dtype=t.dtype), self._outputs_struct
        )

    def get_config(self):
        """Keras's Functional config: every layer with its ``inbound_nodes`` (the calls that
        made the graph, tensors written as ``__keras_tensor__`` with their ``keras_history``),
        and the ``input_layers`` / ``output_layers``."""
        return functional_config.graph_to_config(self)

    def get_build_config(self):
        return {"input_shape": None}

    def build_from_config(self, config):
        pass


Functional._keras_module = "keras.src.models.functional"


serialization_lib.register_unexported_class(Functional, "models")


def functional_from_config(cls, config, custom_objects=None):
    """A ``cls`` model (``Model``, ``Functional`` or a subclass) built from a Functional
    config: the layers are created and called as the config records, then
    ``cls(inputs=..., outputs=..., name=..., trainable=...)`` receives the resulting tensors
    and the config's other keys. ``config`` itself is left unchanged."""
    inputs, outputs = functional_config.graph_from_config(config, custom_objects)
    kwargs = {k: v for k, v in config.items() if k not in _GRAPH_KEYS}
    trainable = kwargs.pop("trainable", None)
    if trainable is not None and _accepts_keyword(cls, "trainable"):
        kwargs["trainable"] = trainable
    model = cls(inputs=inputs, outputs=outputs, **kwargs)
    if trainable is not None and model.trainable != trainable:
        model.trainable = trainable
    return model


_GRAPH_KEYS = ("layers", "input_layers", "output_layers")


def _accepts_keyword(cls, name):
    spec = inspect.getfullargspec(cls.__init__)
    return spec.varkw is not None or name in spec.args or name in spec.kwonlyargs


Model._functional_class = Functional
Model._functional_from_config = staticmethod(functional_from_config)


def _as_input_dtype(x, spec):
    # Keras casts what a Functional model receives to its Inputs' dtypes (ints to floats).
    dtype = getattr(x, "dtype", None)
    if dtype is None or core.standardize_dtype(dtype) == spec.dtype:
        return x
    return ops.cast(x, spec.dtype)


def _with_mask(model, x, mask):
    """Input ``x`` (made a tensor) carrying ``mask``, as Keras's ``Functional.call`` sets it."""
    if mask is None:
        return x
    x = model._convert_input(x)
    set_keras_mask(x, mask)
    return x


def _adjust_rank(x, spec):
    # Keras accepts (batch,) for an input declared (batch, 1), and the reverse.
    ndim = getattr(x, "ndim", None)
    if ndim is None:
        return x
    expected = len(spec.shape)
    if ndim == expected - 1 and spec.shape[-1] == 1:
        return x.reshape(tuple(x.shape) + (1,))
    if ndim == expected + 1 and x.shape[-1] == 1:
        return x.reshape(tuple(x.shape[:-1]))
    return x


def _layers_in_keras_order(inputs, outputs):
    """The graph's layers in Keras's order (that of ``model.layers`` and ``get_weights()``):
    by depth from the inputs, and within a depth by when a depth-first walk from the outputs
    first meets them."""
    input_ids = {id(t) for t in inputs}
    post_order, first_seen, finished = [], {}, set()

    def visit(tensor):
        if tensor._keras_history is None:
            return
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(id(node))
            return
        first_seen.setdefault(id(layer), (len(first_seen), layer))
        if not node.is_input:
            for parent in node.input_tensors:
                visit(parent)
        finished.add(id(node))
        post_order.append(node)

    for output in outputs:
        visit(output)
    for tensor in inputs:  # inputs that no output uses still count, first of all
        layer = tensor._keras_history[0] if tensor._keras_history else None
        if layer is not None and id(layer) not in first_seen:
            first_seen[id(layer)] = (-1, layer)
            post_order.insert(0, layer._inbound_nodes[tensor._keras_history[1]])
    node_depth, layer_depth = {}, {}
    in_graph = {id(n) for n in post_order}
    for node in reversed(post_order):
        depth = node_depth.setdefault(id(node), 0)
        layer = node.operation
        depth = max(depth, layer_depth.get(id(layer), 0))
        layer_depth[id(layer)] = depth
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    ordered = sorted(first_seen.values(), key=lambda item: (-layer_depth[id(item[1])], item[0]))
    return [layer for _, layer in ordered]
