"""Mixed precision, as ``keras.mixed_precision`` (Keras 2's names, kept by Keras 3):
``set_global_policy("mixed_float16")``, ``global_policy()``, ``DTypePolicy`` (also ``Policy``)
and ``LossScaleOptimizer``."""

from cornu.config.dtype_policy import dtype_policy, set_dtype_policy
from cornu.core.dtype_policies import DTypePolicy
from cornu.optimizers.loss_scale_optimizer import LossScaleOptimizer

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
