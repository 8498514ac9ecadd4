"""Saving: ``.keras`` archives and ``.weights.h5`` files that Keras 3 reads and writes, legacy
``.h5`` files, the registry of custom objects, and objects to configs and back.

Every file that cannot be loaded raises ``SavedFileError`` (a ValueError) and changes nothing.
"""

from cornu.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from cornu.saving.saving_api import load_model, load_weights, save_model, save_weights
from cornu.saving.saving_lib import SavedFileError, set_allocation_slack
from cornu.saving.serialization_lib import (
    deserialize_keras_object,
    enable_unsafe_deserialization,
    serialize_keras_object,
)

__all__ = [
    "CustomObjectScope",
    "SavedFileError",
    "custom_object_scope",
    "deserialize_keras_object",
    "enable_unsafe_deserialization",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
    "set_allocation_slack",
]
