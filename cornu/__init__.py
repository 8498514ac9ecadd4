"""cornu: the Keras 3 API on PyTorch. ``import cornu as keras``."""

from cornu import (
    activations,
    backend,
    initializers,
    layers,
    ops,
    random,
    saving,
)
from cornu.backend import KerasTensor, Variable
from cornu.layers import Input, Layer

__version__ = "0.1.0"

__all__ = [
    "Input",
    "KerasTensor",
    "Layer",
    "Variable",
    "activations",
    "backend",
    "initializers",
    "layers",
    "ops",
    "random",
    "saving",
]
