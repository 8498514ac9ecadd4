"""The ``.keras`` archive and ``.weights.h5`` files, laid out exactly as Keras 3 writes them.

A ``.keras`` file is a zip (stored, not compressed) holding ``metadata.json``, ``config.json``
and ``model.weights.h5``, in that order. In the weights file every layer (and the optimizer)
has a group ``<path>/vars`` (attribute ``name``: the object's name) holding its variables as
datasets ``"0"``, ``"1"``, ... (or under the keys of its own ``save_own_variables``, such as a
lookup layer's ``"idf_weights"``). The path follows the model's structure as Keras walks it: the
model's own variables in ``vars``; the layers of a Sequential or Functional model in
``layers/<class name in snake case>[_<n>]`` (numbered per class, in ``model.layers`` order);
sub-layers held by a layer under the attribute that holds them (``layers/lstm/cell``), lists
and dicts of them numbered per class again, attributes visited in name order with private
ones last; the optimizer in ``optimizer``. Files that objects write with ``save_assets``
follow, under ``assets/<path>`` (see ``assets.py``).

Every write goes to a temporary file in the target's folder, renamed into place. Every load
reads and checks all the variables before it assigns any, so a bad file changes nothing; a
file that cannot be loaded raises ``SavedFileError`` (a ValueError) naming the file and what
is wrong with it.
"""

import datetime
import hashlib
import io
import json
import os
import re
import tempfile
import warnings
import zipfile

import h5py
import numpy as np

from cornu.core import global_state
from cornu.saving import assets, object_registration, serialization_lib
from cornu.utils import durable_files

KERAS_VERSION = "3.15.1"  # the version of the format written (Keras's metadata field)
CONFIG_FILE = "config.json"
METADATA_FILE = "metadata.json"
WEIGHTS_FILE = "model.weights.h5"
# A member larger than this that also expands more than MAX_EXPANSION times its stored size is
# a decompression bomb; no member may claim more than MAX_MEMBER_BYTES at all.
BOMB_FLOOR_BYTES = 1 << 28
MAX_EXPANSION = 100
MAX_MEMBER_BYTES = 1 << 40
MAX_CONFIG_BYTES = 1 << 30


class SavedFileError(ValueError):
    """A file that cannot be loaded: missing, truncated, corrupt, foreign, refused by safe mode,
    or holding weights that do not fit the model. The message names the file and the problem;
    nothing (no model, no weight) has been changed when it is raised."""


# ---- the walk: where each object's variables live -----------------------------------------


def to_snake_case(name):
    """Keras's snake case of a class name (``Conv2D`` -> ``conv2d``, ``LSTM`` -> ``lstm``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _class_path_name(obj):
    # Keras names the path after its Python class, which may differ from the name it
    # exports (its GroupedQueryAttention is saved as "GroupQueryAttention").
    cls = type(obj)
    name = cls.__dict__.get("_keras_python_name") or cls.__dict__.get("_keras_class_name")
    return to_snake_case(name or cls.__name__)


def _is_saveable(value):
    """An object of the saving protocol (a layer, a model, an optimizer): it has
    ``_saveable``, ``_saved_kind``, ``_saveable_children()``, ``_variables_in_file_order()``
    and ``save_own_variables`` / ``load_own_variables``."""
    return getattr(type(value), "_saved_kind", None) is not None and bool(value._saveable)


def _children(obj):
    """``(attribute, value)`` pairs that Keras's walk visits below ``obj``, in its order."""
    return obj._saveable_children()


def _join(path, name):
    return f"{path}/{name}" if path else name


def _walk(obj, path, visited, containers):
    """``(path, saveable)`` for ``obj`` and every saveable below it, each object once."""
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield path, obj
    for name, child in _children(obj):
        if _is_saveable(child):
            yield from _walk(child, _join(path, name), visited, containers)
        elif isinstance(child, (list, tuple, dict)):
            yield from _walk_container(child, _join(path, name), visited, containers)


def _walk_container(container, path, visited, containers):
    # `containers` maps ids to the containers themselves: holding them keeps a temporary
    # list (a `layers` property's) from being freed and its id reused by another.
    if id(container) in containers:
        return
    containers[id(container)] = container
    used = {}
    items = container.values() if isinstance(container, dict) else container
    for item in list(items):
        if _is_saveable(item):
            name = _unique(_class_path_name(item), used)
            yield from _walk(item, _join(path, name), visited, containers)
        elif isinstance(item, (list, tuple, dict)):
            name = _unique("container", used)
            yield from _walk_container(item, _join(path, name), visited, containers)


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def saveables(model, objects_to_skip=()):
    """Every ``(group path, object)`` of ``model`` whose variables a weights file holds
    (``objects_to_skip`` and what lies below them left out)."""
    return list(_walk(model, "", {id(obj) for obj in objects_to_skip}, {}))


def _group_name(path):
    return _join(path, "vars")


# ---- writing ---------------------------------------------------------------------------------


# The weights file's integrity: a SHA-256 over every dataset (name, dtype, shape, bytes), kept
# as an attribute of the file's root. Keras ignores it; cornu checks it when it is there.
DIGEST_ATTRIBUTE = "cornu_weights_sha256"
# Elements that a config may allocate beyond what its weights file stores (variables that the
# file does not hold, such as metric accumulators); raise it with ``set_allocation_slack``.
_ALLOCATION_SLACK = [1 << 24]


def set_allocation_slack(elements):
    """Sets how many variable elements a loaded model may create beyond the ones its weights
    file stores (default 2**24). Loading refuses a config that claims more, before
    allocating: a small file cannot make cornu exhaust memory."""
    if isinstance(elements, bool) or not isinstance(elements, int) or elements < 0:
        raise ValueError(f"`elements` must be a non-negative int. Received: {elements!r}")
    _ALLOCATION_SLACK[0] = elements


def _datasets(h5file):
    found = []
    h5file.visititems(
        lambda name, item: found.append(name) if isinstance(item, h5py.Dataset) else None
    )
    return sorted(found)


def weights_digest(h5file):
    """The SHA-256 (hex) of every dataset of an open weights file, in name order."""
    digest = hashlib.sha256()
    for name in _datasets(h5file):
        value = np.asarray(h5file[name][()])
        digest.update(f"{name}|{value.dtype.str}|{value.shape}|".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    return digest.hexdigest()


def _check_weights_file(h5file, source):
    """Verifies the weights file's checksum when it has one, and returns how many elements
    its datasets hold; a damaged file raises SavedFileError."""
    try:
        expected = h5file.attrs.get(DIGEST_ATTRIBUTE)
        elements = sum(int(np.prod(h5file[name].shape)) for name in _datasets(h5file))
        actual = None if expected is None else weights_digest(h5file)
    except Exception as error:  # h5py's errors on damaged files
        raise SavedFileError(
            f"{source}: the weights file is corrupt ({type(error).__name__}: {error})."
        ) from None
    if expected is not None:  # files that Keras (or an older cornu) wrote have none
        expected = expected.decode() if isinstance(expected, bytes) else str(expected)
        if actual != expected:
            raise SavedFileError(
                f"{source}: the weights do not match the checksum saved with them: the file "
                "was changed or damaged after it was written. Nothing was loaded."
            )
    return elements


def _write_weights(model, h5file, objects_to_skip=()):
    for path, obj in saveables(model, objects_to_skip):
        store = {}
        obj.save_own_variables(store)
        group = h5file.create_group(_group_name(path))
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        for key, value in store.items():
            group[key] = np.asarray(value)
    h5file.attrs[DIGEST_ATTRIBUTE] = weights_digest(h5file)


def weights_bytes(model):
    """The model's ``model.weights.h5`` (its variables and its optimizer's), as bytes."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        _write_weights(model, h5file)
    return buffer.getvalue()


def _write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def _metadata():
    return {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }


def model_config_json(model):
    """``config.json``'s text for ``model`` (its serialized config and compile config)."""
    return json.dumps(serialization_lib.serialize_keras_object(model))


def _archive_members(model):
    """The ``(name, bytes)`` members of ``model``'s ``.keras`` archive, in Keras's order."""
    if not getattr(model, "built", True):
        warnings.warn(
            "You are saving a model that has not yet been built. It might not contain any "
            "weights yet. Consider building the model first by calling it on some data.",
            stacklevel=4,
        )
    config = model_config_json(model).encode("utf-8")
    metadata = json.dumps(_metadata()).encode("utf-8")
    weights = weights_bytes(model)
    members = [(METADATA_FILE, metadata), (CONFIG_FILE, config), (WEIGHTS_FILE, weights)]
    return members + assets.collect(saveables(model))


def _write_zip(target, members):
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(name, data)


def save_model(model, filepath, zipped=True):
    """Writes ``model`` (architecture, weights, optimizer state, compile settings and the
    files its layers write with ``save_assets``) as a ``.keras`` archive, or as a folder of
    the same files when ``zipped=False``."""
    members = _archive_members(model)
    if not zipped:
        os.makedirs(filepath, exist_ok=True)
        for name, data in members:
            target = os.path.join(filepath, *name.split("/"))
            durable_files.replace_file(target, lambda tmp, d=data: _write_bytes(tmp, d))
        return
    durable_files.replace_file(filepath, lambda tmp: _write_zip(tmp, members))


def model_to_bytes(model):
    """``model``'s ``.keras`` archive as bytes (what pickling a model carries)."""
    buffer = io.BytesIO()
    _write_zip(buffer, _archive_members(model))
    return buffer.getvalue()


def model_from_bytes(data, safe_mode=False):
    """The model a ``.keras`` archive's bytes hold (``model_to_bytes``'s inverse). As with
    Keras's unpickling, safe mode is off by default: a pickle runs code anyway."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        _write_bytes(path, data)
        return load_model(path, safe_mode=safe_mode)


def save_weights_only(model, filepath, objects_to_skip=()):
    """Writes the model's variables (and its optimizer's) to a ``.weights.h5`` file."""

    def write(tmp):
        with h5py.File(tmp, "w") as h5file:
            _write_weights(model, h5file, objects_to_skip)

    durable_files.replace_file(filepath, write)


# ---- reading archives ------------------------------------------------------------------------


def _check_member(info, filepath, limit):
    size = info.file_size
    if size > limit or (size > BOMB_FLOOR_BYTES and size > MAX_EXPANSION * info.compress_size):
        raise SavedFileError(
            f"{filepath}: the archive member '{info.filename}' declares {size} bytes but stores "
            f"{info.compress_size}; refusing to read a potential decompression bomb."
        )
    if info.compress_size > os.path.getsize(filepath):
        raise SavedFileError(
            f"{filepath}: the archive member '{info.filename}' claims more bytes than the file "
            "holds; the file is truncated or corrupt."
        )


def read_archive(filepath):
    """``(config dict, weights bytes)`` of a ``.keras`` file or of a folder written with
    ``zipped=False``."""
    config, weights, _ = read_archive_with_assets(filepath, with_assets=False)
    return config, weights


def read_archive_with_assets(filepath, with_assets=True):
    """``(config dict, weights bytes, {asset path: bytes})`` of a ``.keras`` file or folder;
    the asset paths are relative to its ``assets/`` folder."""
    if os.path.isdir(filepath):
        try:
            with open(os.path.join(filepath, CONFIG_FILE), "rb") as f:
                config_text = f.read(MAX_CONFIG_BYTES + 1)
            with open(os.path.join(filepath, WEIGHTS_FILE), "rb") as f:
                weights = f.read()
            files = (
                assets.read_folder(os.path.join(filepath, assets.ASSETS_DIR)) if with_assets else {}
            )
        except OSError as error:
            raise SavedFileError(
                f"{filepath}: not a saved model folder (expected {CONFIG_FILE} and "
                f"{WEIGHTS_FILE}): {error}"
            ) from None
        return parse_config(config_text, filepath), weights, files
    if not os.path.exists(filepath):
        raise SavedFileError(
            f"File not found: filepath={filepath}. Please ensure the file is an accessible "
            "`.keras` zip file."
        )
    try:
        with zipfile.ZipFile(filepath) as archive:
            names = set(archive.namelist())
            if CONFIG_FILE not in names:
                raise SavedFileError(
                    f"{filepath}: not a Keras model archive (it has no {CONFIG_FILE})."
                )
            if WEIGHTS_FILE not in names:
                raise SavedFileError(
                    f"{filepath}: the archive has no {WEIGHTS_FILE} (expected a "
                    f"{WEIGHTS_FILE} file)."
                )
            config_info = archive.getinfo(CONFIG_FILE)
            weights_info = archive.getinfo(WEIGHTS_FILE)
            _check_member(config_info, filepath, MAX_CONFIG_BYTES)
            _check_member(weights_info, filepath, MAX_MEMBER_BYTES)
            config_text = archive.read(config_info)
            weights = archive.read(weights_info)
            files = _read_asset_members(archive, filepath) if with_assets else {}
    except SavedFileError:
        raise
    except Exception as error:  # zipfile, zlib and OS errors on damaged files
        raise SavedFileError(
            f"{filepath}: not a readable .keras archive ({type(error).__name__}: {error})."
        ) from None
    return parse_config(config_text, filepath), weights, files


def _read_asset_members(archive, filepath):
    files = {}
    for info in archive.infolist():
        if not info.filename.startswith(assets.ASSETS_DIR + "/") or info.is_dir():
            continue
        relative = assets.safe_member_name(info.filename)
        if relative is None:
            raise SavedFileError(
                f"{filepath}: the archive member '{info.filename}' would be written outside "
                "the assets folder; refusing it."
            )
        _check_member(info, filepath, MAX_MEMBER_BYTES)
        files[relative] = archive.read(info)
    return files


def parse_config(data, filepath):
    """The model config in ``config.json``'s bytes; SavedFileError when it is not one."""
    if len(data) > MAX_CONFIG_BYTES:
        raise SavedFileError(f"{filepath}: {CONFIG_FILE} is larger than 1 GiB; refusing it.")
    try:
        config = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    except (ValueError, RecursionError) as error:
        raise SavedFileError(f"{filepath}: {CONFIG_FILE} is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise SavedFileError(f"{filepath}: {CONFIG_FILE} does not describe a model.")
    return config


def open_weights(data, source):
    """An open ``h5py.File`` over the bytes of a weights file."""
    try:
        return h5py.File(io.BytesIO(data), "r")
    except Exception as error:  # h5py raises OSError and others on bad bytes
        raise SavedFileError(
            f"{source}: the weights are not a readable HDF5 file ({error})."
        ) from None


# ---- reading weights -------------------------------------------------------------------------


def _expected(obj):
    """``{key: (shape, dtype)}`` of the variables ``obj`` stores, in file order (``"0"``,
    ``"1"``, ... for plain layers and optimizers; the keys of its own ``save_own_variables``
    otherwise). A shape of None accepts any shape."""
    variables = obj._variables_in_file_order()
    if variables is None:
        specs = getattr(obj, "_saved_variable_specs", None)
        if specs is not None:  # what it will load, known before its state exists
            return {k: (shape, np.dtype(dtype)) for k, (shape, dtype) in specs().items()}
        store = {}
        obj.save_own_variables(store)
        keys = sorted(store, key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))
        return {k: (tuple(np.shape(store[k])), np.asarray(store[k]).dtype) for k in keys}
    return {str(i): (tuple(v.shape), np.dtype(_numpy_dtype(v))) for i, v in enumerate(variables)}


def _numpy_dtype(variable):
    dtype = str(variable.dtype).replace("torch.", "")
    return "float32" if dtype == "bfloat16" else dtype


def _safe_group(h5file, name):
    """The group at ``name``, refusing links that leave the file."""
    current = h5file
    for part in name.split("/"):
        if part not in current:
            return None
        link = current.get(part, getlink=True)
        if not isinstance(link, h5py.HardLink):
            raise SavedFileError(f"'{name}' is a {type(link).__name__}, which is not allowed.")
        current = current[part]
        if not isinstance(current, h5py.Group):
            raise SavedFileError(f"'{name}' is not a group of variables.")
    return current


def _read_dataset(group, key, shape, dtype, where):
    """The array at ``group[key]``, checked (no links out of the file, numbers, the expected
    shape) before any of its data is read; None when its shape is not ``shape`` (any shape
    passes when ``shape`` is None)."""
    link = group.get(key, getlink=True)
    if not isinstance(link, h5py.HardLink):
        raise SavedFileError(f"'{where}/{key}' is a {type(link).__name__}, which is not allowed.")
    dataset = group[key]
    if not isinstance(dataset, h5py.Dataset):
        raise SavedFileError(f"'{where}/{key}' is not a dataset.")
    if dataset.external or dataset.is_virtual:
        raise SavedFileError(f"'{where}/{key}' points outside the file, which is not allowed.")
    found = tuple(dataset.shape or ())
    if shape is None:
        shape = found
    if found != shape:
        return None, found
    if dataset.dtype.kind not in "biuf":
        raise SavedFileError(f"'{where}/{key}' holds {dataset.dtype}, not numbers.")
    value = np.empty(shape, dtype=dataset.dtype)
    if value.size:
        dataset.read_direct(value)
    return value.astype(dtype, copy=False), shape


class _Failure(Exception):
    def __init__(self, obj, message):
        super().__init__(message)
        self.obj = obj


def _plan(obj, h5file, path):
    """The values to assign to ``obj``'s variables (as the store its ``load_own_variables``
    takes), read from the file and checked; _Failure when they do not fit."""

    expected = _expected(obj)
    name = _group_name(path)
    group = _safe_group(h5file, name)
    keys = list(group.keys()) if group is not None else []
    if sorted(keys) != sorted(expected):
        if obj._saved_kind == "Optimizer":
            return _Failure(
                obj,
                f"Skipping variable loading for optimizer '{obj.name}', because it has "
                f"{len(expected)} variables whereas the saved optimizer has {len(keys)} "
                "variables.",
            )
        if len(keys) != len(expected) and all(k.isdigit() for k in [*keys, *expected]):
            raise _Failure(
                obj,
                f"Layer '{obj.name}' expected {len(expected)} variables, but received "
                f"{len(keys)} variables during loading (group '{name}'). Expected shapes: "
                f"{[shape for shape, _ in expected.values()]}",
            )
        raise _Failure(
            obj,
            f"Layer '{obj.name}' expected the variables {sorted(expected)}, but the file holds "
            f"{sorted(keys)} under '{name}'.",
        )
    store = {}
    for key, (shape, dtype) in expected.items():
        value, found = _read_dataset(group, key, shape, dtype, name)
        if value is None:
            raise _Failure(
                obj,
                f"{_describe(obj)} variable {key} has shape {shape}, but the file holds shape "
                f"{found} under '{name}/{key}'.",
            )
        store[key] = value
    return store


def _describe(obj):
    return f"{obj._saved_kind} '{obj.name}'"


def read_weights(model, h5file, source, skip_mismatch=False, objects_to_skip=()):
    """Reads and checks every variable of ``model`` (and of its optimizer when it has one),
    then assigns them all, or raises SavedFileError having assigned nothing. With
    ``skip_mismatch`` the objects whose variables do not fit keep theirs, with a warning."""
    plans, failures = [], []
    try:
        for path, obj in saveables(model, objects_to_skip):
            try:
                store = _plan(obj, h5file, path)
            except _Failure as failure:
                failures.append(failure)
                continue
            if isinstance(store, _Failure):  # an optimizer of another kind or not built
                warnings.warn(str(store), stacklevel=3)
                continue
            plans.append((obj, store))
    except SavedFileError as error:
        raise SavedFileError(f"{source}: {error}") from None
    except Exception as error:  # h5py's errors on damaged files
        raise SavedFileError(
            f"{source}: the weights file is corrupt ({type(error).__name__}: {error})."
        ) from None
    if failures:
        message = (
            f"{source}: a total of {len(failures)} objects could not be loaded. Example error "
            f"message for object {failures[0].obj!r}:\n\n{failures[0]}\n\nList of objects that "
            f"could not be loaded: {[f.obj for f in failures]}"
        )
        if not skip_mismatch:
            raise SavedFileError(message)
        warnings.warn(message, stacklevel=3)
    for obj, store in plans:
        obj.load_own_variables(store)


# ---- loading ---------------------------------------------------------------------------------


def model_from_config(config, custom_objects, compile, safe_mode, source):
    """Builds (and compiles, when asked and saved so) the model a config describes; every
    failure becomes SavedFileError naming ``source``."""
    config = dict(config)
    if not compile:
        config["compile_config"] = None
    try:
        with (
            object_registration.CustomObjectScope(custom_objects),
            serialization_lib.SafeModeScope(safe_mode),
        ):
            model = serialization_lib.deserialize_keras_object(
                config, custom_objects=custom_objects, safe_mode=safe_mode, kind="model"
            )
    except SavedFileError:
        raise
    except Exception as error:
        raise SavedFileError(
            f"{source}: could not rebuild the model from its config "
            f"({type(error).__name__}: {error})"
        ) from error
    archive = callable(getattr(model, "fit", None)) or getattr(model, "saves_as_archive", False)
    if not archive or not _is_saveable(model):
        raise SavedFileError(
            f"{source}: the config describes a {type(model).__name__}, not a model."
        )
    return model


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a ``.keras`` archive (or a folder written with ``zipped=False``): the model,
    its weights, then the files its layers read with ``load_assets``."""
    config, weights, files = read_archive_with_assets(filepath)
    with open_weights(weights, filepath) as h5file:
        budget = _check_weights_file(h5file, filepath) + _ALLOCATION_SLACK[0]
        with global_state.allocation_budget(budget, "the model's weights file"):
            model = model_from_config(config, custom_objects, compile, safe_mode, filepath)
            _build_optimizer_for(model, h5file)
        read_weights(model, h5file, filepath)
    try:
        assets.load(saveables(model), files)
    except Exception as error:
        raise SavedFileError(
            f"{filepath}: could not load the model's assets ({type(error).__name__}: {error})"
        ) from error
    return model


def _build_optimizer_for(model, h5file):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and not getattr(optimizer, "built", True) and "optimizer" in h5file:
        optimizer.build(model.trainable_variables)


def load_weights_only(model, filepath, skip_mismatch=False, objects_to_skip=()):
    """Loads the weights of a ``.weights.h5`` file or of a ``.keras`` archive into ``model``."""
    if filepath.endswith(".keras"):
        _, data = read_archive(filepath)
    else:
        try:
            with open(filepath, "rb") as f:
                data = f.read()
        except OSError as error:
            raise SavedFileError(f"{filepath}: cannot read the weights file ({error}).") from None
    with open_weights(data, filepath) as h5file:
        _check_weights_file(h5file, filepath)
        _build_optimizer_for(model, h5file)
        read_weights(
            model, h5file, filepath, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip
        )
