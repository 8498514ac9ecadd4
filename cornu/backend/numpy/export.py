"""Exporting needs a tracing engine: the NumPy backend has none, so both exports raise."""


def _refuse(kind):
    return NotImplementedError(
        f"Exporting a model as {kind} is not available on the NumPy backend, which has no "
        "tracing engine. Export with the torch backend (CORNU_BACKEND=torch), which writes "
        "ONNX files and torch.export programs."
    )


def export_onnx(model, path, specs, opset_version=None):
    """Raises: ONNX export needs the torch backend."""
    raise _refuse("an ONNX file")


def export_program(model, path, specs):
    """Raises: program export needs the torch backend."""
    raise _refuse("a torch.export program")
