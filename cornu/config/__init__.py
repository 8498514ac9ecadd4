"""Global configuration, as ``keras.config``: the backend, floatx, epsilon, image data format,
the dtype policy, logging, flash attention, traceback filtering, unsafe deserialization and
the debugging caps on epochs and steps."""

from cornu.backend import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from cornu.config.backend_switch import set_backend
from cornu.config.dtype_policy import dtype_policy, set_dtype_policy
from cornu.config.flags import (
    disable_flash_attention,
    disable_traceback_filtering,
    enable_flash_attention,
    enable_traceback_filtering,
    is_flash_attention_enabled,
    is_nnx_enabled,
    is_traceback_filtering_enabled,
)
from cornu.config.training_limits import (
    max_epochs,
    max_steps_per_epoch,
    set_max_epochs,
    set_max_steps_per_epoch,
)
from cornu.saving.safe_mode import enable_unsafe_deserialization
from cornu.utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)

__all__ = [
    "backend",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]
