"""Sequence losses: CTC (connectionist temporal classification)."""

from cornu import ops
from cornu.losses.loss import Loss
from cornu.losses.losses import LossFunctionWrapper


def ctc(y_true, y_pred):
    """CTC loss of each sequence, with Keras's conventions.

    Class 0 is the blank and also pads the labels: each label sequence's length is its count
    of non-zero entries. Every logit sequence is taken to be ``max_time`` long.

    Args:
        y_true: integer labels, shape ``(batch, max_label_length)``, padded with 0.
        y_pred: logits (not softmax-normalized), shape ``(batch, max_time, num_classes)``.

    Returns:
        The negative log-likelihoods, shape ``(batch,)``.
    """
    y_true = ops.convert_to_tensor(y_true)
    y_pred = ops.convert_to_tensor(y_pred)
    if len(y_true.shape) != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` "
            f"in integer format. Received: y_true.shape={tuple(y_true.shape)}"
        )
    if len(y_pred.shape) != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape "
            f"`(batch_size, max_length, num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    batch_size, max_time = y_pred.shape[0], y_pred.shape[1]
    label_length = ops.sum(ops.cast(ops.not_equal(y_true, 0), "int32"), axis=-1)
    logit_length = ops.full((batch_size,), max_time, dtype="int32")
    return ops.ctc_loss(y_true, y_pred, label_length, logit_length, mask_index=0)


ctc._integer_labels = True


class CTC(LossFunctionWrapper):
    """CTC (connectionist temporal classification) loss, for sequences whose alignment with
    their labels is unknown (speech, handwriting).

    Class 0 is the blank and pads the labels (see ``ctc``); ``y_pred`` holds logits.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` of ``(batch, max_label_length)``; ``y_pred`` of
    ``(batch, max_time, num_classes)``; per-sample losses of ``(batch,)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
