"""get_source_inputs: the Input tensors a symbolic tensor was computed from."""

from cornu.tree import flatten


def get_source_inputs(tensor):
    """Returns the list of input tensors necessary to compute `tensor`.

    Walks the layer calls recorded on symbolic tensors back to the `Input` tensors they start
    from; each source appears once, in the order first met.

    Args:
        tensor: a symbolic tensor (made by calling layers on `cornu.Input` tensors). Any other
            value is returned unchanged.

    Returns:
        A list of input tensors (possibly one).
    """
    if not hasattr(tensor, "_keras_history"):
        return tensor
    history = tensor._keras_history
    if history is None or not history[0] or not history[0]._inbound_nodes:
        return [tensor]
    operation, node_index, _ = history
    node = operation._inbound_nodes[node_index]
    if node.is_input:
        return flatten(node.output_tensors)
    sources = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not known for known in sources):
                sources.append(source)
    return sources
