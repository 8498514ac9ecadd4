"""cornu: the Keras 3 API on PyTorch. ``import cornu as keras``."""

from cornu import (
    activations,
    applications,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    distribution,
    dtype_policies,
    explain,
    export,
    initializers,
    layers,
    legacy,
    losses,
    metrics,
    mixed_precision,
    models,
    ops,
    optimizers,
    preprocessing,
    quantizers,
    random,
    regularizers,
    saving,
    tree,
    tuner,
    utils,
    visualization,
    wrappers,
)
from cornu.backend import Variable
from cornu.core import KerasTensor
from cornu.dtype_policies import DTypePolicy, FloatDTypePolicy
from cornu.initializers import Initializer
from cornu.layers import Input, InputSpec, Layer
from cornu.layers.operation_base import Operation
from cornu.layers.preprocessing import feature_space as _feature_space
from cornu.losses import Loss
from cornu.metrics import Metric
from cornu.models import Model, Sequential
from cornu.models.function import Function
from cornu.optimizers import Optimizer
from cornu.quantizers import Quantizer
from cornu.regularizers import Regularizer
from cornu.utils.name_scope import name_scope
from cornu.utils.naming_utils import get_uid
from cornu.utils.remat_scope import RematScope

__version__ = "0.1.0"

# keras.backend.clear_session / get_uid: they reset state above the backend (names, session
# settings, safe mode), so they live in cornu.utils and are bound here, on the top floor.
backend.clear_session = utils.clear_session
backend.get_uid = get_uid

StatelessScope = backend.core.StatelessScope
remat = ops.remat
SymbolicScope = backend.core.SymbolicScope
device = backend.device_scope


def version():
    """cornu's version, as a string."""
    return __version__


# FeatureSpace is a layer, which Keras exports as keras.utils.FeatureSpace and which saves
# itself as a .keras file: utils sits below the layers and saving above them, so the package
# root, which sees every floor, puts it in place.
utils.FeatureSpace = _feature_space.FeatureSpace
utils.__all__.append("FeatureSpace")
_feature_space.set_archive_writer(saving.save_model)

__all__ = [
    "DTypePolicy",
    "FloatDTypePolicy",
    "Function",
    "Initializer",
    "Input",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "Loss",
    "Metric",
    "Model",
    "Operation",
    "Optimizer",
    "Quantizer",
    "Regularizer",
    "RematScope",
    "Sequential",
    "StatelessScope",
    "SymbolicScope",
    "Variable",
    "activations",
    "applications",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "datasets",
    "device",
    "distribution",
    "dtype_policies",
    "explain",
    "export",
    "initializers",
    "layers",
    "legacy",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "ops",
    "optimizers",
    "preprocessing",
    "quantizers",
    "random",
    "regularizers",
    "saving",
    "tree",
    "tuner",
    "utils",
    "name_scope",
    "remat",
    "version",
    "visualization",
    "wrappers",
]
