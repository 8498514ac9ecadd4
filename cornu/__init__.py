"""cornu: the Keras 3 API on PyTorch. ``import cornu as keras``."""

from cornu import (
    activations,
    backend,
    callbacks,
    constraints,
    distribution,
    export,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    random,
    regularizers,
    saving,
    tuner,
    utils,
    wrappers,
)
from cornu.backend import Variable
from cornu.core import KerasTensor
from cornu.layers import Input, Layer
from cornu.losses import Loss
from cornu.metrics import Metric
from cornu.models import Model, Sequential
from cornu.optimizers import Optimizer

__version__ = "0.1.0"

__all__ = [
    "Input",
    "KerasTensor",
    "Layer",
    "Loss",
    "Metric",
    "Model",
    "Optimizer",
    "Sequential",
    "Variable",
    "activations",
    "backend",
    "callbacks",
    "constraints",
    "distribution",
    "export",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "ops",
    "optimizers",
    "random",
    "regularizers",
    "saving",
    "tuner",
    "utils",
    "wrappers",
]
