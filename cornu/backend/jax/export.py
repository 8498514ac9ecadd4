"""Exporting a model as ONNX or as a ``torch.export`` program needs torch: on the JAX backend
both raise, naming the backend that has them."""


def _refuse(kind):
    return NotImplementedError(
        f"Exporting a model as {kind} is not available on the JAX backend. Export with the "
        "torch backend (CORNU_BACKEND=torch), which writes ONNX files and torch.export programs."
    )


def export_onnx(model, path, specs, opset_version=None):
    """Raises: ONNX export needs the torch backend."""
    raise _refuse("an ONNX file")


def export_program(model, path, specs):
    """Raises: program export needs the torch backend."""
    raise _refuse("a torch.export program")
