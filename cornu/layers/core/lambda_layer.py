"""Lambda: a layer that applies a Python function."""

import inspect
import types

from cornu import backend
from cornu.layers.layer import Layer
from cornu.saving import lambda_code, serialization_lib


class Lambda(Layer):
    """Wraps a function (of ``cornu.ops``) as a layer: ``Lambda(lambda x: x ** 2)``.

    A model holding a Python lambda saves its bytecode, as Keras does; loading it is refused
    unless ``safe_mode=False`` is passed to the loading function (the code in a file would run).
    Prefer a small Layer subclass for anything you mean to save.

    Args:
        function: the function of the inputs.
        output_shape: the output shape (without the batch axis), or a function of the input
            shape; inferred by running the function when None.
        mask: a mask to set on the outputs, or a function of ``(inputs, mask)``.
        arguments: extra keyword arguments for ``function``.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(
                f"Lambda layer '{self.name}' expects a callable `function`. Received: {function!r}"
            )
        self.function = function
        self._output_shape = output_shape
        self.mask = mask
        self.arguments = dict(arguments or {})
        self.supports_masking = mask is not None
        self._function_takes = set(inspect.signature(function).parameters)
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if "mask" in self._function_takes:
            kwargs["mask"] = mask
        if "training" in self._function_takes:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, previous_mask=None):
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return backend.compute_output_spec(self.call, *args, **kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if callable(self._output_shape):
            shape = self._output_shape(input_shape)
            return tuple(shape) if _is_shape(shape) else shape
        # The given shapes leave out the batch axis: that of the first input, as in Keras
        # (for a list of inputs too), is put in front of each.
        batch_size = backend.tree.flatten(input_shape)[0]
        return _map_shapes(lambda shape: (batch_size,) + tuple(shape), self._output_shape)

    def get_config(self):
        config = super().get_config()
        config["function"] = _function_config(self.function)
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = _function_config(shape) if callable(shape) else list(shape)
        if self.mask is not None:
            config["mask"] = _function_config(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = serialization_lib.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds the layer. A Python lambda in ``config`` is refused (ValueError, nothing
        decoded) unless ``safe_mode=False``, or the load in progress allows it."""
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            value = config.get(key)
            if isinstance(value, dict) and value.get("class_name") == "__lambda__":
                config[key] = lambda_code.function_from_config(value["config"], safe_mode)
            elif isinstance(value, dict) and "class_name" in value:
                config[key] = serialization_lib.deserialize_keras_object(
                    value, custom_objects=custom_objects, safe_mode=safe_mode
                )
        shape = config.get("output_shape")
        if isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape):
            config["output_shape"] = tuple(shape)
        if "arguments" in config:
            config["arguments"] = serialization_lib.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects, safe_mode=safe_mode
            )
        return cls(**config)


def _is_shape(value):
    return isinstance(value, (list, tuple)) and all(d is None or isinstance(d, int) for d in value)


def _map_shapes(fn, structure):
    """`fn` applied to each shape (a tuple or list of ints and Nones) of a structure."""
    if _is_shape(structure):
        return fn(structure)
    if isinstance(structure, dict):
        return {k: _map_shapes(fn, v) for k, v in structure.items()}
    return type(structure)(_map_shapes(fn, s) for s in structure)


def _function_config(function):
    if isinstance(function, types.LambdaType) and function.__name__ == "<lambda>":
        return lambda_code.function_to_config(function)
    return serialization_lib.serialize_keras_object(function)
