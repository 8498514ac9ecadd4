"""Legacy HDF5 files: Keras 2 whole-model ``.h5`` files (``model_config`` and
``training_config`` attributes, a ``model_weights`` group whose ``layer_names`` and
``weight_names`` attributes list the weights, ``optimizer_weights``) and Keras 2 weights-only
``.h5`` files, read as Keras 3's legacy loader reads them (weights matched to layers by order,
or by name). Nothing in the file is executed; a bad file raises SavedFileError and changes
nothing."""

import json
import warnings

import h5py
import numpy as np

from cornu.saving import saving_lib
from cornu.saving.saving_lib import SavedFileError


def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model in a legacy whole-model ``.h5`` file, with its weights; compiled (with its
    optimizer's state when it fits) when the file has a training configuration and
    ``compile`` is True."""
    with _open(filepath) as f:
        try:
            raw = f.attrs.get("model_config")
            if raw is None:
                raise SavedFileError("no model config found in the file (no model_config).")
            config = _json(raw, "model_config")
            training_config = f.attrs.get("training_config") if compile else None
            if training_config is not None:
                training_config = _json(training_config, "training_config")
            weights_group = _group(f, "model_weights") if "model_weights" in f else f
            layer_weights = _read_layer_weights(weights_group)
            optimizer_weights = None
            if training_config is not None and "optimizer_weights" in f:
                optimizer_weights = _read_values(_group(f, "optimizer_weights"))
            config = keras3_config(config)
        except Exception as error:
            raise _file_error(filepath, error) from None
        model = saving_lib.model_from_config(config, custom_objects, False, safe_mode, filepath)
        _assign(model, layer_weights, filepath, skip_mismatch=False, by_name=False)
        if training_config is not None:
            _compile(model, training_config, optimizer_weights, custom_objects, filepath)
    return model


def load_weights_from_hdf5(model, filepath, skip_mismatch=False, by_name=False):
    """Loads a legacy ``.h5`` weights file (or the weights of a whole-model one) into a
    built model, matching layers by order (Keras's default) or by name."""
    with _open(filepath) as f:
        try:
            group = f
            if "layer_names" not in f.attrs and "model_weights" in f:
                group = _group(f, "model_weights")
            layer_weights = _read_layer_weights(group)
        except Exception as error:
            raise _file_error(filepath, error) from None
        _assign(model, layer_weights, filepath, skip_mismatch=skip_mismatch, by_name=by_name)


def _open(filepath):
    try:
        return h5py.File(filepath, "r")
    except FileNotFoundError:
        raise SavedFileError(f"File not found: filepath={filepath}.") from None
    except Exception as error:
        raise SavedFileError(
            f"{filepath}: not a readable HDF5 file ({type(error).__name__}: {error})."
        ) from None


def _file_error(filepath, error):
    if isinstance(error, SavedFileError):
        return SavedFileError(f"{filepath}: {error}")
    return SavedFileError(
        f"{filepath}: not a readable Keras .h5 file ({type(error).__name__}: {error})."
    )


# ---- reading ---------------------------------------------------------------------------------


def _json(raw, what):
    try:
        text = raw.decode("utf-8") if hasattr(raw, "decode") else str(raw)
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise SavedFileError(f"the {what} attribute is not valid JSON ({error}).") from None


def _names(values):
    if isinstance(values, (bytes, str)):
        values = [values]
    return [v.decode("utf-8") if hasattr(v, "decode") else str(v) for v in np.ravel(values)]


def _attribute_names(group, name):
    """An attribute holding a list of names; Keras splits long ones into ``name0``, ..."""
    if name in group.attrs:
        return _names(group.attrs[name])
    out, chunk = [], 0
    while f"{name}{chunk}" in group.attrs:
        out.extend(_names(group.attrs[f"{name}{chunk}"]))
        chunk += 1
    return out


def _group(parent, path):
    """``parent[path]`` as a group, refusing links and paths that leave ``parent``."""
    current = parent
    for part in path.split("/"):
        if part in ("", ".", ".."):
            raise SavedFileError(f"invalid path '{path}' in the H5 file.")
        if part not in current:
            raise SavedFileError(f"the H5 file has no '{path}'.")
        if not isinstance(current.get(part, getlink=True), h5py.HardLink):
            raise SavedFileError(f"'{path}' is a link, which is not allowed.")
        current = current[part]
        if not isinstance(current, h5py.Group):
            raise SavedFileError(f"'{path}' is not a group.")
    return current


def _dataset(group, path):
    folder, _, name = path.rpartition("/")
    parent = _group(group, folder) if folder else group
    if name not in parent or not isinstance(parent.get(name, getlink=True), h5py.HardLink):
        raise SavedFileError(f"the weight '{path}' is missing or is a link.")
    dataset = parent[name]
    if not isinstance(dataset, h5py.Dataset) or dataset.external or dataset.is_virtual:
        raise SavedFileError(f"the weight '{path}' is not a dataset stored in the file.")
    if dataset.dtype.kind not in "biuf":
        raise SavedFileError(f"the weight '{path}' holds {dataset.dtype}, not numbers.")
    return dataset


def _read_values(group):
    return [_dataset(group, name) for name in _attribute_names(group, "weight_names")]


def _read_layer_weights(group):
    """``[(layer name, [datasets in weight order])]`` of a Keras 2 weights group (datasets
    are read only once their shapes have been checked)."""
    out = []
    for name in _attribute_names(group, "layer_names"):
        out.append((name, _read_values(_group(group, name))))
    return out


# ---- assigning -------------------------------------------------------------------------------


def _legacy_weights(layer):
    return list(layer.trainable_weights) + [
        w for w in layer.non_trainable_weights if not any(w is t for t in layer.trainable_weights)
    ]


def _assign(model, layer_weights, filepath, skip_mismatch, by_name):
    saved = [(name, values) for name, values in layer_weights if values]
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    if by_name:
        by = {layer.name: layer for layer in layers}
        pairs = [(by[name], name, values) for name, values in saved if name in by]
    else:
        if len(saved) != len(layers):
            raise SavedFileError(
                f"{filepath}: Layer count mismatch when loading weights from file. Model "
                f"expected {len(layers)} layers, found {len(saved)} saved layers."
            )
        pairs = [(layer, name, values) for layer, (name, values) in zip(layers, saved)]
    plans = []
    try:
        for k, (layer, name, values) in enumerate(pairs):
            variables = _legacy_weights(layer)
            if len(values) != len(variables):
                raise SavedFileError(
                    f"{filepath}: Weight count mismatch for layer #{k} (named {layer.name} in "
                    f"the current model, {name} in the save file). Layer expects "
                    f"{len(variables)} weight(s). Received {len(values)} saved weight(s)"
                )
            for variable, dataset in zip(variables, values):
                if tuple(dataset.shape) != tuple(variable.shape):
                    message = (
                        f"{filepath}: Shape mismatch in layer #{k} (named {layer.name}) for "
                        f"weight {variable.path}. Weight expects shape {tuple(variable.shape)}. "
                        f"Received saved weight with shape {tuple(dataset.shape)}"
                    )
                    if not skip_mismatch:
                        raise SavedFileError(message)
                    warnings.warn(message, stacklevel=3)
                    continue
                plans.append((variable, np.asarray(dataset)))
    except SavedFileError:
        raise
    except Exception as error:
        raise SavedFileError(
            f"{filepath}: the weights are corrupt ({type(error).__name__}: {error})."
        ) from None
    for variable, value in plans:
        variable.assign(value)


def _compile(model, training_config, optimizer_weights, custom_objects, filepath):
    from cornu import optimizers
    from cornu.saving import object_registration

    try:
        with object_registration.CustomObjectScope(custom_objects):
            optimizer_config = training_config["optimizer_config"]
            try:
                optimizer = optimizers.deserialize(optimizer_config)
            except (TypeError, ValueError):
                # Keras 2 optimizers had arguments Keras 3 dropped (decay, ...): keep the
                # rule and its learning rate.
                inner = optimizer_config.get("config", {})
                optimizer = optimizers.get(optimizer_config["class_name"])
                if "learning_rate" in inner or "lr" in inner:
                    optimizer.learning_rate = inner.get("learning_rate", inner.get("lr"))
            model.compile(
                optimizer=optimizer,
                loss=_plain(training_config.get("loss")),
                metrics=_plain(training_config.get("metrics")),
                weighted_metrics=_plain(training_config.get("weighted_metrics")),
                loss_weights=training_config.get("loss_weights"),
            )
    except Exception as error:
        raise SavedFileError(
            f"{filepath}: could not compile the model from its training_config "
            f"({type(error).__name__}: {error})."
        ) from None
    if optimizer_weights:
        optimizer.build(model.trainable_variables)
        try:
            values = [np.asarray(d) for d in optimizer_weights]
            optimizer.set_weights(values)
        except (ValueError, TypeError, OSError):
            warnings.warn(
                "Error in loading the saved optimizer state. As a result, your model is "
                "starting with a freshly initialized optimizer.",
                stacklevel=3,
            )


def _plain(value):
    """A loss or metrics entry of a training config, with Keras 2's ``{"class_name",
    "config"}`` dicts rebuilt."""
    from cornu.saving.serialization_lib import deserialize_keras_object

    if isinstance(value, dict) and "class_name" in value:
        return deserialize_keras_object(value, kind="loss or metric")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# ---- Keras 2 configs to Keras 3's schema -----------------------------------------------------


def keras3_config(config):
    """A legacy model config (no ``module`` keys, Keras 2 node lists, ``batch_input_shape``)
    in Keras 3's schema, nested models included."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise SavedFileError("the model_config attribute does not describe a model.")
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "Sequential":
        if isinstance(inner, list):  # the oldest Keras 2 form: a bare list of layers
            inner = {"layers": inner}
        inner = dict(inner)
        inner["layers"] = [_layer_entry(entry) for entry in inner.get("layers", [])]
        return {"module": "keras", "class_name": "Sequential", "config": inner}
    if class_name in ("Functional", "Model") and isinstance(inner, dict) and "layers" in inner:
        inner = dict(inner)
        layers = []
        for entry in inner["layers"]:
            converted = _layer_entry(entry)
            converted["name"] = entry.get("name", converted["config"].get("name"))
            converted["inbound_nodes"] = [_node(n) for n in entry.get("inbound_nodes", [])]
            layers.append(converted)
        inner["layers"] = layers
        for key in ("input_layers", "output_layers"):
            # Keras 2 always wrote lists; a single tensor was meant as itself.
            value = inner.get(key)
            if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
                inner[key] = value[0]
        return {"module": "keras", "class_name": "Functional", "config": inner}
    return dict(config)


def _layer_entry(entry):
    entry = dict(entry)
    if entry.get("class_name") in ("Sequential", "Functional", "Model"):
        nested = keras3_config(entry)
        return {**entry, **nested}
    layer_config = dict(entry.get("config") or {})
    if entry.get("class_name") == "InputLayer" and "batch_input_shape" in layer_config:
        layer_config["batch_shape"] = layer_config.pop("batch_input_shape")
    entry["config"] = layer_config
    return entry


def _node(node):
    if isinstance(node, dict):  # already Keras 3's form
        return node
    tensors = [
        {"class_name": "__keras_tensor__", "config": {"keras_history": [n[0], n[1], n[2]]}}
        for n in node
    ]
    kwargs = {}
    if node and len(node[0]) > 3 and isinstance(node[0][3], dict):
        kwargs = node[0][3]
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}
