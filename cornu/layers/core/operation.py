"""Operation layers: arithmetic written on symbolic tensors (``a + b``, ``-x``, ``x[:, 0]``)
becomes a node of the Functional graph."""

from cornu import ops
from cornu.core import KerasTensor, auto_name
from cornu.layers.layer import Layer

# Keras's class names for these operations (the names its Functional configs use).
KERAS_CLASS_NAMES = {
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "divide": "Divide",
    "power": "Power",
    "matmul": "Matmul",
    "negative": "Negative",
    "absolute": "Absolute",
    "get_item": "GetItem",
}


def _get_item(x, key):
    return x[key]


class Operation(Layer):
    """One ``cornu.ops`` function applied in a Functional graph; it holds no weights.

    Args:
        op: the operation's name: ``"add"``, ``"subtract"``, ``"multiply"``, ``"divide"``,
            ``"power"``, ``"matmul"``, ``"negative"``, ``"absolute"`` or ``"get_item"``.
        name: the layer's name (the operation's name, made unique, by default).

    Inputs are the operation's arguments (tensors or constants); the output has the
    operation's broadcast shape. Like Keras's operations, it is not listed in
    ``model.layers``.
    """

    _is_operation = True

    def __init__(self, op, name=None, **kwargs):
        if op not in KERAS_CLASS_NAMES:
            raise ValueError(
                f"Unknown symbolic operation {op!r}. Known: {sorted(KERAS_CLASS_NAMES)}"
            )
        super().__init__(name=name or auto_name(op), **kwargs)
        self.op = op
        self._function = _get_item if op == "get_item" else getattr(ops, op)
        self.built = True

    def call(self, *args):
        return self._function(*args)

    def _build_for(self, inputs):
        self.built = True

    def get_config(self):
        return {"op": self.op, "name": self.name}


def apply_operator(op, *args):
    """``op`` on ``args`` as a recorded graph node; its first tensor argument leads."""
    layer = Operation(op)
    first = next(i for i, a in enumerate(args) if isinstance(a, KerasTensor))
    if first:
        # Keep the tensor first (the layer's main input); the function still gets the
        # arguments in their written order.
        layer._function = _swapped(layer._function)
        args = (args[1], args[0]) + args[2:]
    return layer(*args)


def _swapped(function):
    def reversed_arguments(a, b, *rest):
        return function(b, a, *rest)

    return reversed_arguments


KerasTensor._apply_operator = staticmethod(apply_operator)
