"""Exporting a model with torch: ONNX files (``torch.onnx``, the dynamo exporter) and
``torch.export`` programs. The specs say each input's shape (None: dynamic), dtype and name."""

import warnings

import torch

from cornu.backend.torch.core import get_device, to_torch_dtype


class _Inference(torch.nn.Module):
    """The model in inference mode, taking its inputs as positional tensors."""

    def __init__(self, model, structured):
        super().__init__()
        self.model = model
        self.structured = structured

    def forward(self, *inputs):
        x = list(inputs) if self.structured else inputs[0]
        return self.model(x, training=False)


def _examples(specs, device):
    # Dynamic sizes get 2 (torch.export specializes sizes of 1 to constants).
    return tuple(
        torch.zeros(
            [2 if d is None else d for d in spec.shape],
            dtype=to_torch_dtype(spec.dtype),
            device=device,
        )
        for spec in specs
    )


def _device_of(module):
    """Where the model's weights live (the examples must be there too)."""
    for parameter in module.parameters():
        return parameter.device
    return torch.device(get_device())


def _dynamic_shapes(specs):
    batch = torch.export.Dim("batch")
    shapes = []
    for i, spec in enumerate(specs):
        dims = {}
        for axis, size in enumerate(spec.shape):
            if size is None:
                dims[axis] = batch if axis == 0 else torch.export.Dim(f"dim_{i}_{axis}")
        shapes.append(dims)
    return (tuple(shapes),)


def _module(model, specs):
    return _Inference(model, len(specs) > 1).eval()


def export_onnx(model, path, specs, opset_version=None):
    """Writes ``model`` as a self-contained ONNX file (weights inside) with dynamic axes
    where the specs have None."""
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as error:
        raise ImportError(
            "Exporting to ONNX needs the `onnx` and `onnxscript` packages: "
            'pip install "cornu[onnx]"'
        ) from error
    program = _program(model, specs)

    def write(tmp):
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            onnx_program = torch.onnx.export(
                program,
                dynamo=True,
                input_names=[spec.name for spec in specs],
                opset_version=opset_version,
                external_data=False,
                verbose=False,
            )
            onnx_program.save(tmp)

    write(path)


def _program(model, specs):
    """The model as a ``torch.export`` program with dynamic axes (an error, not a silently
    static program, when some operation fixes a dynamic size)."""
    module = _module(model, specs)
    with torch.no_grad():
        try:
            return torch.export.export(
                module,
                _examples(specs, _device_of(module)),
                dynamic_shapes=_dynamic_shapes(specs),
                strict=False,
            )
        except Exception as error:
            raise RuntimeError(
                "Failed to export the model with a dynamic batch size. Common causes: "
                "unsupported operations, data-dependent control flow, or shape constraints "
                f"not satisfied. Original error: {type(error).__name__}: {error}"
            ) from error


def export_program(model, path, specs):
    """Writes ``model`` as a ``torch.export`` program (``torch.export.load`` reads it)."""
    program = _program(model, specs)
    torch.export.save(program, path)
