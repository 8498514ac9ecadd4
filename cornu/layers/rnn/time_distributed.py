"""TimeDistributed: applies a layer to every temporal slice of an input."""

from cornu import ops
from cornu.core import KerasTensor
from cornu.layers.rnn.wrapper import Wrapper


class TimeDistributed(Wrapper):
    """Applies ``layer`` to each time step of the input (axis 1) with the same weights.

    Args:
        layer: the layer to apply, e.g. ``Dense`` or ``Conv2D``.

    Layers that treat each sample on its own run once on the time steps folded into the batch
    axis; a layer with non-trainable state (e.g. BatchNormalization) runs step by step, as in
    Keras, so that its batch statistics are per time step.

    Input shape: ``(batch, timesteps, ...)``, at least 3-D. Output shape: ``(batch,
    timesteps, ...)`` with the layer's output shape after the time axis. A mask
    ``(batch, timesteps)`` reaches the layer step by step when its ``call`` takes one.
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _child_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                f"Layer '{self.name}' (TimeDistributed) expects inputs with at least 3 "
                f"dimensions (batch, timesteps, ...), but received input_shape={input_shape}."
            )
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape):
        super().build(self._child_shape(tuple(input_shape)))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_shape(tuple(input_shape)))
        return (child[0], input_shape[1], *child[1:])

    def compute_output_spec(self, inputs, training=None, mask=None):
        shape = tuple(inputs.shape)
        child = self.layer.compute_output_spec(KerasTensor(self._child_shape(shape), inputs.dtype))
        return KerasTensor((child.shape[0], shape[1], *child.shape[1:]), dtype=child.dtype)

    def call(self, inputs, training=None, mask=None):
        shape = tuple(inputs.shape)
        self._child_shape(shape)
        batch, steps = shape[0], shape[1]
        if mask is not None:
            mask_shape = tuple(mask.shape)
            if len(mask_shape) < 2 or mask_shape[:2] != (batch, steps):
                raise ValueError(
                    f"Layer '{self.name}' (TimeDistributed) received a mask of shape "
                    f"{mask_shape} for inputs of shape {shape}; the mask must start with "
                    f"(batch_size, timesteps) = {(batch, steps)}."
                )
        kwargs = {}
        if self.layer._call_accepts_training:
            kwargs["training"] = training
        takes_mask = self.layer._call_accepts_mask and mask is not None
        if self.layer.non_trainable_weights:
            outputs = []
            for t in range(steps):
                if takes_mask:
                    kwargs["mask"] = mask[:, t]
                outputs.append(self.layer.call(inputs[:, t], **kwargs))
            return ops.stack(outputs, axis=1)
        if takes_mask:
            kwargs["mask"] = ops.reshape(mask, (batch * steps, *mask.shape[2:]))
        folded = ops.reshape(inputs, (batch * steps, *shape[2:]))
        outputs = self.layer.call(folded, **kwargs)
        return ops.reshape(outputs, (batch, steps, *tuple(outputs.shape)[1:]))
