"""GlobalAveragePooling1D: the mean over the steps of a sequence (honouring a mask)."""

from cornu import ops
from cornu.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling of sequences: the mean over the steps, per channel.

    With a mask (from ``Embedding(mask_zero=True)``, ``Masking``, or ``mask=``), only the
    unmasked steps are averaged; the output carries no mask.

    Args:
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        keepdims: keep the steps axis with size 1.

    Input shape: ``(batch, steps, channels)`` (channels_last)
    or ``(batch, channels, steps)`` (channels_first); the mask ``(batch, steps)``.
    Output shape: ``(batch, channels)``, or ``(batch, 1, channels)`` /
    ``(batch, channels, 1)`` with ``keepdims``.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        self._check_rank(inputs.shape)
        axis = self._axes[0]
        if mask is None:
            return ops.mean(inputs, axis=axis, keepdims=self.keepdims)
        keep = ops.expand_dims(ops.cast(mask, "bool"), 2 if axis == 1 else 1)
        inputs = ops.where(keep, inputs, ops.zeros_like(inputs))
        total = ops.sum(inputs, axis=axis, keepdims=self.keepdims)
        count = ops.sum(ops.cast(keep, inputs.dtype), axis=axis, keepdims=self.keepdims)
        return ops.divide(total, count)

    def compute_mask(self, inputs, previous_mask):
        return None
