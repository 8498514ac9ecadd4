"""TorchModuleWrapper: a native torch module used as a cornu layer, trained with the model."""

from cornu import backend
from cornu.layers.layer import Layer, register_native_module_wrapper


class TorchModuleWrapper(Layer):
    """Wraps a ``torch.nn.Module`` so that it runs and trains inside a cornu model.

    The module's parameters become the layer's weights (the same tensors, not copies), so
    ``fit`` updates them and ``get_weights`` reads them. A torch module assigned as an
    attribute of a cornu Layer is wrapped automatically.

    Args:
        module: the ``torch.nn.Module``.
        name: the layer's name.
        output_shape: the output shape without the batch axis, when it cannot be inferred by
            running the module.

    ```python
    class Classifier(cornu.Model):
        def __init__(self):
            super().__init__()
            self.features = torch.nn.Linear(4, 8)  # wrapped automatically
            self.head = cornu.layers.Dense(2)

        def call(self, x):
            return self.head(torch.relu(self.features(x)))
    ```
    """

    _wraps_native_module = True

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not backend.core.is_native_module(module):
            raise ValueError(
                f"TorchModuleWrapper expects a torch.nn.Module that is not a cornu Layer. "
                f"Received: {module!r}"
            )
        self.module = module
        self.output_shape = tuple(output_shape) if output_shape is not None else None
        for name_, parameter in backend.core.module_parameters(module):
            variable = backend.Variable(
                parameter, trainable=parameter.requires_grad, name=name_.replace(".", "_")
            )
            self._track_variable(variable)
        self.built = True

    def call(self, *args, training=None, **kwargs):
        self.module.train(training is not False)
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self.output_shape is None:
            raise NotImplementedError
        return (input_shape[0],) + self.output_shape

    def compute_output_spec(self, *args, **kwargs):
        if self.output_shape is None:
            return backend.compute_output_spec(self.call, *args, **kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def get_config(self):
        raise NotImplementedError(
            f"Layer '{self.name}' wraps a torch module, which has no config: a model holding it "
            "can save its weights (`save_weights`) but not its architecture."
        )


register_native_module_wrapper(TorchModuleWrapper)
