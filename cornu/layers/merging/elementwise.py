"""Add, Subtract, Multiply, Average, Maximum and Minimum, and their functional forms."""

from cornu import ops
from cornu.core.masking import get_keras_mask, set_keras_mask
from cornu.layers.merging.base_merge import Merge


class Add(Merge):
    """The sum of a list of tensors of the same shape: ``Add()([x1, x2])``."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return out


class Subtract(Merge):
    """``x1 - x2`` for a list of exactly two tensors."""

    _min_inputs = 2

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"Layer '{self.name}': a `Subtract` layer should be called on exactly 2 "
                f"inputs. Received: input_shape={input_shape}"
            )

    def _merge_function(self, inputs):
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """The elementwise product of a list of tensors."""

    def _merge_function(self, inputs):
        masks = [get_keras_mask(x) for x in inputs]
        if all(m is None for m in masks):
            out = inputs[0]
            for x in inputs[1:]:
                out = ops.multiply(out, x)
            return out
        # Keras's rule: masked-out entries count as 1 in the product; when every input has a
        # mask, the entries masked in all of them are 0 and the output carries the OR mask.
        every = all(m is not None for m in masks)
        out = output_mask = None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = ops.broadcast_to(ops.expand_dims(mask, -1), tuple(x.shape))
                x = ops.where(mask, x, ops.ones_like(x))
                if every:
                    output_mask = mask if output_mask is None else ops.logical_or(output_mask, mask)
            out = x if out is None else ops.multiply(out, x)
        if every:
            out = ops.where(output_mask, out, ops.zeros_like(out))
            set_keras_mask(out, ops.any(output_mask, axis=-1))
        return out


class Average(Merge):
    """The elementwise mean of a list of tensors."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return ops.divide(out, len(inputs))


class Maximum(Merge):
    """The elementwise maximum of a list of tensors."""

    def _merge_function(self, inputs):
        return self._masked_reduce(ops.maximum, inputs)


class Minimum(Merge):
    """The elementwise minimum of a list of tensors."""

    def _merge_function(self, inputs):
        return self._masked_reduce(ops.minimum, inputs)


def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)
