"""A Functional model's graph to Keras's config schema and back."""

from cornu.core import KerasTensor, tree
from cornu.layers.core.input_layer import Input, InputLayer
from cornu.layers.core.operation import KERAS_CLASS_NAMES, Operation
from cornu.models.model import Model
from cornu.saving import keras_ops
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

_OPERATION_MODULE = "keras.src.ops.numpy"
# Values other than tensors that Keras writes in a node's arguments (``x[1:3]``'s slices).
_SPECIAL_VALUES = ("__slice__", "__ellipsis__", "__numpy__", "__tensor__", "__bytes__")


def graph_to_config(model):
    """The config of ``model`` (a Functional), as Keras writes it."""
    graph_nodes = {id(step.node) for step in model._plan}
    for t in model._flat_inputs:
        layer, node_index, _ = t._keras_history
        graph_nodes.add(id(layer._inbound_nodes[node_index]))

    def local_index(layer, node):
        own = [n for n in layer._inbound_nodes if id(n) in graph_nodes]
        return next(i for i, n in enumerate(own) if n is node)

    def history(tensor):
        layer, node_index, tensor_index = tensor._keras_history
        return [layer.name, local_index(layer, layer._inbound_nodes[node_index]), tensor_index]

    def endpoint(tensor):
        # Keras counts a node of a Functional model's own (inputs to outputs) before its calls
        # in `input_layers` / `output_layers` (not in `inbound_nodes`).
        name, index, tensor_index = history(tensor)
        layer = tensor._keras_history[0]
        return [
            name,
            index + 1 if isinstance(layer, Model._functional_class) else index,
            tensor_index,
        ]

    def tensor_config(x):
        if isinstance(x, KerasTensor):
            return {
                "class_name": "__keras_tensor__",
                "config": {"shape": list(x.shape), "dtype": x.dtype, "keras_history": history(x)},
            }
        return serialize_keras_object(x)

    layers = []
    for layer in model._layers:
        if isinstance(layer, Operation):
            entry = {
                "module": _OPERATION_MODULE,
                "class_name": KERAS_CLASS_NAMES[layer.op],
                "config": {"name": layer.name},
                "registered_name": KERAS_CLASS_NAMES[layer.op],
            }
        elif isinstance(layer, keras_ops.KerasOperation):
            entry = layer.keras_entry()
        else:
            entry = serialize_keras_object(layer)
        entry["name"] = layer.name
        nodes = []
        for node in layer._inbound_nodes:
            if id(node) not in graph_nodes or node.is_input:
                continue
            args = list(node.call_args)
            if _written_swapped(layer):
                args[0], args[1] = args[1], args[0]  # `2 - x`: Keras records (2, x)
            nodes.append(
                {
                    "args": [_map(tensor_config, a) for a in args],
                    "kwargs": {k: _map(tensor_config, v) for k, v in node.call_kwargs.items()},
                }
            )
        entry["inbound_nodes"] = nodes
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": _endpoints(model._inputs_struct, endpoint),
        "output_layers": _endpoints(model._outputs_struct, endpoint),
    }


def _written_swapped(layer):
    """Whether an operator node holds its arguments swapped (``2 - x`` keeps ``x`` first
    and swaps them back when called; see ``apply_operator``)."""
    function = getattr(layer, "_function", None)
    return isinstance(layer, Operation) and getattr(function, "__name__", "") == (
        "reversed_arguments"
    )


def _endpoints(structure, history):
    """``[layer name, node index, tensor index]`` for each tensor, in the structure of the
    model's inputs or outputs (a single tensor gives a single triple, as Keras writes it)."""
    if isinstance(structure, dict):
        return {k: _endpoints(v, history) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_endpoints(v, history) for v in structure]
    return history(structure)


def _map(fn, value):
    if isinstance(value, (list, tuple)):
        return [_map(fn, v) for v in value]
    if isinstance(value, dict):
        return {k: _map(fn, v) for k, v in value.items()}
    return fn(value)


def graph_from_config(config, custom_objects=None, layers=None):
    """The ``(inputs, outputs)`` KerasTensors of the graph that ``config`` describes; each
    layer is created (registered classes only), or taken from ``layers`` (a dict by name),
    and called as the config records."""
    created = {}
    pending = []
    for entry in config["layers"]:
        name = entry.get("name") or entry["config"].get("name")
        class_name = entry.get("class_name")
        if layers and name in layers:
            layer = layers[name]
        elif keras_ops.is_keras_operation(entry):
            layer = keras_ops.from_entry(entry, name)
        elif class_name == "InputLayer":
            inner = dict(entry["config"])
            inner.pop("ragged", None)
            batch_shape = inner.pop("batch_shape", None) or inner.pop("batch_input_shape", None)
            tensor = Input(
                batch_shape=tuple(batch_shape),
                dtype=inner.get("dtype"),
                sparse=inner.get("sparse"),
                name=inner.get("name", name),
                optional=inner.get("optional", False),
            )
            created[name] = (tensor._keras_history[0], [[tensor]])
            continue
        else:
            layer = deserialize_keras_object(entry, custom_objects=custom_objects, kind="layer")
        created[name] = (layer, [])
        pending.extend((name, node) for node in entry.get("inbound_nodes", []))

    def resolve(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            layer_name, node_index, tensor_index = value["config"]["keras_history"]
            if layer_name not in created:
                raise ValueError(f"The Functional config calls an unknown layer {layer_name!r}.")
            outputs = created[layer_name][1]
            if node_index >= len(outputs):
                raise LookupError
            return outputs[node_index][tensor_index]
        if isinstance(value, dict) and value.get("class_name") in _SPECIAL_VALUES:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(value, (list, tuple)):  # tuples in a config not yet through JSON
            return type(value)(resolve(v) for v in value)
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    # Calls run in an order where every input exists; shared layers get nodes in order.
    while pending:
        progress = False
        remaining = []
        for name, node in pending:
            layer, outputs = created[name]
            if any(n == name for n, _ in remaining):
                remaining.append((name, node))
                continue
            try:
                args = resolve(node.get("args", []))
                kwargs = resolve(node.get("kwargs", {}))
            except LookupError:
                remaining.append((name, node))
                continue
            result = layer(*args, **kwargs)
            outputs.append(tree.flatten(result))
            progress = True
        if not progress:
            raise ValueError(
                "The Functional config is inconsistent: some layer calls refer to tensors that "
                f"no layer produces ({[n for n, _ in remaining]})."
            )
        pending = remaining

    def endpoint(spec):
        layer_name, node_index, tensor_index = spec
        if layer_name not in created:
            raise ValueError(f"The Functional config names an unknown layer {layer_name!r}.")
        layer, outputs = created[layer_name]
        if isinstance(layer, Model._functional_class):
            node_index -= 1  # see graph_to_config
        return outputs[node_index][tensor_index]

    def endpoints(specs):
        if isinstance(specs, (list, tuple)) and len(specs) == 3 and isinstance(specs[0], str):
            return endpoint(specs)
        if isinstance(specs, dict):
            return {k: endpoints(v) for k, v in specs.items()}
        if not isinstance(specs, (list, tuple)):
            raise ValueError(f"Invalid Functional config: cannot read the endpoint {specs!r}.")
        return [endpoints(s) for s in specs]

    return endpoints(config["input_layers"]), endpoints(config["output_layers"])


__all__ = ["InputLayer", "graph_from_config", "graph_to_config"]
