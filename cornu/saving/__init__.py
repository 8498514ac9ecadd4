"""Saving: ``.keras`` archives and ``.weights.h5`` files that Keras 3 reads and writes, the
registry of custom objects, and configs to objects and back."""

from cornu.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from cornu.saving.saving_lib import SavedFileError, load_model, load_weights, save_weights
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


def save_model(model, filepath, overwrite=True, zipped=True):
    """Saves ``model`` to a ``.keras`` file (``model.save``)."""
    model.save(filepath, overwrite=overwrite, zipped=zipped)


__all__ = [
    "CustomObjectScope",
    "SavedFileError",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]
