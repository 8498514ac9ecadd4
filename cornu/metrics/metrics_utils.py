"""Confusion-matrix counting shared by the threshold metrics (Precision, Recall, AUC, ...).

Every update compares the predictions with all thresholds at once (one broadcast comparison,
or one bucketing pass for evenly spaced thresholds) and adds to the state on the device.
"""

import numpy as np

from cornu import ops
from cornu.core import epsilon
from cornu.losses.loss import squeeze_or_expand_to_same_rank

# The threshold that keeps every top-k prediction (the others are set to it).
NEG_INF = -1e10

TRUE_POSITIVES = "tp"
FALSE_POSITIVES = "fp"
TRUE_NEGATIVES = "tn"
FALSE_NEGATIVES = "fn"
CONFUSION_KEYS = (TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES)


def to_list(x):
    """``x`` as a list (a scalar becomes a one-element list)."""
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, np.ndarray):
        return x.tolist() if x.ndim else [x.item()]
    return [x]


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """The thresholds as a list of floats, checked to lie in ``[0, 1]``.

    None gives ``[default_threshold]``.
    """
    if thresholds is None:
        return [default_threshold]
    thresholds = to_list(thresholds)
    invalid = [t for t in thresholds if t is None or not 0 <= t <= 1]
    if invalid:
        raise ValueError(
            f"Threshold values must be in [0, 1]. Received: thresholds={thresholds} "
            f"(out of range: {invalid})"
        )
    return [float(t) for t in thresholds]


def is_evenly_distributed_thresholds(thresholds):
    """Whether ``thresholds`` (three or more) are ``0, 1/(n-1), ..., 1`` up to ``epsilon()``."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=epsilon()))


def filter_top_k(x, k):
    """``x`` with all but the ``k`` largest entries of its last axis set to ``NEG_INF``."""
    _, indices = ops.top_k(x, k)
    keep = ops.sum(ops.one_hot(indices, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * keep + NEG_INF * (1 - keep)


def update_confusion_matrix_variables(
    variables_to_update,
    y_true,
    y_pred,
    thresholds,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    thresholds_distributed_evenly=False,
    thresholds_tensor=None,
):
    """Adds a batch's (weighted) confusion counts at every threshold to the given variables.

    A prediction is positive at threshold ``t`` when ``y_pred > t``; a label is positive when
    it is non-zero. The counts are summed over all entries (or per label column when
    ``multi_label``), so the variables have shape ``(num_thresholds,)`` (or
    ``(num_thresholds, num_labels)``).

    Args:
        variables_to_update: a dict from ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"`` to variables.
        y_true: the labels, the shape of ``y_pred``.
        y_pred: the predictions, in ``[0, 1]``.
        thresholds: the thresholds, a list of floats (sorted when evenly distributed).
        top_k: keep only the ``top_k`` largest predictions of each row as candidates.
        class_id: count only this class (a column of the last axis).
        sample_weight: None, a scalar, or weights broadcastable to ``y_true``.
        multi_label: count each label column separately.
        label_weights: per-label weights, shape ``(num_labels,)`` (not with ``multi_label``).
        thresholds_distributed_evenly: whether ``thresholds`` are evenly spaced in ``[0, 1]``,
            which allows counting by bucketing, in time linear in the batch.
        thresholds_tensor: ``thresholds`` as a tensor of the variables' dtype (made here when
            None, a host-to-device copy).
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "`label_weights` for multilabel data should be handled outside of "
            "`update_confusion_matrix_variables` when `multi_label` is True."
        )
    invalid = [key for key in variables_to_update if key not in CONFUSION_KEYS]
    if invalid or not variables_to_update:
        raise ValueError(
            f"Invalid keys: {invalid}. Valid confusion matrix keys are: {list(CONFUSION_KEYS)}"
        )
    dtype = next(iter(variables_to_update.values())).dtype
    y_true = ops.cast(ops.convert_to_tensor(y_true), dtype)
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.convert_to_tensor(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {tuple(y_pred.shape)}"
            )
        y_true = y_true[..., class_id : class_id + 1]
        y_pred = y_pred[..., class_id : class_id + 1]
    if label_weights is not None:
        label_weights = ops.broadcast_to(ops.expand_dims(label_weights, 0), tuple(y_pred.shape))
    if sample_weight is not None:
        sample_weight = ops.broadcast_to(sample_weight, tuple(y_pred.shape))
    if thresholds_distributed_evenly:
        counts = _bucketed_counts(
            variables_to_update,
            y_true,
            y_pred,
            thresholds,
            multi_label,
            sample_weight,
            label_weights,
        )
    else:
        if thresholds_tensor is None:
            thresholds_tensor = ops.convert_to_tensor(thresholds, dtype)
        counts = _compared_counts(
            variables_to_update,
            y_true,
            y_pred,
            thresholds_tensor,
            multi_label,
            sample_weight,
            label_weights,
        )
    for key, count in counts.items():
        variables_to_update[key].assign_add(count)


def _weights(sample_weight, label_weights, multi_label):
    weights = None
    for w in (sample_weight, label_weights):
        if w is not None:
            if not multi_label:
                w = ops.reshape(w, (-1,))
            weights = w if weights is None else weights * w
    return weights


def _compared_counts(wanted, y_true, y_pred, thresholds, multi_label, sample_weight, lw):
    """Counts by comparing every prediction with every threshold: ``(T, N)`` booleans."""
    labels = ops.cast(ops.cast(y_true, "bool"), y_pred.dtype)
    if not multi_label:
        labels = ops.reshape(labels, (-1,))
        y_pred = ops.reshape(y_pred, (-1,))
    weights = _weights(sample_weight, lw, multi_label)
    # (T, N) or (T, N, L): whether each prediction is above each threshold.
    thresholds = ops.reshape(thresholds, (-1,) + (1,) * len(y_pred.shape))
    above = ops.cast(ops.greater(ops.expand_dims(y_pred, 0), thresholds), y_pred.dtype)
    positives = labels if weights is None else labels * weights
    negatives = (1 - labels) if weights is None else (1 - labels) * weights
    counts = {}
    pairs = {
        TRUE_POSITIVES: (above, positives),
        FALSE_POSITIVES: (above, negatives),
        FALSE_NEGATIVES: (None, positives),
        TRUE_NEGATIVES: (None, negatives),
    }
    below = None
    for key, (side, values) in pairs.items():
        if key not in wanted:
            continue
        if side is None:
            below = 1 - above if below is None else below
            side = below
        if multi_label:
            counts[key] = ops.sum(side * ops.expand_dims(values, 0), axis=1)
        else:
            counts[key] = ops.matmul(side, values)
    return counts


def _bucketed_counts(wanted, y_true, y_pred, thresholds, multi_label, sample_weight, lw):
    """Counts for evenly spaced thresholds: each prediction falls in one bucket between two
    thresholds, and the count above threshold ``i`` is the sum of the buckets from ``i`` on.

    Prediction ``p`` goes to bucket ``ceil(p * (T - 1)) - 1`` (-1, below every threshold, is
    dropped), so ``p`` exactly on a threshold is not above it. When the end thresholds are
    nudged outside ``[0, 1]`` (AUC's ``-epsilon`` and ``1 + epsilon``), bucket -1 joins
    bucket 0.
    """
    num_thresholds = len(thresholds)
    with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    weights = _weights(sample_weight, lw, multi_label)
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    labels = ops.cast(ops.cast(y_true, "bool"), y_pred.dtype)
    if not multi_label:
        labels = ops.reshape(labels, (-1,))
        y_pred = ops.reshape(y_pred, (-1,))
    positives = labels if weights is None else labels * weights
    negatives = (1 - labels) if weights is None else (1 - labels) * weights
    buckets = ops.ceil(y_pred * (num_thresholds - 1)) - 1
    if with_epsilon:
        buckets = ops.relu(buckets)
    buckets = ops.cast(buckets, "int64")
    if multi_label:
        # One segment range per label: bucket b of label l is segment l * T + b; bucket -1
        # goes past the end, where segment_sum drops it.
        num_labels = y_pred.shape[1]
        offsets = ops.arange(num_labels, dtype="int64") * num_thresholds
        segment_ids = ops.where(
            buckets >= 0, buckets + offsets, ops.full_like(buckets, num_labels * num_thresholds)
        )
        segment_ids = ops.reshape(segment_ids, (-1,))
        num_segments = num_labels * num_thresholds

        def above(values):
            sums = ops.segment_sum(ops.reshape(values, (-1,)), segment_ids, num_segments)
            sums = ops.reshape(sums, (num_labels, num_thresholds))
            return ops.transpose(ops.flip(ops.cumsum(ops.flip(sums, 1), axis=1), 1))

        def total(values):
            return ops.sum(values, axis=0)
    else:

        def above(values):
            sums = ops.segment_sum(values, buckets, num_thresholds)
            return ops.flip(ops.cumsum(ops.flip(sums, 0), axis=0), 0)

        total = ops.sum
    counts = {}
    if TRUE_POSITIVES in wanted or FALSE_NEGATIVES in wanted:
        tp = above(positives)
        if TRUE_POSITIVES in wanted:
            counts[TRUE_POSITIVES] = tp
        if FALSE_NEGATIVES in wanted:
            counts[FALSE_NEGATIVES] = total(positives) - tp
    if FALSE_POSITIVES in wanted or TRUE_NEGATIVES in wanted:
        fp = above(negatives)
        if FALSE_POSITIVES in wanted:
            counts[FALSE_POSITIVES] = fp
        if TRUE_NEGATIVES in wanted:
            counts[TRUE_NEGATIVES] = total(negatives) - fp
    return counts


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype="int32"):
    """The ``(num_classes, num_classes)`` confusion matrix: entry ``[i, j]`` sums the weights
    (1 each when None) of the entries with label ``i`` and prediction ``j``.

    Args:
        labels: integer labels, shape ``(n,)``, in ``[0, num_classes)``.
        predictions: integer predictions, shape ``(n,)``, in ``[0, num_classes)``.
        num_classes: the number of classes.
        weights: None or weights of shape ``(n,)``.
        dtype: the matrix's dtype.
    """
    labels = ops.cast(ops.convert_to_tensor(labels), "int64")
    predictions = ops.cast(ops.convert_to_tensor(predictions), "int64")
    if weights is None:
        weights = ops.ones(tuple(labels.shape), dtype=dtype)
    weights = ops.cast(ops.convert_to_tensor(weights), dtype)
    cells = ops.segment_sum(weights, labels * num_classes + predictions, num_classes**2)
    return ops.reshape(cells, (num_classes, num_classes))
