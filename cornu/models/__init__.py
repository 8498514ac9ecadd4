"""Models: ``Model`` (Functional or subclassed), ``Sequential``, and their saving helpers."""

from cornu.models.cloning import clone_model
from cornu.models.functional import Functional
from cornu.models.model import Model
from cornu.models.sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a ``.keras`` model file (see ``cornu.saving.load_model``)."""
    from cornu.saving.saving_lib import load_model as load

    return load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def model_from_json(json_string, custom_objects=None):
    """Rebuilds a model (without weights) from ``model.to_json()``'s output."""
    import json

    from cornu.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(
        json.loads(json_string), custom_objects=custom_objects, kind="model"
    )


def save_model(model, filepath, overwrite=True, zipped=True):
    """Saves ``model`` to a ``.keras`` file (``model.save``)."""
    model.save(filepath, overwrite=overwrite, zipped=zipped)


__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
    "save_model",
]
