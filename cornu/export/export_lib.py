"""``model.export``: the input signature, the checks, and the hand-off to the backend."""

import contextlib
import os
import shutil
import tempfile

from cornu import backend, core
from cornu.core import KerasTensor
from cornu.utils import durable_files

FORMATS = ("onnx", "torch", "tf_saved_model")
_KERAS_ONLY_FORMATS = ("openvino", "litert")


class _Spec:
    """A model input for export: its shape (None for dynamic sizes), dtype and name."""

    def __init__(self, shape, dtype, name):
        self.shape = tuple(shape)
        self.dtype = core.standardize_dtype(dtype or core.floatx())
        self.name = name

    def __repr__(self):
        return f"<input {self.name!r} shape={self.shape} dtype={self.dtype}>"


def _as_spec(value, index):
    shape = getattr(value, "shape", None)
    if shape is None:
        raise ValueError(
            "Each entry of `input_signature` needs a shape: pass `cornu.layers.InputSpec`, "
            f"`cornu.KerasTensor` objects or arrays. Received: {value!r}"
        )
    dtype = getattr(value, "dtype", None)
    if dtype is not None and not isinstance(dtype, str):
        dtype = core.standardize_dtype(dtype)
    name = getattr(value, "name", None)
    if not isinstance(name, str) or not name:
        name = f"input_{index}"
    if not isinstance(value, KerasTensor) and type(value).__name__ != "InputSpec":
        shape = (None,) + tuple(shape)[1:]  # a concrete tensor: its batch axis stays dynamic
    return _Spec(tuple(None if d is None else int(d) for d in shape), dtype, name)


def input_signature_of(model, input_signature=None):
    """The flat list of the model's input specs for export (from ``input_signature`` when
    given, else from the model's symbolic inputs)."""
    if input_signature is None:
        if not getattr(model, "built", False):
            raise ValueError(
                f"Model '{model.name}' has not yet been built. It must be built before export."
            )
        inputs = getattr(model, "inputs", None)
        if not inputs:
            raise ValueError(
                f"Model '{model.name}' has no known inputs to export: build it from "
                "`cornu.Input` tensors, or pass `input_signature=[cornu.layers.InputSpec(shape="
                "(None, 784))]`."
            )
        signature = list(inputs)
    else:
        signature = list(core.tree.flatten(input_signature))
    specs = [_as_spec(value, i) for i, value in enumerate(signature)]
    names = [spec.name for spec in specs]
    for i, spec in enumerate(specs):
        if names.count(spec.name) > 1:
            spec.name = f"input_{i}"
    return specs


def export_onnx(model, filepath, verbose=None, input_signature=None, opset_version=None):
    """Writes ``model`` as an ONNX file whose batch axis (and any other None-sized axis) is
    dynamic. The ONNX inputs are named after the model's inputs (``input_0``, ... when they
    have no name)."""
    specs = input_signature_of(model, input_signature)
    durable_files.replace_file(
        str(filepath),
        lambda tmp: backend.export.export_onnx(model, tmp, specs, opset_version=opset_version),
    )
    if verbose is None or verbose:
        print(f"Saved artifact at '{filepath}'.")


def export_torch(model, filepath, verbose=None, input_signature=None):
    """Writes ``model`` as a ``torch.export`` program (``torch.export.load(filepath)``
    reads it; ``.module()`` runs it) whose batch axis is dynamic."""
    filepath = str(filepath)
    if not filepath.endswith(".pt2"):
        raise ValueError(
            f"The PyTorch export requires the filepath to end with '.pt2'. Got: {filepath}"
        )
    specs = input_signature_of(model, input_signature)
    durable_files.replace_file(
        filepath, lambda tmp: backend.export.export_program(model, tmp, specs)
    )
    if verbose is None or verbose:
        print(f"Saved PyTorch ExportedProgram at '{filepath}'.")


def _replace_directory(path, write):
    """Calls ``write(temporary folder)`` to fill a new folder beside ``path``, then puts it
    in ``path``'s place (an old folder there is removed only once the new one is whole). If
    anything fails, the old folder stays as it was and the temporary one is removed."""
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    base = os.path.basename(path)
    temporary = tempfile.mkdtemp(prefix=f".{base}.", suffix=".tmp", dir=parent)
    old = None
    try:
        write(temporary)
        if os.path.lexists(path):
            if not os.path.isdir(path):
                raise ValueError(
                    f"A SavedModel is a folder, but {path!r} is a file. Choose another path."
                )
            old = tempfile.mkdtemp(prefix=f".{base}.", suffix=".old", dir=parent)
            os.replace(path, os.path.join(old, base))
        os.replace(temporary, path)
        durable_files.commit(path, path)  # makes the rename durable (fsync of the folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        if old is not None and not os.path.exists(path):
            with contextlib.suppress(OSError):
                os.replace(os.path.join(old, base), path)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def export_saved_model(model, filepath, verbose=None, input_signature=None):
    """Writes ``model`` as a TensorFlow SavedModel folder, as Keras's ``ExportArchive`` does:
    ``tf.saved_model.load(filepath).serve(x)`` gives the model's predictions (also the
    ``serving_default`` signature). Needs the TensorFlow backend."""
    writer = getattr(backend.export, "export_saved_model", None)
    if writer is None:
        raise ValueError(
            f"format='tf_saved_model' needs TensorFlow: the TensorFlow backend writes it, and "
            f"cornu runs on {core.config.backend()!r}. Export with CORNU_BACKEND=tensorflow "
            '(pip install "cornu[tensorflow]"), or choose format="onnx" or format="torch" here.'
        )
    specs = input_signature_of(model, input_signature)
    _replace_directory(str(filepath), lambda tmp: writer(model, tmp, specs))
    if verbose is None or verbose:
        print(f"Saved artifact at '{filepath}'. The endpoint `serve` runs the model.")


def export_model(model, filepath, format="onnx", verbose=None, input_signature=None, **kwargs):
    """``model.export``: dispatches on ``format`` (``"onnx"``, ``"torch"`` or
    ``"tf_saved_model"``)."""
    if format == "onnx":
        opset_version = kwargs.pop("opset_version", None)
        if kwargs:
            raise ValueError(f"Unsupported arguments for `format='onnx'`: {sorted(kwargs)}.")
        export_onnx(model, filepath, verbose, input_signature, opset_version)
    elif format == "torch":
        if kwargs:
            raise ValueError(f"Unsupported arguments for `format='torch'`: {sorted(kwargs)}.")
        export_torch(model, filepath, verbose, input_signature)
    elif format == "tf_saved_model":
        if kwargs:
            raise ValueError(
                f"Unsupported arguments for `format='tf_saved_model'`: {sorted(kwargs)}."
            )
        export_saved_model(model, filepath, verbose, input_signature)
    elif format in _KERAS_ONLY_FORMATS:
        raise ValueError(
            f"format={format!r} needs OpenVINO/LiteRT and is not available in cornu. "
            f"Supported formats are: {list(FORMATS)}."
        )
    else:
        raise ValueError(f"Unrecognized format={format}. Supported formats are: {list(FORMATS)}.")
