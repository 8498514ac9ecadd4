"""The JAX backend: every name of ``cornu/backend/contract.py`` on ``jax.Array`` tensors, with a
stateless training step compiled by ``jax.jit``. jax's 64-bit mode stays off, as in Keras."""

import jax

from cornu.backend.jax import (
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
from cornu.backend.jax.core import (
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
)
from cornu.backend.jax.gradients import value_and_gradients
from cornu.backend.jax.layer import JaxLayer as BackendLayer
from cornu.backend.jax.random import get_rng_state, set_rng_state, set_seed
from cornu.backend.jax.trainer import JaxTrainer as BackendTrainer

Tensor = jax.Array

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
    "get_device",
    "get_rng_state",
    "image",
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
]
