"""Concatenate: joins a list of tensors along one axis."""

from cornu import ops
from cornu.layers.merging.base_merge import Merge


class Concatenate(Merge):
    """Joins a list of tensors along ``axis``; the other axes must match.

    Args:
        axis: the axis to join along (the last by default).

    Input: a list of tensors ``(batch, ..., d_i, ...)``; output ``(batch, ..., sum(d_i), ...)``.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        ranks = {len(s) for s in input_shape}
        message = (
            f"Layer '{self.name}': a `Concatenate` layer requires inputs with matching shapes "
            f"except for the concatenation axis. Received: input_shape={list(input_shape)}"
        )
        if len(ranks) != 1:
            raise ValueError(message)
        rank = ranks.pop()
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            sizes = {s[i] for s in input_shape} - {None}
            if len(sizes) > 1:
                raise ValueError(message)
        self.built = True

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape[0])
        axis = self.axis % len(shape)
        sizes = [s[axis] for s in input_shape]
        shape[axis] = None if None in sizes else sum(sizes)
        return tuple(shape)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = ops.cast(ops.ones_like(x), "bool")
            elif m.ndim < x.ndim:
                m = ops.broadcast_to(ops.expand_dims(m, -1), tuple(x.shape))
            masks.append(m)
        joined = ops.concatenate(masks, axis=self.axis)
        return ops.any(joined, axis=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis=axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
