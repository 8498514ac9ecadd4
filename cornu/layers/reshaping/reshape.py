"""Reshape: gives the input a new shape (the batch axis stays)."""

import math

from cornu import ops
from cornu.layers.layer import Layer


class Reshape(Layer):
    """Reshapes the input to ``(batch_size,) + target_shape``.

    Args:
        target_shape: the new shape without the batch axis; one size may be -1, inferred
            from the others.

    Input shape: ``(batch_size, ...)``. Output shape: ``(batch_size,) + target_shape``.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if target_shape.count(-1) > 1 or any(
            not isinstance(d, int) or (d < 1 and d != -1) for d in target_shape
        ):
            raise ValueError(
                f"Reshape '{self.name}': `target_shape` must hold positive ints and at most one "
                f"-1. Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape
        self.built = True

    def call(self, inputs):
        target = self._resolve(tuple(inputs.shape[1:]))
        return ops.reshape(inputs, (inputs.shape[0],) + target)

    def _resolve(self, input_shape):
        if any(d is None for d in input_shape):
            return tuple(None if d == -1 else d for d in self.target_shape)
        size = math.prod(input_shape)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if known == 0 or size % known:
                self._fail(input_shape)
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if known != size:
            self._fail(input_shape)
        return self.target_shape

    def _fail(self, input_shape):
        raise ValueError(
            f"Reshape '{self.name}': the input of shape {input_shape} (without the batch axis) "
            f"has {math.prod(input_shape)} values per sample, which cannot be reshaped to "
            f"target_shape={self.target_shape}."
        )

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape[1:]))

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
