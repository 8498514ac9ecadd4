"""Keras 2 style serialization, as ``keras.legacy.saving``."""

from cornu.legacy.saving.serialization import deserialize_keras_object, serialize_keras_object

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
