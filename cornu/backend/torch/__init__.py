"""The torch backend: everything in cornu that touches torch lives in this package."""

import numpy as _np
import torch as _torch

from cornu.backend.torch import (
    control_flow,
    core,
    distribution,
    export,
    foreach,
    image,
    linalg,
    math,
    nn,
    numpy,
    random,
    rnn,
)
from cornu.backend.torch.core import (
    Variable,
    cast,
    compute_output_spec,
    cond,
    convert_to_numpy,
    convert_to_tensor,
    device_scope,
    get_device,
    is_tensor,
    no_grad,
    shape,
    standardize_tensor_dtype,
    stop_gradient,
    to_torch_dtype,
)
from cornu.backend.torch.gradients import value_and_gradients
from cornu.backend.torch.layer import TorchLayer as BackendLayer
from cornu.backend.torch.trainer import TorchTrainer as BackendTrainer

Tensor = _torch.Tensor


def set_seed(seed):
    """Seeds torch's global generators (CPU and CUDA)."""
    _torch.manual_seed(seed)


def get_rng_state():
    """Torch's global generator state, to restore later with ``set_rng_state``."""
    return _torch.get_rng_state()


def set_rng_state(state):
    """Restores a state from ``get_rng_state`` (a tensor, or its bytes as a uint8 array)."""
    if not isinstance(state, _torch.Tensor):
        state = _torch.from_numpy(_np.asarray(state, dtype=_np.uint8).copy())
    _torch.set_rng_state(state.cpu())


__all__ = [
    "BackendLayer",
    "BackendTrainer",
    "Tensor",
    "Variable",
    "cast",
    "compute_output_spec",
    "cond",
    "control_flow",
    "convert_to_numpy",
    "convert_to_tensor",
    "core",
    "device_scope",
    "distribution",
    "export",
    "foreach",
    "image",
    "get_device",
    "get_rng_state",
    "is_tensor",
    "linalg",
    "math",
    "nn",
    "no_grad",
    "numpy",
    "random",
    "rnn",
    "set_rng_state",
    "set_seed",
    "shape",
    "standardize_tensor_dtype",
    "stop_gradient",
    "value_and_gradients",
    "to_torch_dtype",
]
