"""Model: a Layer that trains (``compile``/``fit``/``evaluate``/``predict``).

``Model(inputs, outputs)`` makes a Functional model; subclassing ``Model`` and writing ``call``
makes a subclassed one.
"""

import inspect

from cornu import backend, core
from cornu.core import KerasTensor
from cornu.layers.layer import Layer, default_config, register_walk_probe
from cornu.models.model_state import ModelStateMixin
from cornu.saving import saving_api, saving_lib
from cornu.trainers.trainer import Trainer


class Model(ModelStateMixin, Trainer, Layer):
    """A model: layers plus training and inference.

    ``Model(inputs, outputs, name=None)`` builds a Functional model from symbolic tensors.
    Subclass it, create layers in ``__init__`` and compute in ``call(inputs, training=None)``
    for a subclassed model.
    """

    # Set by cornu/models/functional.py: the class that ``Model(inputs, outputs)`` creates,
    # and the function that rebuilds a graph from a Functional config.
    _functional_class = None
    _functional_from_config = None

    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) >= 2 or "outputs" in kwargs):
            functional = Model._functional_class
            return functional.__new__(functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            # A subclass calling `super().__init__(inputs, outputs)` becomes a Functional
            # subclass, as in Keras.
            functional = Model._functional_class
            if not isinstance(self, functional):
                _make_functional(type(self), functional)
            functional.__init__(self, *args, **kwargs)
            return
        Trainer.__init__(self)
        Layer.__init__(self, **kwargs)

    @property
    def layers(self):
        """The model's layers, in order (symbolic arithmetic operations are not layers)."""
        return [x for x in self._layers if not getattr(x, "_is_operation", False)]

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or the layer at position ``index``."""
        if index is not None and name is not None:
            raise ValueError("Provide only one of `name` or `index`, not both.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Model '{self.name}' has {len(layers)} layers; index {index} is out of range."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name!r}. Existing layers are: {[x.name for x in layers]}."
            )
        raise ValueError("Provide either a layer `name` or an `index`.")

    def build(self, input_shape=None):
        """Builds a subclassed model's weights by running ``call`` on symbolic inputs."""
        if self.built:
            return
        if input_shape is None:
            raise ValueError(
                f"Model '{self.name}': `build()` needs an `input_shape`, e.g. "
                "`model.build((None, 784))`."
            )
        if isinstance(input_shape, list) and all(isinstance(s, (list, tuple)) for s in input_shape):
            inputs = [KerasTensor(s) for s in input_shape]
        else:
            inputs = KerasTensor(tuple(input_shape))
        backend.compute_output_spec(self.call, inputs)
        if self._build_shapes is None:
            self._build_shapes = core.tree.map_structure(lambda x: tuple(x.shape), inputs)
        self.built = True

    def _build_for(self, inputs):
        # A subclassed model's layers build themselves during the first call; the input shape
        # is kept for the saved config (``build_config``), as Keras keeps it.
        if self._build_shapes is None and inputs is not None:
            self._build_shapes = core.tree.map_structure(lambda x: tuple(x.shape), inputs)
        self.built = True

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints a table of the model's layers, output shapes and parameter counts."""
        from cornu.utils.summary_utils import print_summary

        if not self.built:
            raise ValueError(
                f"Model '{self.name}' has not yet been built, so it has no weights to summarize. "
                "Build it first: give the first layer an input shape (e.g. "
                "`Input(shape=(784,))`), call `model.build(input_shape)`, or call the model on "
                "a batch of data."
            )
        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    @default_config
    def get_config(self):
        """``name`` and ``trainable``, and for a subclassed model that writes no
        ``get_config``, its constructor's arguments (Keras's auto config)."""
        config = {"name": self.name, "trainable": self.trainable}
        if type(self).get_config is Model.get_config and not self._walk_as_graph:
            config = self._with_auto_config(config)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates a model from ``get_config()``'s output.

        A Functional config (with ``name``, ``layers``, ``input_layers`` and
        ``output_layers``) rebuilds the graph, as Keras does, when ``cls`` is ``Model``,
        ``Functional``, or a subclass whose constructor takes Functional's arguments
        (``inputs, outputs, name``) or ``*args, **kwargs``. Any other config is passed to the
        constructor as keyword arguments. ``config`` itself is left unchanged.
        """
        if all(key in config for key in _FUNCTIONAL_CONFIG_KEYS) and _takes_functional_args(cls):
            return Model._functional_from_config(cls, config, custom_objects=custom_objects)
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                "Unable to revive model from config. When overriding the `get_config()` "
                "method, make sure that the returned config contains all items used as "
                f"arguments in the constructor to {cls}, which is the default behavior. You "
                "can override this default behavior by defining a `from_config(cls, config)` "
                f"class method to specify how to create an instance of {cls.__name__} from its "
                f"config.\n\nReceived config={config}\n\nError encountered during "
                f"deserialization: {e}"
            ) from e

    # ---- saving --------------------------------------------------------------------------

    def _add_walk_attributes(self, attributes):
        # Keras's walk visits a model's optimizer, and a subclassed model's layers as a list.
        if getattr(self, "optimizer", None) is not None:
            attributes["optimizer"] = self.optimizer
        if not self._walk_as_graph:
            attributes["layers"] = self.layers

    def __reduce__(self):
        """Pickling (and ``copy.deepcopy``) goes through the ``.keras`` format, as in Keras:
        the architecture, weights, optimizer state and compile settings travel; custom
        classes must be registered (``register_keras_serializable``) to come back."""
        return (saving_lib.model_from_bytes, (saving_lib.model_to_bytes(self),))

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model (architecture, weights, optimizer state, compile settings) to a
        ``.keras`` file that Keras 3 loads too (see ``cornu.saving.save_model``). The write is
        atomic; under data parallelism only process 0 writes and the others wait for it."""
        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights (and the optimizer's variables) to a ``.weights.h5`` file in
        Keras 3's layout (see ``cornu.saving.save_weights``)."""
        saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights from a ``.weights.h5`` file, a ``.keras`` archive or a legacy
        ``.h5`` file. Every weight is read and checked before any is assigned: a file that
        does not fit raises ``cornu.saving.SavedFileError`` and changes nothing, unless
        ``skip_mismatch`` (then the layers that do not fit keep their weights)."""
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def export(self, filepath, format="onnx", verbose=None, input_signature=None, **kwargs):
        """Exports the model for inference (see ``cornu.export``).

        Args:
            filepath: the file to write (atomically).
            format: ``"onnx"`` (an ONNX file with a dynamic batch axis, for onnxruntime and
                other ONNX runtimes), ``"torch"`` (a ``torch.export`` program, ``.pt2``) or
                ``"tf_saved_model"`` (Keras's default: a SavedModel folder with a ``serve``
                endpoint; on the TensorFlow backend only).
            verbose: print a line once the file is written (the default).
            input_signature: the inputs' specs (``cornu.layers.InputSpec`` or
                ``cornu.KerasTensor`` objects with a shape and dtype) when the model has no
                symbolic inputs (a subclassed model).
            **kwargs: ``opset_version`` for ONNX.
        """
        from cornu import export as exporting

        exporting.export_model(
            self,
            filepath,
            format=format,
            verbose=verbose,
            input_signature=input_signature,
            **kwargs,
        )

    def to_json(self, **kwargs):
        """The model's architecture as a JSON string (``cornu.models.model_from_json`` reads
        it, and so does Keras's). ``kwargs`` go to ``json.dumps``."""
        import json

        from cornu.saving.serialization_lib import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)


_FUNCTIONAL_CONFIG_KEYS = ("name", "layers", "input_layers", "output_layers")


def _takes_functional_args(cls):
    """Keras's test for a class that a Functional config can build: Model or Functional
    themselves, or a constructor with Functional's arguments or with ``*args, **kwargs``."""
    functional = Model._functional_class
    if cls in (Model, functional):
        return True
    spec = inspect.getfullargspec(cls.__init__)
    if spec.args[1:] == inspect.getfullargspec(functional.__init__).args[1:]:
        return True
    return spec.varargs == "args" and spec.varkw == "kwargs"


def _make_functional(cls, functional):
    """Puts ``functional`` where ``Model`` is among the bases of ``cls`` (and of its bases)."""
    bases = []
    for base in cls.__bases__:
        if base is Model:
            bases.append(functional)
        else:
            if issubclass(base, Model) and not issubclass(base, functional):
                _make_functional(base, functional)
            bases.append(base)
    cls.__bases__ = tuple(bases)


register_walk_probe(Model)
