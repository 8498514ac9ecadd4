"""Serialization: the registry of custom objects and configs to objects and back."""

from cornu.saving.object_registration import (
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

__all__ = [
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]
