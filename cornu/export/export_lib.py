"""``model.export``: the input signature, the checks, and the hand-off to the backend."""

from cornu import backend, core
from cornu.core import KerasTensor
from cornu.utils import durable_files

FORMATS = ("onnx", "torch")
_KERAS_ONLY_FORMATS = ("tf_saved_model", "openvino", "litert")


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


def export_model(model, filepath, format="onnx", verbose=None, input_signature=None, **kwargs):
    """``model.export``: dispatches on ``format`` (``"onnx"`` or ``"torch"``)."""
    if format == "onnx":
        opset_version = kwargs.pop("opset_version", None)
        if kwargs:
            raise ValueError(f"Unsupported arguments for `format='onnx'`: {sorted(kwargs)}.")
        export_onnx(model, filepath, verbose, input_signature, opset_version)
    elif format == "torch":
        if kwargs:
            raise ValueError(f"Unsupported arguments for `format='torch'`: {sorted(kwargs)}.")
        export_torch(model, filepath, verbose, input_signature)
    elif format in _KERAS_ONLY_FORMATS:
        raise ValueError(
            f"format={format!r} needs TensorFlow (or OpenVINO/LiteRT) and is not available in "
            f"cornu. Supported formats are: {list(FORMATS)}."
        )
    else:
        raise ValueError(f"Unrecognized format={format}. Supported formats are: {list(FORMATS)}.")
