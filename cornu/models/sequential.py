"""Sequential: a plain stack of layers, each feeding the next."""

from cornu import backend
from cornu.core import KerasTensor
from cornu.layers.core.input_layer import InputLayer
from cornu.layers.input_spec import InputSpec, assert_input_compatibility
from cornu.layers.layer import Layer, register_walk_probe
from cornu.models import fast_call
from cornu.models.model import Model


class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: the layers, in order (optional; add more with ``add``).
        name: the model's name.

    The model is built as soon as its input shape is known: from an ``Input``/``InputLayer``,
    from ``input_shape=``/``input_dim=`` on the first layer, or from the first batch of data.
    """

    _walk_as_graph = True

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        self._inputs = None
        self._outputs = None
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Adds a layer on top of the stack."""
        if isinstance(layer, KerasTensor) and layer._keras_history is not None:
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `cornu.layers.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError(
                    f"Sequential model '{self.name}': an InputLayer can only be the first layer."
                )
        elif not self._stack and layer._batch_input_shape is not None:
            self._stack.append(InputLayer(batch_shape=layer._batch_input_shape))
        if any(layer is existing for existing in self._stack):
            raise ValueError(f"Layer '{layer.name}' is already in Sequential '{self.name}'.")
        names = {x.name for x in self._stack}
        if layer.name in names:
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name "
                f"'{layer.name}' is already the name of a layer in this model."
            )
        self._stack.append(layer)
        if not isinstance(layer, InputLayer):
            self._track_layer(layer)
            self._register_sublayer(layer.name, layer)
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes the top layer and returns it."""
        layers = self.layers
        if not layers:
            raise TypeError(f"There are no layers in Sequential model '{self.name}' to pop.")
        layer = layers[-1]
        self._stack.remove(layer)
        self._layers.remove(layer)
        self._unregister_sublayer(layer)
        if rebuild:
            self._maybe_rebuild()
        return layer

    @property
    def layers(self):
        return [x for x in self._stack if not isinstance(x, InputLayer)]

    def _maybe_rebuild(self):
        self.built = False
        if self._stack and isinstance(self._stack[0], InputLayer) and len(self._stack) > 1:
            self.build(self._stack[0].batch_shape)

    def build(self, input_shape=None):
        """Builds every layer for inputs of ``input_shape`` (batch axis included)."""
        if not self.layers:
            raise ValueError(
                f"Sequential model '{self.name}' has no layers. Add layers with `model.add()` "
                "before building, calling or training it."
            )
        if self._stack and isinstance(self._stack[0], InputLayer):
            inputs = self._stack[0]._output_tensor
        else:
            if input_shape is None:
                raise ValueError(
                    f"Sequential model '{self.name}' cannot be built without an input shape. "
                    "Give the first layer `input_shape=...`, start with `Input(shape=...)`, "
                    "or call the model on data."
                )
            inputs = InputLayer(batch_shape=(None,) + tuple(input_shape)[1:])._output_tensor
        x = inputs
        for layer in self.layers:
            x = layer(x)
        self._inputs, self._outputs = inputs, x
        self.built = True

    def __call__(self, *args, **kwargs):
        if args and isinstance(args[0], (list, tuple)) and len(args[0]) == 1:
            args = (args[0][0],) + args[1:]  # a one-element list is the single input
        if args and isinstance(args[0], KerasTensor) and self._inputs is not None:
            # Symbolic calls skip the layers' own checks, so the model checks its input.
            spec = InputSpec(shape=self._inputs.shape, allow_last_axis_squeeze=True)
            assert_input_compatibility(spec, args[0], self.name)
        elif (
            len(args) == 1
            and (not kwargs or (len(kwargs) == 1 and "training" in kwargs))
            and type(self).call is Sequential.call
        ):
            # One tensor: the layers' calls run without their per-call bookkeeping once a
            # full call has checked this input signature (see fast_call).
            training = kwargs.get("training")
            outputs = fast_call.run(self, args[0], training)
            if outputs is fast_call.FULL_PATH:
                outputs = super().__call__(*args, **kwargs)
                fast_call.note_checked(self, args[0], training)
            return outputs
        return super().__call__(*args, **kwargs)

    def _build_for(self, inputs):
        self.build((None,) + tuple(inputs.shape)[1:])

    def call(self, inputs, training=None, mask=None):
        x = inputs
        # As Keras's Sequential (a Functional model underneath): the input takes the dtype
        # of the model's Input, so integer data (uint8 images, int64 arrays) enters as float.
        cast_to = self._input_cast_dtype(x)
        if cast_to is not None:
            x = self._cast_input(x, cast_to)
        # As Keras: an explicit `training` reaches every layer (a direct `call` sets no
        # call context for them to read it from).
        kwargs = {} if training is None else {"training": training}
        for layer in self._layers:
            x = layer(x, **kwargs)
        return x

    def _input_cast_dtype(self, x):
        """The dtype of the model's Input when ``x`` has another dtype, else None."""
        dtype = getattr(x, "dtype", None)
        if dtype is not None and self._inputs is not None:
            if backend.standardize_dtype(dtype) != self._inputs.dtype:
                return self._inputs.dtype
        return None

    @staticmethod
    def _cast_input(x, dtype):
        return backend.cast(x, dtype)

    def compute_output_spec(self, *args, **kwargs):
        x = args[0]
        for layer in self.layers:
            x = layer.compute_output_spec(x)
        return x

    @property
    def inputs(self):
        return [self._inputs] if self._inputs is not None else None

    @property
    def outputs(self):
        return [self._outputs] if self._outputs is not None else None

    @property
    def input(self):
        return self._inputs

    @property
    def input_shape(self):
        """The shape of the model's input, batch axis included (once it is known)."""
        if self._inputs is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no `input_shape` yet: it is known once the "
                "model is built (start it with an `Input`, or call it on data)."
            )
        return tuple(self._inputs.shape)

    @property
    def output_shape(self):
        """The shape of the model's output, batch axis included (once it is known)."""
        if self._outputs is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no `output_shape` yet: it is known once the "
                "model is built (start it with an `Input`, or call it on data)."
            )
        return tuple(self._outputs.shape)

    @property
    def output(self):
        return self._outputs

    @property
    def output_names(self):
        return [self.layers[-1].name] if self.layers else []

    def get_config(self):
        """Keras's Sequential config: the layers (an InputLayer first when there is one) and
        the shape the model was built for."""
        from cornu.saving.serialization_lib import dtype_policy_config, serialize_keras_object

        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": dtype_policy_config(self.dtype_policy),
            "layers": [serialize_keras_object(layer) for layer in self._stack],
        }
        if self._inputs is not None:
            config["build_input_shape"] = list(self._inputs.shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A Sequential model from ``get_config()``'s output: its layers are created and
        added in order, and the model is built for ``build_input_shape`` when given."""
        from cornu.saving.serialization_lib import deserialize_keras_object

        if "name" not in config:
            raise ValueError(
                "A Sequential model configuration must be a dictionary containing the 'name' "
                f"and 'layers' keys. Received: config={config}"
            )
        model = cls(name=config["name"], trainable=config.get("trainable", True))
        for layer_config in config.get("layers", []):
            layer = deserialize_keras_object(
                layer_config, custom_objects=custom_objects, kind="layer"
            )
            model.add(layer, rebuild=False)
        model._maybe_rebuild()
        shape = config.get("build_input_shape")
        if not model.built and shape is not None:
            model.build(tuple(shape))
        return model

    def get_build_config(self):
        if self._inputs is None:
            return None
        return {"input_shape": list(self._inputs.shape)}

    def build_from_config(self, config):
        shape = (config or {}).get("input_shape")
        if not self.built and shape is not None:
            self.build(tuple(shape))


register_walk_probe(Sequential)
