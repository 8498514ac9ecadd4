"""Intersection-over-union metrics for segmentation: IoU, MeanIoU, BinaryIoU and the one-hot
variants, from a confusion matrix accumulated on the device."""

import warnings

from cornu import ops
from cornu.core import epsilon
from cornu.metrics.metric import Metric
from cornu.metrics.metrics_utils import confusion_matrix


class _IoUBase(Metric):
    """Accumulates a ``(num_classes, num_classes)`` confusion matrix of class predictions."""

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        # Keras counts in "int" (int32) by default: float sample weights are truncated.
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            (num_classes, num_classes), "zeros", dtype=self.dtype, name="total_confusion_matrix"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.sparse_y_true:
            y_true = ops.argmax(ops.convert_to_tensor(y_true), axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(ops.convert_to_tensor(y_pred), axis=self.axis)
        y_true = ops.reshape(ops.convert_to_tensor(y_true, self.dtype), (-1,))
        y_pred = ops.reshape(ops.convert_to_tensor(y_pred, self.dtype), (-1,))
        if sample_weight is None:
            sample_weight = ops.ones(tuple(y_true.shape), dtype=self.dtype)
        else:
            if "float" in str(getattr(sample_weight, "dtype", "")) and "int" in self.dtype:
                warnings.warn(
                    "You are passing weight as `float`, but dtype is `int`. This may result "
                    "in an incorrect weight due to type casting. Consider using integer "
                    "weights.",
                    stacklevel=2,
                )
            sample_weight = ops.convert_to_tensor(sample_weight, self.dtype)
            if len(sample_weight.shape) > 1:
                sample_weight = ops.reshape(sample_weight, (-1,))
            sample_weight = ops.broadcast_to(sample_weight, tuple(y_true.shape))
        valid = ops.logical_and(
            ops.logical_and(y_true >= 0, y_true < self.num_classes),
            ops.logical_and(y_pred >= 0, y_pred < self.num_classes),
        )
        if self.ignore_class is not None:
            valid = ops.logical_and(valid, ops.not_equal(y_true, self.ignore_class))
        zeros = ops.zeros_like(y_true)
        y_true = ops.where(valid, y_true, zeros)
        y_pred = ops.where(valid, y_pred, zeros)
        sample_weight = ops.where(valid, sample_weight, ops.zeros_like(sample_weight))
        self.total_cm.assign_add(
            confusion_matrix(y_true, y_pred, self.num_classes, sample_weight, self.dtype)
        )


class IoU(_IoUBase):
    """Intersection over union, ``TP / (TP + FP + FN)``, averaged over the target classes.

    Classes that never occur (in labels or predictions) are left out of the average.

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids whose IoU is averaged.
        name: the metric's name.
        dtype: the dtype of the confusion matrix; ``"int32"`` when None (float sample weights
            are then truncated, as in Keras).
        ignore_class: an optional class id left out (e.g. a "void" class).
        sparse_y_true: whether labels are class ids (else one-hot or scores, reduced with
            ``argmax`` over ``axis``).
        sparse_y_pred: whether predictions are class ids (else scores).
        axis: the class axis of non-sparse inputs.

    ``update_state(y_true, y_pred, sample_weight=None)``: inputs of any shape, flattened.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        target_class_ids = list(target_class_ids)
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes}). Check `target_class_ids`."
            )
        self.target_class_ids = target_class_ids
        # Made once on the state's device: no host-to-device copy per result.
        self._target_ids = ops.convert_to_tensor(target_class_ids, "int64")

    def result(self):
        cm = self.total_cm.value
        true_positives = ops.diagonal(cm)
        denominator = ops.sum(cm, axis=0) + ops.sum(cm, axis=1) - true_positives
        true_positives = ops.cast(ops.take(true_positives, self._target_ids), "float32")
        denominator = ops.cast(ops.take(denominator, self._target_ids), "float32")
        valid = ops.greater(denominator, 1e-9)
        ratio = true_positives / (denominator + epsilon())
        iou = ops.where(valid, ratio, ops.zeros_like(ratio))
        return ops.sum(iou) / (ops.sum(ops.cast(valid, "float32")) + epsilon())

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """IoU of binary segmentation: predictions at or above ``threshold`` are class 1.

    Args:
        target_class_ids: which of the classes 0 and 1 to average: ``(0, 1)`` (both), ``[0]``
            or ``[1]``.
        threshold: the probability from which a prediction is class 1.
        name: the metric's name.
        dtype: the dtype of the confusion matrix; ``"int32"`` when None.

    ``update_state(y_true, y_pred, sample_weight=None)`` with labels 0 or 1 and probabilities.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, "float32")
        y_pred = ops.cast(y_pred >= self.threshold, self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """The mean of the per-class IoUs over all ``num_classes`` classes (see ``IoU``).

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the confusion matrix; ``"int32"`` when None.
        ignore_class: an optional class id left out.
        sparse_y_true: whether labels are class ids.
        sparse_y_pred: whether predictions are class ids.
        axis: the class axis of non-sparse inputs.

    ``update_state(y_true, y_pred, sample_weight=None)``: inputs of any shape, flattened.
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """IoU (see ``IoU``) with one-hot labels and per-class scores as predictions.

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids whose IoU is averaged.
        name: the metric's name.
        dtype: the dtype of the confusion matrix; ``"int32"`` when None.
        ignore_class: an optional class id left out.
        sparse_y_pred: whether predictions are class ids (else scores, reduced by ``argmax``).
        axis: the class axis.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` one-hot and ``y_pred``
    scores, both ``(..., num_classes)``.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """MeanIoU (see ``MeanIoU``) with one-hot labels and per-class scores as predictions.

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the confusion matrix; ``"int32"`` when None.
        ignore_class: an optional class id left out.
        sparse_y_pred: whether predictions are class ids (else scores, reduced by ``argmax``).
        axis: the class axis.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` one-hot and ``y_pred``
    scores, both ``(..., num_classes)``.
    """

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
