"""StackedRNNCells: several recurrent cells acting as one, each feeding the next."""

from cornu import ops
from cornu.core import tree
from cornu.layers.layer import Layer
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that an ``RNN`` runs them as a stack: at each step the
    output of a cell is the input of the next one.

    Args:
        cells: the list of cells, from the input side to the output side.

    The state of the stack is the list of the cells' states; its output is the last cell's.
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(
                    f"All cells must have a `call` method. Received cell without a `call` "
                    f"method: {cell}"
                )
            if getattr(cell, "state_size", None) is None:
                raise ValueError(
                    f"All cells must have a `state_size` attribute. Received cell without a "
                    f"`state_size`: {cell}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        return tree.flatten(last.state_size)[0]

    def get_initial_state(self, batch_size=None):
        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                states.append(fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(ops.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
            else:
                states.append(
                    [ops.zeros((batch_size, d), dtype=self.compute_dtype) for d in cell.state_size]
                )
        return states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell._build_shapes = tuple(input_shape)
                cell.built = True
            size = getattr(cell, "output_size", None)
            if size is None:
                size = tree.flatten(cell.state_size)[0]
            input_shape = (input_shape[0], size)
        self.built = True

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = tree.is_nested(cell_states)
            cell_states = list(cell_states) if nested else [cell_states]
            if isinstance(cell, Layer) and cell._call_accepts_training:
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            inputs, cell_states = cell(inputs, cell_states, **kwargs)
            if not tree.is_nested(cell_states):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not nested:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def get_config(self):
        config = super().get_config()
        config["cells"] = [serialize_keras_object(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [
            deserialize_keras_object(c, custom_objects=custom_objects) for c in config.pop("cells")
        ]
        return cls(cells, **config)
