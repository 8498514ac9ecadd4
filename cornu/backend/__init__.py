"""The backend boundary: picks the backend (``CORNU_BACKEND``, else ``~/.cornu/cornu.json``,
else ``"torch"``) and re-exports its core names. Nothing outside ``cornu/backend/`` imports a
framework directly.
"""

from cornu.backend import config
from cornu.backend.common import tree
from cornu.backend.common.dtypes import is_float_dtype, is_int_dtype, standardize_dtype
from cornu.backend.common.keras_tensor import KerasTensor, any_symbolic, is_keras_tensor
from cornu.backend.common.naming import auto_name, reset_names, to_snake_case, uniquify
from cornu.backend.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)

if config.backend() == "torch":
    from cornu.backend.torch import (
        BackendLayer,
        Tensor,
        Variable,
        cast,
        compute_output_spec,
        cond,
        convert_to_numpy,
        convert_to_tensor,
        core,
        device_scope,
        foreach,
        get_device,
        get_rng_state,
        is_tensor,
        math,
        nn,
        no_grad,
        numpy,
        random,
        set_rng_state,
        set_seed,
        shape,
        standardize_tensor_dtype,
        stop_gradient,
    )
    from cornu.backend.torch.trainer import TorchTrainer as BackendTrainer

__all__ = [
    "BackendLayer",
    "BackendTrainer",
    "KerasTensor",
    "Tensor",
    "Variable",
    "any_symbolic",
    "auto_name",
    "backend",
    "cast",
    "compute_output_spec",
    "cond",
    "config",
    "convert_to_numpy",
    "convert_to_tensor",
    "core",
    "device_scope",
    "epsilon",
    "floatx",
    "foreach",
    "get_device",
    "get_rng_state",
    "image_data_format",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "is_tensor",
    "math",
    "nn",
    "no_grad",
    "numpy",
    "random",
    "reset_names",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_rng_state",
    "set_seed",
    "shape",
    "standardize_data_format",
    "standardize_dtype",
    "standardize_tensor_dtype",
    "stop_gradient",
    "to_snake_case",
    "tree",
    "uniquify",
]
