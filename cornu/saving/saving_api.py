"""The public saving functions: ``save_model`` / ``load_model`` (``.keras`` archives, legacy
``.h5`` files) and ``save_weights`` / ``load_weights`` (``.weights.h5`` files), with Keras's
checks of arguments and file names."""

import os

from cornu.saving import saving_lib, serialization_lib
from cornu.saving.saving_lib import SavedFileError


def _path(filepath):
    if hasattr(filepath, "__fspath__"):
        return os.fspath(filepath)
    if not isinstance(filepath, str):
        raise TypeError(f"`filepath` must be a string or a path. Received: filepath={filepath!r}")
    return filepath


def _refuse_overwrite(filepath, overwrite):
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(
            f"{filepath} already exists and `overwrite=False` was passed; nothing was written."
        )


def _on_chief(write):
    from cornu.distribution import distribution_lib

    return distribution_lib.on_chief_then_wait(write)


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model (architecture, weights, optimizer state, compile settings) as a
    ``.keras`` file that Keras 3 loads too.

    ```python
    model.save("model.keras")
    restored = cornu.saving.load_model("model.keras")
    ```

    Args:
        model: the model to save.
        filepath: a path ending in ``.keras`` (or, with ``zipped=False``, a folder that does
            not end in ``.keras``, which receives the archive's three files).
        overwrite: False refuses to replace an existing file (FileExistsError; Keras asks on
            the console instead).
        zipped: save a zip archive (the default) or a folder.

    The write is atomic: a temporary file in the same folder is renamed into place, so an
    interrupted save leaves the previous file whole. Under data parallelism only process 0
    writes and the others wait for it.
    """
    kwargs.pop("include_optimizer", None)
    save_format = kwargs.pop("save_format", None)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    filepath = _path(filepath)
    if save_format and not filepath.endswith((".keras", ".h5", ".hdf5")):
        raise ValueError(
            "The `save_format` argument is deprecated in Keras 3. Please remove this argument "
            "and pass a file path with a `.keras` extension. "
            f"Received: save_format={save_format}"
        )
    if zipped is None:
        zipped = True
    if not zipped:
        if filepath.endswith(".keras"):
            raise ValueError(
                "When using `zipped=False`, the `filepath` argument should not end in `.keras`. "
                f"Received: filepath={filepath}"
            )
    elif not filepath.endswith(".keras"):
        if filepath.endswith((".h5", ".hdf5")):
            raise ValueError(
                "Saving to the legacy `.h5` format is not supported by cornu (it reads such "
                "files). Please use a `.keras` extension for the native Keras format. "
                f"Received: filepath={filepath}."
            )
        raise ValueError(
            "Invalid filepath extension for saving. Please add a `.keras` extension for the "
            "native Keras format. Use `model.export(filepath)` if you want to export the model "
            f"for serving (ONNX, torch.export). Received: filepath={filepath}."
        )
    _refuse_overwrite(filepath, overwrite)
    _on_chief(lambda: saving_lib.save_model(model, filepath, zipped=zipped))


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with ``model.save()`` (by cornu or by Keras 3), or a Keras 2
    whole-model ``.h5`` file.

    Args:
        filepath: a ``.keras`` file, a folder written with ``zipped=False``, or a legacy
            ``.h5`` file.
        custom_objects: a dict mapping names to your own classes and functions (those not
            registered with ``register_keras_serializable``).
        compile: compile the model as it was saved, with its optimizer's state.
        safe_mode: refuse Python lambdas stored in the file (their bytecode would run). Turn
            it off only for files you trust.

    Returns:
        The model; compiled when it was saved compiled and ``compile`` is True.

    Raises:
        SavedFileError: (a ValueError) the file is missing, truncated, corrupt or foreign,
            names a class that is neither cornu's nor registered, holds a lambda under
            ``safe_mode``, or holds weights that do not fit.
        ValueError: the path has an extension cornu does not read.
    """
    filepath = _path(filepath)
    if serialization_lib.in_safe_mode() is False:  # enable_unsafe_deserialization()
        safe_mode = False
    if os.path.isdir(filepath) and os.path.exists(os.path.join(filepath, "config.json")):
        return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
    if filepath.endswith(".keras"):
        return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
    if filepath.endswith((".h5", ".hdf5")):
        from cornu.saving import legacy_h5

        return legacy_h5.load_model_from_hdf5(filepath, custom_objects, compile, safe_mode)
    raise ValueError(
        f"File format not supported: filepath={filepath}. cornu, like Keras 3, loads `.keras` "
        "files (or folders saved with `zipped=False`) and legacy H5 format files (`.h5` "
        "extension)."
    )


def save_weights(
    model, filepath, overwrite=True, max_shard_size=None, objects_to_skip=None, **kwargs
):
    """Saves the model's weights (and its optimizer's variables) to a ``.weights.h5`` file, in
    Keras 3's layout. The write is atomic.

    Args:
        model: a built model.
        filepath: a path ending in ``.weights.h5``.
        overwrite: False refuses to replace an existing file (FileExistsError).
        objects_to_skip: layers (or the optimizer) whose variables are left out.
    """
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    filepath = _path(filepath)
    if max_shard_size is not None:
        raise ValueError("Sharded weights files (`max_shard_size`) are not supported by cornu.")
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath}")
    if not getattr(model, "built", True):
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first "
            "by calling it on some data or by using `build()`."
        )
    _refuse_overwrite(filepath, overwrite)
    _on_chief(lambda: saving_lib.save_weights_only(model, filepath, objects_to_skip or ()))


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights into a built model from a ``.weights.h5`` file, a ``.keras`` archive or
    a legacy ``.h5`` weights file.

    Args:
        model: a built model with the architecture the weights were saved from.
        filepath: the file.
        skip_mismatch: leave the layers whose saved weights do not fit as they are (with a
            warning) instead of raising.
        by_name: for legacy ``.h5`` files only, match layers by name instead of by order.
        objects_to_skip: for ``.weights.h5`` files, layers (or the optimizer) to leave as
            they are.

    Raises:
        SavedFileError: the file is missing, corrupt or does not fit the model; no weight has
            been changed.
    """
    by_name = kwargs.pop("by_name", None)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    filepath = _path(filepath)
    if not getattr(model, "built", True):
        raise ValueError(
            "You are loading weights into a model that has not yet been built. Try building "
            "the model first by calling it on some data or by using `build()`."
        )
    if filepath.endswith((".keras", ".weights.h5")):
        if by_name is not None:
            raise ValueError(
                f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: "
                f"{filepath}"
            )
        if objects_to_skip is not None and filepath.endswith(".keras"):
            raise ValueError(
                f"`objects_to_skip` only supports loading '.weights.h5' files. Received: {filepath}"
            )
        if not os.path.isfile(filepath):
            raise SavedFileError(f"File not found: filepath={filepath}.")
        saving_lib.load_weights_only(
            model, filepath, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip or ()
        )
        return
    if filepath.endswith((".h5", ".hdf5")):
        from cornu.saving import legacy_h5

        if objects_to_skip is not None:
            raise ValueError(
                f"`objects_to_skip` only supports loading '.weights.h5' files. Received: {filepath}"
            )
        legacy_h5.load_weights_from_hdf5(model, filepath, skip_mismatch, by_name=bool(by_name))
        return
    raise ValueError(
        f"File format not supported: filepath={filepath}. cornu, like Keras 3, loads `.keras` "
        "files, `.weights.h5` files and legacy H5 format files (`.h5` extension)."
    )
