"""Host (NumPy) arithmetic in a weight's own float dtype, for the ``to_numpy`` quantizer paths.

Keras computes those paths with NumPy on arrays of the weight's dtype, so a bfloat16 weight
is quantized with bfloat16 arithmetic (each operation rounded to bfloat16). cornu reads
bfloat16 arrays as float32; ``Host`` rounds each result back to bfloat16 (nearest, ties to
even) to give the same numbers without a bfloat16 NumPy type.
"""

import numpy as np


def round_to_bfloat16(values):
    """float32 ``values`` rounded to the nearest bfloat16 (ties to even), as float32."""
    values = np.asarray(values, dtype=np.float32)
    bits = values.view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    out = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(values), values, out)


class Host:
    """Rounds NumPy results to ``dtype`` when that is bfloat16 (other dtypes NumPy holds)."""

    def __init__(self, dtype):
        self.bfloat16 = dtype == "bfloat16"

    def __call__(self, values):
        """``values`` as the weight's dtype would hold them."""
        return round_to_bfloat16(values) if self.bfloat16 else values
