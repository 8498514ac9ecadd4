"""Accuracy metrics: exact, binary, categorical, sparse categorical and top-k matches."""

from cornu import ops
from cornu.core import floatx
from cornu.losses.loss import squeeze_or_expand_to_same_rank
from cornu.metrics.reduction_metrics import MeanMetricWrapper


def accuracy(y_true, y_pred):
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0.

    Args:
        y_true: the targets, shape ``(batch, ...)``.
        y_pred: the predictions, the same shape (or differing by a last axis of 1).

    Returns:
        The matches as ``floatx()``, shape ``(batch, ...)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` matches the binary label ``y_true``, else 0.0.

    Args:
        y_true: labels 0 or 1, shape ``(batch, d0, ..., dN)`` (or ``(batch,)`` against
            ``(batch, 1)``).
        y_pred: probabilities, the same shape.
        threshold: the probability above which a prediction counts as 1.

    Returns:
        The matches as ``floatx()``, the broadcast shape of the two.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    # A Python threshold is compared in y_pred's dtype, with no tensor to copy to the device.
    if not isinstance(threshold, (int, float)):
        threshold = ops.convert_to_tensor(threshold)
    y_pred = ops.cast(ops.greater(y_pred, threshold), y_true.dtype)
    return ops.cast(ops.equal(y_true, y_pred), floatx())


def categorical_accuracy(y_true, y_pred):
    """1.0 where the largest entry of ``y_pred`` is the one-hot class of ``y_true``, else 0.0.

    Args:
        y_true: one-hot labels, shape ``(batch, ..., num_classes)``.
        y_pred: class scores, the same shape.

    Returns:
        The matches as ``floatx()``, shape ``(batch, ...)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.argmax(ops.convert_to_tensor(y_true), axis=-1)
    true_shape = tuple(y_true.shape)
    reshape = len(y_true.shape) == len(y_pred.shape)
    if reshape:
        y_true = ops.squeeze(y_true, -1)
    # Class indices are compared as integers (Keras casts both to y_pred's float dtype first;
    # the answers agree for every class index below 2**24).
    matches = ops.cast(ops.equal(y_true, ops.argmax(y_pred, axis=-1)), floatx())
    if reshape:
        matches = ops.reshape(matches, true_shape)
    return matches


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the largest entry of ``y_pred`` is at the class index ``y_true``, else 0.0.

    Args:
        y_true: class indices, shape ``(batch, ...)`` or ``(batch, ..., 1)``, int or float.
        y_pred: class scores, shape ``(batch, ..., num_classes)``.

    Returns:
        The matches as ``floatx()``, shape ``(batch, ...)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    # The integer argmax is compared with the labels as they are (int or float), which gives
    # Keras's answer without casting either side.
    matches = ops.cast(ops.equal(y_true, ops.argmax(y_pred, axis=-1)), floatx())
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = ops.squeeze(matches, -1)
    return matches


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly (the mean of ``accuracy``).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)``.
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions match binary labels (the mean of ``binary_accuracy``).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        threshold: the probability above which a prediction counts as 1.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` of 0s and 1s and
    ``y_pred`` of probabilities, shape ``(batch, 1)`` or ``(batch,)``.
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the top predicted class is the one-hot label's class.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with one-hot ``y_true`` and class
    scores ``y_pred``, both ``(batch, num_classes)``.
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the top predicted class is the integer label.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` of shape ``(batch,)``
    or ``(batch, 1)`` (int or float) and ``y_pred`` of shape ``(batch, num_classes)``.
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


def _flatten_for_top_k(y_true, y_pred):
    if len(y_pred.shape) > 2:
        y_pred = ops.reshape(y_pred, (-1, y_pred.shape[-1]))
    return ops.reshape(y_true, (-1,)), y_pred


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot class of ``y_true`` is among the ``k`` largest entries of
    ``y_pred`` (ties with the k-th count as in), else 0.0.

    Args:
        y_true: one-hot labels, shape ``(batch, ..., num_classes)``.
        y_pred: class scores, the same shape.
        k: how many of the top predictions to consider.

    Returns:
        The matches as ``floatx()``, shape ``(batch, ...)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.argmax(ops.convert_to_tensor(y_true), axis=-1)
    shape = tuple(y_true.shape)
    y_true, y_pred = _flatten_for_top_k(y_true, y_pred)
    matches = ops.cast(ops.in_top_k(y_true, y_pred, k), floatx())
    return ops.reshape(matches, shape)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the class index ``y_true`` is among the ``k`` largest entries of ``y_pred``
    (ties with the k-th count as in), else 0.0.

    Args:
        y_true: class indices, shape ``(batch,)`` or ``(batch, 1)``.
        y_pred: class scores, shape ``(batch, num_classes)``; or, with ``from_sorted_ids``,
            class ids sorted from the most to the least likely, shape ``(batch, n >= k)``.
        k: how many of the top predictions to consider.
        from_sorted_ids: whether ``y_pred`` holds sorted class ids rather than scores.

    Returns:
        The matches as ``floatx()``, the shape of ``y_true``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype if from_sorted_ids else "int32")
    shape = tuple(y_true.shape)
    y_true, y_pred = _flatten_for_top_k(y_true, y_pred)
    if from_sorted_ids:
        matches = ops.any(ops.equal(ops.expand_dims(y_true, 1), y_pred[:, :k]), axis=1)
    else:
        matches = ops.in_top_k(y_true, y_pred, k)
    return ops.reshape(ops.cast(matches, floatx()), shape)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the ``k`` top predictions.

    Args:
        k: how many of the top predictions to consider.
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with one-hot ``y_true`` and class
    scores ``y_pred``, both ``(batch, num_classes)``.
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the ``k`` top predictions.

    Args:
        k: how many of the top predictions to consider.
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_sorted_ids: whether ``y_pred`` holds class ids sorted by likelihood rather than
            scores.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` of shape ``(batch,)``
    or ``(batch, 1)`` and ``y_pred`` of shape ``(batch, num_classes)``.
    """

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
