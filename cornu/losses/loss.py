"""The ``Loss`` base class, and the sample-weighting and reduction rules every loss shares."""

import math

from cornu import ops
from cornu.core import auto_name, floatx, tree
from cornu.core.dtype_policies import get_policy
from cornu.core.masking import get_keras_mask, set_keras_mask  # noqa: F401 (re-exported)

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class Loss:
    """Base class of losses: subclasses implement ``call(y_true, y_pred)``.

    ``call`` returns the per-sample losses; calling the loss object weights them with
    ``sample_weight`` and reduces them.

    Args:
        name: the loss's name; the snake-cased class name when None.
        reduction: how the per-sample losses become the result. ``"sum_over_batch_size"``
            (the default) and ``"mean"`` sum them and divide by their number; ``"sum"`` sums
            them; ``"mean_with_sample_weight"`` sums them and divides by the sum of the sample
            weights; ``"none"`` or None returns them unreduced.
        dtype: the dtype the inputs are cast to and the loss computed in; ``floatx()`` when
            None.

    Example:

    ```python
    class MeanSquaredError(cornu.losses.Loss):
        def call(self, y_true, y_pred):
            return cornu.ops.mean(cornu.ops.square(y_pred - y_true), axis=-1)
    ```
    """

    # Whether ``__call__`` casts ``y_true`` to the loss's dtype (integer class labels skip it).
    _cast_y_true = True

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or auto_name(self.__class__.__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = compute_dtype(dtype)

    @property
    def dtype(self):
        """The dtype the loss is computed in."""
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The weighted, reduced loss between ``y_true`` and ``y_pred``.

        Args:
            y_true: the targets.
            y_pred: the predictions; a ``_keras_mask`` on it masks out entries.
            sample_weight: None, a scalar, or weights of shape ``(batch,)`` or broadcastable
                to the per-sample losses.

        Returns:
            A scalar tensor, or the per-sample losses when the reduction is ``"none"``.
        """
        in_mask = get_keras_mask(y_pred)
        dtype = self._dtype
        y_pred = _to_tensors(y_pred, dtype)
        y_true = _to_tensors(y_true, dtype if self._cast_y_true else None)
        losses = self.call(y_true, y_pred)
        out_mask = get_keras_mask(losses)
        if in_mask is None:
            mask = out_mask
        elif out_mask is None:
            mask = in_mask
        else:
            mask = ops.logical_and(in_mask, out_mask)
        if sample_weight is None and mask is None:
            return reduce_values(ops.convert_to_tensor(losses, dtype), None, self.reduction)
        return reduce_weighted_values(
            losses, sample_weight=sample_weight, mask=mask, reduction=self.reduction, dtype=dtype
        )

    def call(self, y_true, y_pred):
        """The per-sample losses; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """Creates the loss from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _to_tensors(x, dtype):
    if isinstance(x, (list, tuple, dict)):
        return tree.map_structure(lambda v: ops.convert_to_tensor(v, dtype), x)
    return ops.convert_to_tensor(x, dtype)


def compute_dtype(dtype):
    """The dtype a loss or metric computes in: the compute dtype of the policy ``dtype`` names
    (``floatx()`` for None, ``"float16"`` for ``"mixed_float16"``), as Keras's losses, which
    stay in float32 under a mixed global policy unless given a dtype."""
    if dtype is None:
        return floatx()
    return get_policy(dtype).compute_dtype


def standardize_reduction(reduction):
    """Checks ``reduction`` against the allowed values and returns it."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ``x1`` and ``x2`` the same rank when it differs by one and the longer ends in 1.

    The longer one loses its last axis, except that a rank-1 shorter one gains a last axis
    instead when ``expand_rank_1`` (so ``(batch,)`` against ``(batch, 1)`` gives two
    ``(batch, 1)``).
    """
    rank1 = len(x1.shape)
    rank2 = len(x2.shape)
    if rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces already-weighted ``values`` as ``reduction`` says (see ``Loss``).

    Scalars and empty vectors are returned as they are; an empty batch gives 0, not NaN.
    """
    if reduction is None or reduction == "none":
        return values
    shape = tuple(values.shape)
    if shape == () or shape == (0,):
        return values
    if reduction == "sum":
        return ops.sum(values)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        total_weight = ops.cast(ops.sum(sample_weight), values.dtype)
        return ops.divide_no_nan(ops.sum(values), total_weight)
    if math.prod(shape) == 0:
        return ops.sum(values)
    return ops.mean(values)


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Multiplies ``values`` by ``sample_weight`` (merged with ``mask``), then reduces them."""
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype)
    if mask is not None:
        mask = ops.convert_to_tensor(mask, dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Merges a mask into the sample weights.

    For ``"sum_over_batch_size"`` and ``"mean"`` the kept entries weigh ``total / kept``, so the
    reduction averages over the kept entries only.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        kept = ops.cast(ops.cast(mask, "bool"), dtype)
        count = ops.sum(kept)
        total = ops.full_like(count, math.prod(tuple(mask.shape)))
        float_mask = kept * ops.divide_no_nan(total, count)
    else:
        float_mask = ops.cast(mask, dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = ops.cast(sample_weight, dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask
