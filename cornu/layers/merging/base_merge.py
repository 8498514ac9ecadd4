"""Merge: the base of layers that combine a list of tensors elementwise."""

from cornu import ops
from cornu.core.masking import get_keras_mask, set_keras_mask
from cornu.layers.layer import Layer


class Merge(Layer):
    """Combines a list of tensors of broadcast-compatible shapes into one.

    Subclasses implement ``_merge_function(inputs)``. As in Keras, the shapes without the
    batch axis broadcast from the right (NumPy's rule), and an input of lower rank gets size-1
    axes inserted after the batch axis: ``(batch, 3)`` merges with ``(batch, 2, 3)``. The
    output mask is the OR of the inputs' masks (None unless every input has one).
    """

    _min_inputs = 1

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _check_list(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): a merge layer should be called "
                f"on a list of inputs. Received: input_shape={input_shape} (not a list of "
                "shapes)"
            )
        if len(input_shape) < self._min_inputs:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) should be called on a list of at "
                f"least {self._min_inputs} inputs. Received {len(input_shape)} inputs. Full "
                f"input_shape received: {input_shape}"
            )

    def _broadcast(self, shape1, shape2):
        """The broadcast of two shapes without their batch axis, aligned from the right."""
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return tuple(shape1)
        out = list(shape1[: len(shape1) - len(shape2)])
        for i, j in zip(shape1[len(shape1) - len(shape2) :], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1 or j == 1:
                out.append(j if i == 1 else i)
            elif i != j:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): inputs have incompatible "
                    f"shapes. Received shapes {tuple(shape1)} and {tuple(shape2)} (without "
                    "the batch axis); they must be equal or broadcastable."
                )
            else:
                out.append(i)
        return tuple(out)

    def build(self, input_shape):
        self._check_list(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Layer '{self.name}': cannot merge tensors with different batch sizes. "
                f"Received tensors with shapes {list(input_shape)}"
            )
        self.compute_output_shape(input_shape)
        self._reshape_required = len({len(s) for s in input_shape}) > 1
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"Layer '{self.name}': a merge layer should be called on a list of inputs. "
                f"Received: inputs of type {type(inputs).__name__} (not a list of tensors)"
            )
        if self._reshape_required:
            rank = max(x.ndim for x in inputs)
            expanded = []
            for x in inputs:
                if x.ndim < rank:
                    mask = get_keras_mask(x)
                    x = ops.reshape(x, (x.shape[0],) + (1,) * (rank - x.ndim) + tuple(x.shape[1:]))
                    if mask is not None:
                        set_keras_mask(x, mask)
                expanded.append(x)
            inputs = expanded
        return self._merge_function(list(inputs))

    def _merge_function(self, inputs):
        raise NotImplementedError

    def _masked_reduce(self, op, inputs):
        """Reduces with ``op`` where each input counts only where its mask holds (Keras's rule
        for Maximum and Minimum); the output's mask is the OR of the masks."""
        output = output_mask = None
        for x in inputs:
            mask = get_keras_mask(x)
            if mask is not None:
                mask = ops.broadcast_to(ops.expand_dims(mask, -1), tuple(x.shape))
            if output is None:
                output, output_mask = x, mask
                continue
            if mask is not None:
                x = ops.where(mask, x, output)
            if output_mask is not None:
                output = ops.where(output_mask, output, x)
            if mask is not None and output_mask is not None:
                output_mask = ops.logical_or(output_mask, mask)
            else:
                output_mask = None
            output = op(output, x)
        if output_mask is not None:
            set_keras_mask(output, ops.any(output_mask, axis=-1))
        return output

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        output = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output = self._broadcast(output, tuple(shape[1:]))
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + output

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask}")
        if len(mask) != len(inputs):
            raise ValueError(
                "The lists `inputs` and `mask` should have the same length. Received: "
                f"{len(inputs)} inputs and {len(mask)} masks"
            )
        if any(m is None for m in mask):
            return None
        output = mask[0]
        for m in mask[1:]:
            output = ops.logical_or(output, m)
        return output
