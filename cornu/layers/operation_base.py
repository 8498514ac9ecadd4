"""Operation: the public base class of a custom, weightless computation that works on real
tensors and in Functional graphs, as ``keras.Operation``. Every layer counts as an Operation
(``isinstance(layer, cornu.Operation)``), as in Keras."""

from cornu.layers.layer import Layer


class _OperationType(type):
    # Keras's Layer subclasses its Operation; here the check answers the same way.
    def __instancecheck__(cls, instance):
        if cls is Operation:
            return isinstance(instance, Layer)
        return super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass):
        if cls is Operation:
            return isinstance(subclass, type) and issubclass(subclass, Layer)
        return super().__subclasscheck__(subclass)


class Operation(Layer, metaclass=_OperationType):
    """Base class of a custom operation: subclass it and write `call` (and, when the output
    cannot be inferred by running `call` on placeholder tensors, `compute_output_spec`).

    ```python
    class Scale(cornu.Operation):
        def call(self, x, factor):
            return x * factor

    Scale()(np.ones((2,)), 3.0)            # a tensor
    y = Scale()(cornu.Input((4,)), 3.0)    # a symbolic tensor, a node of a Functional graph
    ```

    Args:
        name: the operation's name (its class name in snake case, made unique, by default).

    An Operation holds no weights, is not listed in `model.layers`, and is not a child of the
    model in saved files.
    """

    _is_operation = True

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.built = True

    def _build_for(self, inputs):
        self.built = True

    def get_config(self):
        """The operation's name; subclasses with arguments add theirs."""
        return {"name": self.name}
