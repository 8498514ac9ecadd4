"""The ``.keras`` archive and ``.weights.h5`` files, laid out as Keras 3 writes them.

A ``.keras`` file is a zip (stored, not compressed) of ``metadata.json``, ``config.json`` and
``model.weights.h5``. In the weights file each layer's variables sit in ``<path>/vars/0..n``,
where the path follows the model's structure (``layers/dense_1``: layers of a Sequential or
Functional model numbered per class name, as Keras numbers them) and the optimizer's in
``optimizer/vars``. Every write goes to a temporary file beside the target, renamed into
place; a load reads and checks everything before it changes any weight.
"""

import datetime
import io
import json
import os
import tempfile
import zipfile

import h5py
import numpy as np

from cornu.backend import to_snake_case
from cornu.saving import object_registration
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

KERAS_VERSION = "3.15.1"
CONFIG_FILE = "config.json"
METADATA_FILE = "metadata.json"
WEIGHTS_FILE = "model.weights.h5"
MAX_MEMBER_BYTES = 16 * 1024**3  # refuse archives that claim absurd sizes (zip bombs)


class SavedFileError(ValueError):
    """A file that cannot be loaded: truncated, corrupt, foreign, or holding weights that do not
    fit the model. Nothing has been changed when it is raised."""


# ---- where each variable lives in the weights file ---------------------------------------


def _is_model(obj):
    return hasattr(obj, "_stack") or hasattr(obj, "_plan")


def _children(layer):
    """``(path, child layer)`` pairs below ``layer`` in the weights file."""
    if _is_model(layer):
        counts = {}
        out = []
        children = layer.layers if hasattr(layer, "_stack") else layer._layers
        for child in children:
            if getattr(child, "_is_operation", False):
                continue
            base = to_snake_case(type(child).__name__)
            n = counts.get(base, 0)
            counts[base] = n + 1
            out.append((f"layers/{base}" + (f"_{n}" if n else ""), child))
        return out
    attributes = {k: v for k, v in vars(layer).items() if isinstance(v, (list, tuple))}
    attributes.update(
        (k, v) for k, v in getattr(layer, "_modules", {}).items() if _is_layer(v) and "." not in k
    )
    out = []
    # Keras's order: public attributes by name, then private ones.
    for name in sorted(attributes, key=lambda n: f"~{n}" if n.startswith("_") else n):
        value = attributes[name]
        if name.startswith("__") or name in ("_layers", "_tracked_variables"):
            continue
        if _is_layer(value):
            if not any(value is child for _, child in out):
                out.append((name, value))
        elif value and all(_is_layer(v) for v in value):
            counts = {}
            for child in value:
                base = to_snake_case(type(child).__name__)
                n = counts.get(base, 0)
                counts[base] = n + 1
                out.append((f"{name}/{base}" + (f"_{n}" if n else ""), child))
    return out


def _is_layer(value):
    return hasattr(value, "_tracked_variables") and hasattr(value, "save_own_variables")


def _walk(layer, path, visited):
    """``(path, layer)`` for ``layer`` and everything below it, each layer once."""
    if id(layer) in visited:
        return
    visited.add(id(layer))
    yield path, layer
    for child_path, child in _children(layer):
        yield from _walk(child, f"{path}/{child_path}" if path else child_path, visited)


def _entries(model, include_optimizer=True):
    """``(group path, object)`` pairs: every layer's, then the optimizer's variables."""
    entries = list(_walk(model, "", set()))
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and optimizer.variables:
        entries.append(("optimizer", optimizer))
    return entries


# ---- weights file I/O ------------------------------------------------------------------


def _write_weights(model, h5file, include_optimizer=True):
    for path, obj in _entries(model, include_optimizer):
        group = h5file.require_group(f"{path}/vars" if path else "vars")
        group.attrs["name"] = obj.name
        store = {}
        obj.save_own_variables(store)
        for key in sorted(store, key=int):
            group.create_dataset(key, data=np.asarray(store[key]))


def _read_weights(model, h5file, skip_mismatch=False, include_optimizer=True, source="file"):
    """Reads and checks every variable, then assigns them all (or nothing)."""
    try:
        plans = _plan_reads(model, h5file, skip_mismatch, include_optimizer, source)
    except SavedFileError:
        raise
    except (RuntimeError, OSError, KeyError, ValueError, TypeError, IndexError) as error:
        raise SavedFileError(f"{source}: the weights file is corrupt ({error}).") from None
    for obj, store in plans:
        obj.load_own_variables(store)


def _plan_reads(model, h5file, skip_mismatch, include_optimizer, source):
    plans = []
    for path, obj in _entries(model, include_optimizer):
        name = f"{path}/vars" if path else "vars"
        expected = _expected_shapes(obj)
        if name not in h5file:
            if not expected:
                continue
            if skip_mismatch:
                continue
            raise SavedFileError(
                f"{source}: no weights for {_describe(obj)} (expected the group '{name}'). The "
                "file holds a different model."
            )
        group = h5file[name]
        if not isinstance(group, h5py.Group):
            raise SavedFileError(f"{source}: '{name}' is not a group of variables.")
        store = {key: np.asarray(group[key]) for key in group.keys()}
        keys = sorted(store, key=lambda k: int(k) if k.isdigit() else -1)
        if len(keys) != len(expected) or any(
            tuple(store[k].shape) != shape for k, shape in zip(keys, expected)
        ):
            if skip_mismatch:
                continue
            raise SavedFileError(
                f"{source}: {_describe(obj)} expects {len(expected)} variables of shapes "
                f"{expected}, but the file holds {[tuple(store[k].shape) for k in keys]} under "
                f"'{name}'."
            )
        plans.append((obj, store))
    return plans


def _expected_shapes(obj):
    store = {}
    obj.save_own_variables(store)
    return [tuple(np.shape(store[k])) for k in sorted(store, key=int)]


def _describe(obj):
    kind = "the optimizer" if not hasattr(obj, "_tracked_variables") else "layer"
    return f"{kind} '{obj.name}'" if kind == "layer" else kind


# ---- atomic writes ---------------------------------------------------------------------


def _write_atomically(path, write):
    folder = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(folder, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=folder)
    os.close(handle)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# ---- public functions ------------------------------------------------------------------


def _metadata():
    date = datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")
    return {"keras_version": KERAS_VERSION, "date_saved": date}


def _model_config(model):
    config = serialize_keras_object(model)
    if getattr(model, "compiled", False):
        config["compile_config"] = model.get_compile_config()
    return config


def save_model(model, filepath, zipped=True):
    """Writes ``model`` (architecture, weights, optimizer state and compile settings) to a
    ``.keras`` archive, or to a folder of the same files when ``zipped=False``."""
    filepath = os.fspath(filepath)
    config = json.dumps(_model_config(model))
    metadata = json.dumps(_metadata())
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        _write_weights(model, h5file)
    weights = buffer.getvalue()
    if not zipped:
        os.makedirs(filepath, exist_ok=True)
        for name, data in (
            (METADATA_FILE, metadata),
            (CONFIG_FILE, config),
            (WEIGHTS_FILE, weights),
        ):
            target = os.path.join(filepath, name)
            mode = "wb" if isinstance(data, bytes) else "w"
            _write_atomically(target, lambda tmp, d=data, m=mode: _write_file(tmp, d, m))
        return

    def write(tmp):
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(METADATA_FILE, metadata)
            archive.writestr(CONFIG_FILE, config)
            archive.writestr(WEIGHTS_FILE, weights)

    _write_atomically(filepath, write)


def _write_file(path, data, mode):
    with open(path, mode) as f:
        f.write(data)


def _read_archive(filepath):
    """``(config dict, weights bytes)`` of a ``.keras`` file or folder."""
    if os.path.isdir(filepath):
        try:
            with open(os.path.join(filepath, CONFIG_FILE)) as f:
                config_text = f.read()
            with open(os.path.join(filepath, WEIGHTS_FILE), "rb") as f:
                weights = f.read()
        except OSError as error:
            raise SavedFileError(f"{filepath}: not a saved model folder ({error}).") from None
        return _parse_config(config_text, filepath), weights
    try:
        with zipfile.ZipFile(filepath) as archive:
            names = set(archive.namelist())
            missing = {CONFIG_FILE, WEIGHTS_FILE} - names
            if missing:
                raise SavedFileError(
                    f"{filepath}: not a Keras archive (it lacks {sorted(missing)})."
                )
            for info in archive.infolist():
                if info.file_size > MAX_MEMBER_BYTES:
                    raise SavedFileError(
                        f"{filepath}: member '{info.filename}' claims {info.file_size} bytes; "
                        "refusing to read it."
                    )
            config_text = archive.read(CONFIG_FILE).decode("utf-8")
            weights = archive.read(WEIGHTS_FILE)
    except SavedFileError:
        raise
    except FileNotFoundError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        UnicodeError,
        NotImplementedError,
        ValueError,
    ) as error:
        raise SavedFileError(f"{filepath}: not a readable .keras archive ({error}).") from None
    except Exception as error:  # zlib errors and other corruption inside zipfile
        raise SavedFileError(f"{filepath}: corrupt .keras archive ({error}).") from None
    return _parse_config(config_text, filepath), weights


def _parse_config(text, filepath):
    try:
        config = json.loads(text)
    except ValueError as error:
        raise SavedFileError(f"{filepath}: config.json is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise SavedFileError(f"{filepath}: config.json does not describe a model.")
    return config


def _open_weights(data, source):
    try:
        return h5py.File(io.BytesIO(data), "r")
    except Exception as error:  # h5py raises OSError and others on bad bytes
        raise SavedFileError(
            f"{source}: the weights are not a readable HDF5 file ({error})."
        ) from None


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by ``model.save`` (cornu's or Keras 3's ``.keras`` file).

    Args:
        filepath: the ``.keras`` file (or the folder that ``save(..., zipped=False)`` wrote).
        custom_objects: a dict mapping names to your own classes and functions.
        compile: compile the model as it was saved (with its optimizer state).
        safe_mode: refuse Python lambdas stored in the file (their code would run).

    Raises:
        SavedFileError: the file is truncated, corrupt or not a Keras model.
        ValueError: the file names a class that is neither cornu's nor registered.
    """
    filepath = os.fspath(filepath)
    if not os.path.isdir(filepath) and not filepath.endswith(".keras"):
        if filepath.endswith((".h5", ".hdf5")):
            from cornu.saving import legacy_h5

            return legacy_h5.load_model(filepath, custom_objects, compile, safe_mode)
        raise ValueError(
            f"File format not supported: filepath={filepath}. cornu loads `.keras` files (and "
            "legacy `.h5` ones)."
        )
    config, weights = _read_archive(filepath)
    compile_config = config.pop("compile_config", None)
    with object_registration.custom_object_scope(custom_objects, safe_mode=safe_mode):
        try:
            model = deserialize_keras_object(
                config, custom_objects=custom_objects, kind="model", safe_mode=safe_mode
            )
        except (KeyError, TypeError, IndexError) as error:
            raise SavedFileError(f"{filepath}: the model config is malformed ({error}).") from None
        if compile and compile_config:
            model.compile_from_config(compile_config)
    with _open_weights(weights, filepath) as h5file:
        _read_weights(
            model, h5file, include_optimizer=bool(compile and compile_config), source=filepath
        )
    return model


def save_weights(model, filepath):
    """Writes the weights (and the optimizer's variables) to a ``.weights.h5`` file."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError("The filename must end in `.weights.h5`. Received: filepath=" + filepath)

    def write(tmp):
        with h5py.File(tmp, "w") as h5file:
            _write_weights(model, h5file)

    _write_atomically(filepath, write)


def load_weights(model, filepath, skip_mismatch=False):
    """Loads weights saved by ``save_weights`` (or from a ``.keras`` archive)."""
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        _, data = _read_archive(filepath)
    elif filepath.endswith(".weights.h5"):
        try:
            with open(filepath, "rb") as f:
                data = f.read()
        except IsADirectoryError:
            raise SavedFileError(f"{filepath} is a folder, not a weights file.") from None
    else:
        raise ValueError(
            "File format not supported: filepath=" + filepath + ". cornu loads `.weights.h5` "
            "files and `.keras` archives."
        )
    optimizer = getattr(model, "optimizer", None)
    with _open_weights(data, filepath) as h5file:
        if optimizer is not None and "optimizer" in h5file and not optimizer.variables:
            optimizer.build(model.trainable_variables)
        _read_weights(model, h5file, skip_mismatch=skip_mismatch, source=filepath)
