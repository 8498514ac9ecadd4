"""Pipeline: a sequence of (preprocessing) layers applied one after another, as one layer."""

from cornu.core import tree
from cornu.core.masking import get_keras_mask
from cornu.layers.layer import Layer
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


class Pipeline(Layer):
    """Applies ``layers`` in order, each to the previous one's output, passing masks along;
    unlike ``Sequential`` it is a plain layer (no model, no training loop), meant for
    preprocessing such as a chain of augmentation layers.

    Args:
        layers: the list of layers.
        name: the layer's name.

    Call arguments:
        inputs: the first layer's input.
        training: passed to each layer whose ``call`` takes it (True by default, so that
            augmentation layers augment).
        mask: passed to each layer whose ``call`` takes it.
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        self._pipeline_layers = layers

    @property
    def layers(self):
        """The layers, in the order they are applied."""
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            kwargs = {}
            if layer._call_accepts_mask:
                kwargs["mask"] = mask
            if layer._call_accepts_training and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = tree.map_structure(get_keras_mask, outputs)
        return outputs

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "`Pipeline` config must contain a `layers` key mapping to a list of serialized "
                f"layers. Received config with layers={layers}."
            )
        config = dict(config)
        config["layers"] = [deserialize_keras_object(x, kind="layer") for x in layers]
        return cls(**config)

    def get_config(self):
        return {"layers": serialize_keras_object(self._pipeline_layers), "name": self.name}
