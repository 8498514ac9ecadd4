"""Whole-model ``.h5`` files of Keras 2 (``model_config`` and ``model_weights``), for the
layers cornu has, read as Keras 3 reads them. Nothing in the file is executed."""

import json

import h5py
import numpy as np

from cornu.saving import object_registration
from cornu.saving.saving_lib import SavedFileError
from cornu.saving.serialization_lib import deserialize_keras_object


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model in a Keras 2 ``.h5`` file, with its weights (not compiled: Keras 2's training
    configuration is not read)."""
    try:
        with h5py.File(filepath, "r") as f:
            raw = f.attrs.get("model_config")
            if raw is None:
                raise SavedFileError(
                    f"{filepath}: no model found in config file (no model_config)."
                )
            config = json.loads(raw.decode("utf-8") if hasattr(raw, "decode") else raw)
            weights = _read_layer_weights(f["model_weights"] if "model_weights" in f else f)
    except SavedFileError:
        raise
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as error:
        raise SavedFileError(f"{filepath}: not a readable Keras .h5 model ({error}).") from None
    with object_registration.custom_object_scope(custom_objects, safe_mode=safe_mode):
        model = deserialize_keras_object(
            _keras3_config(config), custom_objects=custom_objects, kind="model"
        )
    _assign(model, weights, filepath)
    return model


def _read_layer_weights(group):
    """``{layer name: [arrays in weight order]}`` from a Keras 2 weights group."""
    out = {}
    for name in _names(group.attrs.get("layer_names", [])):
        layer_group = group[name]
        out[name] = [
            np.asarray(layer_group[w]) for w in _names(layer_group.attrs.get("weight_names", []))
        ]
    return out


def _names(values):
    return [v.decode("utf-8") if hasattr(v, "decode") else str(v) for v in values]


def _assign(model, weights, filepath):
    layers = {layer.name: layer for layer in model.layers}
    plans = []
    for name, arrays in weights.items():
        if not arrays:
            continue
        layer = layers.get(name)
        if layer is None:
            raise SavedFileError(f"{filepath}: weights for layer '{name}', which the model lacks.")
        expected = [tuple(v.shape) for v in layer.weights]
        if expected != [a.shape for a in arrays]:
            raise SavedFileError(
                f"{filepath}: layer '{name}' expects weights of shapes {expected}, the file holds "
                f"{[a.shape for a in arrays]}."
            )
        plans.append((layer, arrays))
    for layer, arrays in plans:
        layer.set_weights(arrays)


def _keras3_config(config):
    """A Keras 2 model config in Keras 3's schema (modules, node format)."""
    class_name = config["class_name"]
    inner = dict(config["config"])
    layers = []
    for entry in inner.get("layers", []):
        entry = dict(entry)
        entry.setdefault("module", "keras.layers")
        layer_config = dict(entry.get("config", {}))
        if entry["class_name"] == "InputLayer" and "batch_input_shape" in layer_config:
            layer_config["batch_shape"] = layer_config.pop("batch_input_shape")
        entry["config"] = layer_config
        if "inbound_nodes" in entry:
            entry["inbound_nodes"] = [_node(n) for n in entry["inbound_nodes"]]
        layers.append(entry)
    inner["layers"] = layers
    return {
        "module": "keras",
        "class_name": "Functional" if class_name == "Model" else class_name,
        "config": inner,
    }


def _node(node):
    if isinstance(node, dict):  # already Keras 3's form
        return node
    tensors = [
        {"class_name": "__keras_tensor__", "config": {"keras_history": [n, i, t]}}
        for n, i, t, *_ in node
    ]
    kwargs = node[0][3] if node and len(node[0]) > 3 and isinstance(node[0][3], dict) else {}
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}
