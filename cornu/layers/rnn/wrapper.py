"""Wrapper: the base of layers that take another layer and augment it."""

from cornu.layers.layer import Layer
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


class Wrapper(Layer):
    """Abstract base of wrappers such as ``TimeDistributed``: holds ``layer`` and builds it.

    Args:
        layer: the layer to wrap.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__} must wrap a `cornu.layers.Layer` instance. "
                f"Received: layer={layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer._build_shapes = input_shape
            self.layer.built = True
        self.built = True

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
