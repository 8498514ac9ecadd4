"""Exporting a model for serving: ONNX files (run by onnxruntime and other ONNX runtimes),
``torch.export`` programs (``.pt2``) and, on the TensorFlow backend, TensorFlow SavedModels
(Keras's default format), through ``model.export(filepath, format=...)``.

The files hold the model's inference computation only (``call`` with ``training=False``); the
batch axis stays dynamic. Exporting to ONNX needs the ``onnx`` and ``onnxscript`` packages
(``pip install "cornu[onnx]"``).
"""

from cornu.export.export_lib import (
    export_model,
    export_onnx,
    export_saved_model,
    export_torch,
    input_signature_of,
)

__all__ = [
    "export_model",
    "export_onnx",
    "export_saved_model",
    "export_torch",
    "input_signature_of",
]
