"""Node: one call of a layer on symbolic tensors, the edge list of a Functional graph."""

from cornu.core import KerasTensor, tree


class Node:
    """Records that ``operation`` was called on ``call_args``/``call_kwargs`` giving ``outputs``.

    Creating a node stamps each output KerasTensor with ``_keras_history =
    (operation, node_index, tensor_index)`` and links the node to its parents.
    """

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.input_tensors = [
            x
            for x in tree.flatten((self.call_args, self.call_kwargs))
            if isinstance(x, KerasTensor)
        ]
        self.output_tensors = [x for x in tree.flatten(outputs) if isinstance(x, KerasTensor)]
        node_index = len(operation._inbound_nodes)
        for i, tensor in enumerate(self.output_tensors):
            tensor._keras_history = (operation, node_index, i)
        operation._inbound_nodes.append(self)
        for parent in self.parent_nodes:
            parent.operation._outbound_nodes.append(self)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        parents = []
        for x in self.input_tensors:
            if x._keras_history is not None:
                op, node_index, _ = x._keras_history
                parents.append(op._inbound_nodes[node_index])
        return parents

    @property
    def is_input(self):
        """True for the node of an InputLayer (no inputs of its own)."""
        return not self.input_tensors
