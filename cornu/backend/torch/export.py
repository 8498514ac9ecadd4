"""Exporting a model for serving: an ONNX file (torch.onnx) or a torch.export program."""

import os
import tempfile
import warnings

import torch


class _Inference(torch.nn.Module):
    """The model in inference mode, taking its inputs as positional tensors."""

    def __init__(self, model, structured):
        super().__init__()
        self.model = model
        self.structured = structured

    def forward(self, *inputs):
        x = list(inputs) if self.structured else inputs[0]
        return self.model(x, training=False)


def _examples(input_specs):
    return tuple(
        torch.zeros(
            [2 if d is None else d for d in spec.shape],
            dtype=getattr(torch, spec.dtype),
        )
        for spec in input_specs
    )


def _replace(path, write):
    folder = os.path.dirname(os.path.abspath(path)) or "."
    handle, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=folder)
    os.close(handle)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def export_onnx(model, path, input_specs, opset_version=None):
    """Writes ``model`` as an ONNX file whose batch axis is dynamic."""
    try:
        import onnx  # noqa: F401
    except ImportError as error:
        raise ImportError(
            "Exporting to ONNX needs the `onnx` and `onnxscript` packages: "
            'pip install "cornu[onnx]"'
        ) from error
    module = _Inference(model, len(input_specs) > 1).eval()
    examples = _examples(input_specs)
    names = [f"input_{i}" for i in range(len(examples))]
    batch = torch.export.Dim("batch")
    shapes = tuple({0: batch} if spec.shape[0] is None else {} for spec in input_specs)

    def write(tmp):
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            program = torch.onnx.export(
                module,
                examples,
                dynamo=True,
                input_names=names,
                dynamic_shapes=(shapes,),
                opset_version=opset_version,
                external_data=False,
            )
            program.save(tmp)

    _replace(path, write)


def export_program(model, path, input_specs):
    """Writes ``model`` as a ``torch.export`` program (``torch.export.load`` reads it)."""
    module = _Inference(model, len(input_specs) > 1).eval()
    examples = _examples(input_specs)
    batch = torch.export.Dim("batch")
    shapes = tuple({0: batch} if spec.shape[0] is None else {} for spec in input_specs)
    with torch.no_grad():
        program = torch.export.export(module, examples, dynamic_shapes=(shapes,))
    _replace(path, lambda tmp: torch.export.save(program, tmp))
