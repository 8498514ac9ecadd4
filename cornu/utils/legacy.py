"""Keras 2 style serialization, as ``keras.utils.legacy`` (the same functions as
``cornu.legacy.saving``)."""

from cornu.legacy.saving import deserialize_keras_object, serialize_keras_object

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
