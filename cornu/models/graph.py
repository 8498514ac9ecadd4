"""The graph execution shared by ``Functional`` models and ``Function``: the layer calls
between symbolic inputs and outputs, in an order that runs them, and running them."""

from cornu.core import KerasTensor, tree
from cornu.layers.call_context import call_context
from cornu.layers.core.input_layer import InputLayer


def copy_structure(x):
    """``x`` with its containers copied (Keras keeps the structure given: a tuple stays a
    tuple)."""
    return tree.map_structure(lambda t: t, x)


def check_symbolic(inputs, outputs, owner):
    """Raises a ValueError when an input or output is not a KerasTensor; ``owner`` names the
    graph's kind in the message (``"a Function"``)."""
    for role, tensors in (("inputs", inputs), ("outputs", outputs)):
        for t in tensors:
            if not isinstance(t, KerasTensor):
                raise ValueError(
                    f"All `{role}` of {owner} must be symbolic tensors (from "
                    f"`cornu.Input()` and layer calls). Received: {t!r}"
                )


class GraphEnds:
    """The ``inputs``/``outputs`` (flat lists) and ``input``/``output`` (the structures given)
    of a graph that keeps them as ``_flat_inputs``, ``_flat_outputs``, ``_inputs_struct`` and
    ``_outputs_struct``."""

    @property
    def inputs(self):
        """The symbolic inputs, as a flat list."""
        return list(self._flat_inputs)

    @property
    def outputs(self):
        """The symbolic outputs, as a flat list."""
        return list(self._flat_outputs)

    @property
    def input(self):
        """The symbolic inputs, in the structure given."""
        return self._inputs_struct

    @property
    def output(self):
        """The symbolic outputs, in the structure given."""
        return self._outputs_struct


def run_plan(plan, inputs, values, outputs):
    """Runs the ``GraphStep`` list ``plan`` on ``values`` (one per symbolic tensor of
    ``inputs``); the values of the symbolic ``outputs``, as a flat list."""
    computed = {id(t): x for t, x in zip(inputs, values)}
    for step in plan:
        step.run(computed)
    return [computed[id(t)] for t in outputs]


class GraphStep:
    """One layer call of the graph, prepared so that running it costs little."""

    def __init__(self, node):
        self.node = node
        self.layer = node.operation
        self.args = node.call_args
        self.kwargs = node.call_kwargs
        self.output_ids = [id(t) for t in node.output_tensors]
        single = (
            len(self.args) == 1
            and isinstance(self.args[0], KerasTensor)
            and not any(isinstance(v, KerasTensor) for v in tree.flatten(self.kwargs))
        )
        self.single_input_id = id(self.args[0]) if single else None
        # A `training` recorded with the call (Keras writes it for Dropout and the random
        # augmentation layers) holds only while the model itself runs with training=None.
        self.recorded_training = "training" in self.kwargs

    def run(self, values):
        kwargs = self.kwargs
        if self.recorded_training and call_context.training is not None:
            kwargs = dict(kwargs, training=call_context.training)
        if self.single_input_id is not None:
            outputs = self.layer(values[self.single_input_id], **kwargs)
        else:

            def fill(x):
                return values[id(x)] if isinstance(x, KerasTensor) else x

            args = tree.map_structure(fill, self.args)
            kwargs = tree.map_structure(fill, kwargs)
            outputs = self.layer(*args, **kwargs)
        if len(self.output_ids) == 1 and not tree.is_nested(outputs):
            values[self.output_ids[0]] = outputs
        else:
            for i, x in zip(self.output_ids, tree.flatten(outputs)):
                values[i] = x


def topological_nodes(inputs, outputs):
    available = {id(t) for t in inputs}
    order, done = [], set()
    stack = [(t, False) for t in reversed(outputs)]
    while stack:
        tensor, expanded = stack.pop()
        if id(tensor) in available:
            continue
        history = tensor._keras_history
        if history is None:
            raise ValueError(f"{tensor!r} was not produced by a layer call and is not an input.")
        layer, node_index, _ = history
        node = layer._inbound_nodes[node_index]
        if id(node) in done:
            continue
        if expanded:
            done.add(id(node))
            order.append(node)
            continue
        if node.is_input or isinstance(layer, InputLayer):
            raise ValueError(
                f"Graph disconnected: cannot obtain a value for {tensor!r} from layer "
                f"'{layer.name}'. It comes from an input that is not in the model's `inputs`. "
                "List every Input the outputs depend on in `inputs`."
            )
        stack.append((tensor, True))
        for parent in reversed(node.input_tensors):
            stack.append((parent, False))
    return order
