"""The TensorFlow backend: every name of ``cornu/backend/contract.py`` on ``tf.Tensor`` values,
with a training step compiled by ``tf.function`` (XLA with ``jit_compile``). TensorFlow keeps
the 64-bit dtypes, as torch does."""

import tensorflow as tf

from cornu.backend.tensorflow import (
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
from cornu.backend.tensorflow.core import (
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
from cornu.backend.tensorflow.gradients import value_and_gradients
from cornu.backend.tensorflow.layer import TensorflowLayer as BackendLayer
from cornu.backend.tensorflow.random import get_rng_state, set_rng_state, set_seed
from cornu.backend.tensorflow.trainer import TensorflowTrainer as BackendTrainer

Tensor = tf.Tensor

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
