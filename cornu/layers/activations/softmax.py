"""Softmax: the softmax activation as a layer, with an optional mask."""

from cornu import activations, backend, ops
from cornu.layers.layer import Layer


def _large_negative_number(dtype):
    """The value masked logits get: small enough to vanish, finite in the dtype."""
    return -3e4 if backend.standardize_dtype(dtype) == "float16" else -1e9


class Softmax(Layer):
    """Softmax: ``exp(x - max(x)) / sum(exp(x - max(x)))`` along ``axis``.

    Args:
        axis: an int or a list of ints, the axis (axes) normalized over (-1).

    Call arguments:
        inputs: the logits.
        mask: a boolean (or 0/1) tensor broadcastable to ``inputs``; positions where it is
            False (or <= 0.5) get probability 0.

    Input and output shapes are the same.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def _check_mask(self, inputs, mask):
        if len(mask.shape) > len(inputs.shape):
            raise ValueError(
                f"Softmax '{self.name}': the `mask` must be broadcastable to `inputs` and "
                f"must not have more dimensions. Received: inputs.shape={tuple(inputs.shape)}, "
                f"mask.shape={tuple(mask.shape)}"
            )
        for m_dim, i_dim in zip(mask.shape[::-1], inputs.shape[::-1]):
            if m_dim is not None and i_dim is not None and m_dim not in (1, i_dim):
                raise ValueError(
                    f"Softmax '{self.name}': the `mask` must be broadcastable to `inputs`; "
                    "each mask dimension must be 1 or match the input's. Received: "
                    f"inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}"
                )

    def call(self, inputs, mask=None):
        if mask is not None:
            self._check_mask(inputs, mask)
            if backend.standardize_dtype(mask.dtype) != "bool":
                mask = ops.greater(mask, ops.cast(0.5, mask.dtype))
            inputs = ops.where(mask, inputs, _large_negative_number(inputs.dtype))
        if isinstance(self.axis, (tuple, list)) and len(self.axis) > 1:
            outputs = ops.exp(inputs - ops.logsumexp(inputs, axis=self.axis, keepdims=True))
        else:
            axis = self.axis[0] if isinstance(self.axis, (tuple, list)) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, 0.0)
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
