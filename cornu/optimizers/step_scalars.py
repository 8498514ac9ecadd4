"""The per-step scalars of an update (bias corrections, schedules' factors) in the weights'
precision: NumPy scalars when the iteration and learning rate are host numbers (eager
training: the same rounding as Keras, no device work), backend tensors when they are tensors
(a step traced by ``jax.jit``, where they are not known until it runs)."""

import numpy as np

from cornu import ops

_HOST_NUMBERS = (int, float, np.generic)


def is_host_number(value):
    """True for a Python or NumPy number (not a tensor)."""
    return isinstance(value, _HOST_NUMBERS) and not isinstance(value, bool)


class StepScalars:
    """Casts and arithmetic for an update's scalars, in the precision of the weights.

    Args:
        dtype: the weights' dtype (float64 weights compute in float64, others in float32).
        *values: the step's inputs (learning rate, step number); if any is a tensor, every
            scalar becomes a tensor, else every scalar is a NumPy scalar.
    """

    def __init__(self, dtype, *values):
        self.dtype = "float64" if "float64" in str(dtype) else "float32"
        self.traced = not all(is_host_number(v) for v in values)
        self._host = np.float64 if self.dtype == "float64" else np.float32

    def __call__(self, value):
        """`value` as a scalar of this precision."""
        if self.traced:
            return ops.cast(value, self.dtype)
        return self._host(value)

    def sqrt(self, value):
        """The square root of a scalar."""
        return ops.sqrt(value) if self.traced else np.sqrt(value)

    def minimum(self, a, b):
        """The smaller of two scalars."""
        return ops.minimum(a, b) if self.traced else np.minimum(a, b)

    def out(self, value):
        """What the multi-tensor ops take: a Python float, or the tensor when traced."""
        return value if self.traced else float(value)
