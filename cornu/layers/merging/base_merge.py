"""Merge: the base of layers that combine a list of tensors elementwise."""

from cornu import ops
from cornu.layers.layer import Layer


class Merge(Layer):
    """Combines a list of tensors of (broadcast-compatible) shapes into one.

    Subclasses implement ``_merge_function(inputs)``. Inputs of different ranks have size-1
    axes added at the end, as in Keras; the output shape is the broadcast of the inputs'.
    """

    _min_inputs = 1

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) should be called on a list of "
                f"inputs. Received: input_shape={input_shape} (not a list of shapes)"
            )
        if len(input_shape) < self._min_inputs:
            raise ValueError(
                f"Layer '{self.name}' should be called on a list of at least "
                f"{self._min_inputs} inputs. Received {len(input_shape)} inputs. Full "
                f"input_shape received: {input_shape}"
            )
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Layer '{self.name}': cannot merge tensors with different batch sizes. "
                f"Received tensors with shapes {input_shape}"
            )
        self._broadcast_shape(input_shape)
        self.built = True

    def _broadcast_shape(self, shapes):
        rank = max(len(s) for s in shapes)
        out = []
        for axis in range(1, rank):
            sizes = {s[axis] for s in shapes if axis < len(s)} - {None, 1}
            if len(sizes) > 1:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) needs inputs of the same shape "
                    f"(or broadcastable), but received tensors with shapes {list(shapes)}."
                )
            if sizes:
                out.append(sizes.pop())
            elif any(axis < len(s) and s[axis] is None for s in shapes):
                out.append(None)
            else:
                out.append(1)
        return (shapes[0][0],) + tuple(out)

    def call(self, inputs):
        rank = max(x.ndim for x in inputs)
        inputs = [
            ops.reshape(x, tuple(x.shape) + (1,) * (rank - x.ndim)) if x.ndim < rank else x
            for x in inputs
        ]
        return self._merge_function(inputs)

    def _merge_function(self, inputs):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return self._broadcast_shape(input_shape)

    def compute_mask(self, inputs, mask=None):
        if mask is None or any(m is None for m in mask):
            return None
        output = mask[0]
        for m in mask[1:]:
            output = ops.logical_or(output, m)
        return output
