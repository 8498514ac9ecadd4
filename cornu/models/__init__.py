"""Models: ``Model`` (Functional or subclassed), ``Sequential``, and their saving helpers."""

from cornu.models.cloning import clone_model
from cornu.models.functional import Functional
from cornu.models.model import Model
from cornu.models.sequential import Sequential
from cornu.saving.saving_api import load_model, save_model


def model_from_json(json_string, custom_objects=None):
    """Rebuilds a model (without its weights) from ``model.to_json()``'s output, or from the
    JSON Keras writes.

    Args:
        json_string: the JSON text.
        custom_objects: a dict mapping names to your own classes and functions.
    """
    import json

    from cornu.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(
        json.loads(json_string), custom_objects=custom_objects, kind="model"
    )


__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
    "save_model",
]
