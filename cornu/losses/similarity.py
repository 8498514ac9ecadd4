"""Metric-learning losses on embeddings: Circle loss."""

import math

from cornu import ops
from cornu.losses.loss import Loss, set_keras_mask
from cornu.losses.losses import LossFunctionWrapper


def build_pos_neg_masks(query_labels, key_labels, remove_diagonal=True):
    """Which (query, key) pairs share a label (positives) and which do not (negatives).

    Args:
        query_labels: integer labels, shape ``(n,)`` or ``(n, 1)``.
        key_labels: integer labels, shape ``(m,)`` or ``(m, 1)``.
        remove_diagonal: whether pair ``(i, i)`` is left out of the positives.

    Returns:
        Two boolean tensors of shape ``(n, m)``: the positives and the negatives.
    """
    query_labels = ops.reshape(query_labels, (-1, 1))
    key_labels = ops.reshape(key_labels, (1, -1))
    positives = ops.equal(query_labels, key_labels)
    negatives = ops.logical_not(positives)
    if remove_diagonal:
        n, m = positives.shape
        positives = ops.logical_and(positives, ops.logical_not(ops.eye(n, m, dtype="bool")))
    return positives, negatives


def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80,
    margin=0.4,
):
    """Circle loss (Sun et al., 2020) between integer labels and L2-normalized embeddings.

    Each embedding is compared with every reference embedding by cosine distance; same-label
    pairs are pulled together and other pairs pushed apart, each pair weighted by how far it
    is from its optimum. Samples with no loss are masked out of the mean.

    Args:
        y_true: integer labels, shape ``(batch,)``.
        y_pred: L2-normalized embeddings, shape ``(batch, dim)``.
        ref_labels: the references' labels; ``y_true`` when None.
        ref_embeddings: the references' embeddings; ``y_pred`` when None.
        remove_diagonal: whether each sample is left out of its own positives.
        gamma: the scale of the similarity scores.
        margin: the relaxation margin.

    Returns:
        The losses, shape ``(batch,)``, with a mask of the samples whose loss is positive.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, "int32")
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")
    distances = ops.relu(1 - ops.matmul(y_pred, ops.transpose(ref_embeddings)))
    positives, negatives = build_pos_neg_masks(y_true, ref_labels, remove_diagonal)
    pos_weights = ops.relu((margin + distances) * ops.cast(positives, distances.dtype))
    neg_weights = ops.relu((1 + margin - distances) * ops.cast(negatives, distances.dtype))
    pos_scores = -gamma * pos_weights * (margin - distances)
    neg_scores = gamma * neg_weights * ((1 - margin) - distances)
    minus_inf = ops.full_like(distances, -math.inf)
    pos_loss = ops.logsumexp(ops.where(positives, pos_scores, minus_inf), axis=1)
    neg_loss = ops.logsumexp(ops.where(negatives, neg_scores, minus_inf), axis=1)
    losses = ops.softplus(pos_loss + neg_loss)
    set_keras_mask(losses, losses > 0)
    return losses


circle._integer_labels = True


class Circle(LossFunctionWrapper):
    """Circle loss (Sun et al., 2020) between integer labels and L2-normalized embeddings
    (see ``circle``). Follow the model's embedding ``Dense`` (no activation) with
    ``UnitNormalization``.

    Args:
        gamma: the scale of the similarity scores.
        margin: the relaxation margin: below it negatives weigh more and positives less.
        remove_diagonal: whether each sample is left out of its own positives.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` of ``(batch,)``; ``y_pred`` of ``(batch, dim)``; per-sample losses of
    ``(batch,)``.
    """

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self):
        return {
            **Loss.get_config(self),
            "gamma": self.gamma,
            "margin": self.margin,
            "remove_diagonal": self.remove_diagonal,
        }
