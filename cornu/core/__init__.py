"""The framework-free floor below everything: settings, dtypes and promotion, the symbolic
tensor, nested structures, unique names, process-wide counters and the Variable base.

Nothing here imports an engine; ``cornu.backend`` and every package above it build on it.
"""

from cornu.core import config, tree
from cornu.core.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from cornu.core.dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype
from cornu.core.keras_tensor import KerasTensor, any_symbolic, is_keras_tensor
from cornu.core.naming import auto_name, reset_names, to_snake_case, uniquify

__all__ = [
    "KerasTensor",
    "any_symbolic",
    "auto_name",
    "backend",
    "config",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "reset_names",
    "result_type",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
    "standardize_dtype",
    "to_snake_case",
    "tree",
    "uniquify",
]
