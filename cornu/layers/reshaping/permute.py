"""Permute: reorders the non-batch axes."""

from cornu import ops
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer


class Permute(Layer):
    """Permutes the axes of the input (the batch axis stays first).

    Args:
        dims: the new order of the non-batch axes, numbered from 1: ``(2, 1)`` swaps the two
            axes of a ``(batch, a, b)`` input.

    Output shape: ``(batch,) + tuple(input_shape[d] for d in dims)``.
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
