"""cornu: the Keras 3 API on PyTorch. ``import cornu as keras``."""

from cornu import (
    activations,
    backend,
    callbacks,
    constraints,
    datasets,
    distribution,
    export,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    preprocessing,
    random,
    regularizers,
    saving,
    utils,
)
from cornu.backend import KerasTensor, Variable
from cornu.layers import Input, Layer
from cornu.layers.preprocessing import feature_space as _feature_space
from cornu.losses import Loss
from cornu.metrics import Metric
from cornu.models import Model, Sequential
from cornu.optimizers import Optimizer

__version__ = "0.1.0"

# FeatureSpace is a layer, which Keras exports as keras.utils.FeatureSpace and which saves
# itself as a .keras file: utils sits below the layers and saving above them, so the package
# root, which sees every floor, puts it in place.
utils.FeatureSpace = _feature_space.FeatureSpace
utils.__all__.append("FeatureSpace")
_feature_space.set_archive_writer(saving.save_model)

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
    "datasets",
    "distribution",
    "export",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "ops",
    "optimizers",
    "preprocessing",
    "random",
    "regularizers",
    "saving",
    "utils",
]
