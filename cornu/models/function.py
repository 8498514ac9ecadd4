"""Function: a graph of layer calls from symbolic inputs to outputs, callable without being a
layer or a model (no weights tracked, no training)."""

from cornu import backend, tree
from cornu.core import KerasTensor
from cornu.models import graph


class Function(graph.GraphEnds):
    """A callable graph of operations, from `inputs` to `outputs`.

    ```python
    x = cornu.Input((3,))
    y = cornu.layers.Dense(2)(x)
    f = cornu.Function(x, y)
    f(np.ones((4, 3)))  # a (4, 2) tensor
    ```

    Args:
        inputs: a symbolic tensor from `cornu.Input()`, or a (nested) list, tuple or dict of
            them.
        outputs: symbolic tensors computed from `inputs`, in any nested structure.
        name: the function's name (`"function"`, made unique, by default).

    Calling it with tensors of the structure of `inputs` runs the recorded calls and returns
    tensors in the structure of `outputs`; calling it on symbolic tensors returns symbolic
    tensors.
    """

    def __init__(self, inputs, outputs, name=None):
        self.name = name or backend.auto_name(type(self).__name__)
        self._inputs_struct = graph.copy_structure(inputs)
        self._outputs_struct = graph.copy_structure(outputs)
        self._flat_inputs = tree.flatten(self._inputs_struct)
        self._flat_outputs = tree.flatten(self._outputs_struct)
        graph.check_symbolic(self._flat_inputs, self._flat_outputs, "a Function")
        nodes = graph.topological_nodes(self._flat_inputs, self._flat_outputs)
        self._plan = [graph.GraphStep(node) for node in nodes]
        operations = [t._keras_history[0] for t in self._flat_inputs if t._keras_history]
        for node in nodes:
            if all(node.operation is not op for op in operations):
                operations.append(node.operation)
        self._operations = operations

    @property
    def operations(self):
        """The operations (layers) of the graph, inputs first, in the order they run."""
        return list(self._operations)

    def __call__(self, inputs):
        return self.call(inputs)

    def call(self, inputs):
        """Runs the graph on `inputs` (of the structure of the function's inputs)."""
        try:
            tree.assert_same_structure(self._inputs_struct, inputs)
        except ValueError:
            flat = None
        else:
            flat = tree.flatten(inputs)
        if flat is None or len(flat) != len(self._flat_inputs):
            raise ValueError(
                f"Function '{self.name}' was called with an invalid input structure. Expected "
                f"input structure: {self._inputs_struct}\nReceived input structure: {inputs}"
            )
        outputs = graph.run_plan(self._plan, self._flat_inputs, flat, self._flat_outputs)
        return tree.pack_sequence_as(self._outputs_struct, outputs)

    def compute_output_spec(self, inputs):
        """Symbolic outputs (KerasTensors) for symbolic `inputs`, recording nothing."""
        return backend.compute_output_spec(self.call, inputs)

    def compute_output_shape(self, input_shape):
        """The output shapes for inputs of the shapes `input_shape` (the inputs' structure
        of shapes)."""
        specs = tree.map_shape_structure(lambda shape: KerasTensor(tuple(shape)), input_shape)
        return tree.map_structure(lambda t: tuple(t.shape), self.compute_output_spec(specs))
