"""Metrics from thresholded confusion counts: TP/FP/TN/FN, Precision, Recall, the
"X at Y" metrics and AUC.

Every update compares the batch with all thresholds at once; the counts stay on the device.
"""

from enum import Enum

from cornu import ops
from cornu.core import epsilon
from cornu.metrics import metrics_utils
from cornu.metrics.metric import Metric
from cornu.metrics.metrics_utils import (
    FALSE_NEGATIVES,
    FALSE_POSITIVES,
    TRUE_NEGATIVES,
    TRUE_POSITIVES,
)


class _ThresholdMetric(Metric):
    """Keeps a list of thresholds, and a tensor of them when they are not evenly spaced."""

    def _set_thresholds(self, thresholds, evenly=None):
        self.thresholds = thresholds
        if evenly is None:
            evenly = metrics_utils.is_evenly_distributed_thresholds(thresholds)
        self._thresholds_distributed_evenly = evenly
        # Made once, on the device the state lives on: no copy from the host per update.
        self._thresholds_tensor = None if evenly else ops.convert_to_tensor(thresholds, self.dtype)

    def _count(self, variables, y_true, y_pred, sample_weight, **kwargs):
        metrics_utils.update_confusion_matrix_variables(
            variables,
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            thresholds_tensor=self._thresholds_tensor,
            **kwargs,
        )

    def _counts_variable(self, name, shape=None):
        shape = (len(self.thresholds),) if shape is None else shape
        return self.add_variable(shape=shape, initializer="zeros", name=name)


class _ConfusionMatrixConditionCount(_ThresholdMetric):
    """The (weighted) count of one confusion-matrix cell at each threshold."""

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._set_thresholds(metrics_utils.parse_init_thresholds(thresholds, 0.5))
        self.accumulator = self._counts_variable("accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._count({self._condition: self.accumulator}, y_true, y_pred, sample_weight)

    def result(self):
        value = self.accumulator.value
        return ops.copy(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


_COUNT_DOC = """The (weighted) number of {what}.

    A prediction is positive when it is above the threshold; a label is positive when it is
    non-zero.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``; 0.5 when None. The result has
            one count per threshold (a scalar for one threshold).
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` and ``y_pred`` of the
    same shape; ``sample_weight`` None, a scalar, or broadcastable to ``y_true``.
    """


class TruePositives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="true positives: positive labels predicted positive")
    _condition = TRUE_POSITIVES


class FalsePositives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="false positives: negative labels predicted positive")
    _condition = FALSE_POSITIVES


class TrueNegatives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="true negatives: negative labels predicted negative")
    _condition = TRUE_NEGATIVES


class FalseNegatives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="false negatives: positive labels predicted negative")
    _condition = FALSE_NEGATIVES


class _PrecisionRecall(_ThresholdMetric):
    _other = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self._set_thresholds(metrics_utils.parse_init_thresholds(thresholds, default))
        self.true_positives = self._counts_variable("true_positives")
        setattr(self, self._other, self._counts_variable(self._other))

    def update_state(self, y_true, y_pred, sample_weight=None):
        key = FALSE_POSITIVES if self._other == "false_positives" else FALSE_NEGATIVES
        self._count(
            {TRUE_POSITIVES: self.true_positives, key: getattr(self, self._other)},
            y_true,
            y_pred,
            sample_weight,
            top_k=self.top_k,
            class_id=self.class_id,
        )

    def result(self):
        tp = self.true_positives.value
        value = ops.divide_no_nan(tp, tp + getattr(self, self._other).value)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


_PR_DOC = """The {what}: ``true_positives / (true_positives + {other})``, over all batches
    seen (0 when the denominator is 0).

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``: a prediction above it counts as
            positive. 0.5 when None (and no threshold, only the top-k rule, with ``top_k``).
            One value per threshold (a scalar for one threshold).
        top_k: only the ``top_k`` largest predictions of each row count as positive.
        class_id: only this class (a column of the last axis) is scored.
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` (0s and 1s) and
    ``y_pred`` of the same shape, e.g. ``(batch, num_classes)``.
    """


class Precision(_PrecisionRecall):
    __doc__ = _PR_DOC.format(
        what="precision: how many predicted positives are positive", other="false_positives"
    )
    _other = "false_positives"


class Recall(_PrecisionRecall):
    __doc__ = _PR_DOC.format(
        what="recall: how many positives are predicted positive", other="false_negatives"
    )
    _other = "false_negatives"


class SensitivitySpecificityBase(_ThresholdMetric):
    """The base of the "X at Y" metrics: all four counts at ``num_thresholds`` evenly spaced
    thresholds in ``[0, 1]``; the result is the best X among thresholds where Y >= value."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self._set_thresholds([0.5], evenly=False)
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._set_thresholds([0.0] + inner + [1.0], evenly=True)
        self.true_positives = self._counts_variable("true_positives")
        self.false_positives = self._counts_variable("false_positives")
        self.true_negatives = self._counts_variable("true_negatives")
        self.false_negatives = self._counts_variable("false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        variables = {
            TRUE_POSITIVES: self.true_positives,
            TRUE_NEGATIVES: self.true_negatives,
            FALSE_POSITIVES: self.false_positives,
            FALSE_NEGATIVES: self.false_negatives,
        }
        self._count(variables, y_true, y_pred, sample_weight, class_id=self.class_id)

    def _rates(self):
        tp = self.true_positives.value
        fp = self.false_positives.value
        tn = self.true_negatives.value
        fn = self.false_negatives.value
        return {
            "sensitivity": ops.divide_no_nan(tp, tp + fn),
            "specificity": ops.divide_no_nan(tn, tn + fp),
            "precision": ops.divide_no_nan(tp, tp + fp),
        }

    def _find_max_under_constraint(self, constrained, dependent):
        feasible = ops.greater_equal(constrained, self.value)
        return ops.max(ops.where(feasible, dependent, ops.zeros_like(dependent)))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


def _check_rate(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


_AT_DOC = """The best {what} among the thresholds where the {given} is at least `{arg}`.

    Counts are kept at ``num_thresholds`` evenly spaced thresholds in ``[0, 1]``.

    Args:
        {arg}: in ``[0, 1]``.
        num_thresholds: how many thresholds to try.
        class_id: only this class (a column of the last axis) is scored.
        name: the metric's name.
        dtype: the dtype of the state and result.

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` (0s and 1s) and
    ``y_pred`` (probabilities) of the same shape.
    """


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    __doc__ = _AT_DOC.format(what="sensitivity (recall)", given="specificity", arg="specificity")

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(rates["specificity"], rates["sensitivity"])

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "specificity": self.specificity,
        }


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    __doc__ = _AT_DOC.format(what="specificity", given="sensitivity (recall)", arg="sensitivity")

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(rates["sensitivity"], rates["specificity"])

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "sensitivity": self.sensitivity,
        }


class PrecisionAtRecall(SensitivitySpecificityBase):
    __doc__ = _AT_DOC.format(what="precision", given="recall", arg="recall")

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(recall, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(rates["sensitivity"], rates["precision"])

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "recall": self.recall,
        }


class RecallAtPrecision(SensitivitySpecificityBase):
    __doc__ = _AT_DOC.format(what="recall", given="precision", arg="precision")

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(precision, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(rates["precision"], rates["sensitivity"])

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "precision": self.precision,
        }


class AUCCurve(str, Enum):
    """The curve whose area AUC computes."""

    ROC = "ROC"
    PR = "PR"
    PRGAIN = "PRGAIN"

    @staticmethod
    def from_str(key):
        """The curve named ``key`` (either case)."""
        for curve in AUCCurve:
            if isinstance(key, str) and key.upper() == curve.value:
                return curve
        raise ValueError(
            'Invalid value for argument `curve`. Expected one of "ROC", "PR", "PRGAIN". '
            f"Received: curve={key!r}"
        )


class AUCSummationMethod(str, Enum):
    """How AUC sums the area under its curve."""

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key):
        """The summation method named ``key`` (lower case or capitalized)."""
        for method in AUCSummationMethod:
            if key in (method.value, method.value.capitalize()):
                return method
        raise ValueError(
            "Invalid value for argument `summation_method`. Expected one of "
            f'"interpolation", "majoring", "minoring". Received: summation_method={key!r}'
        )


class AUC(_ThresholdMetric):
    """Area under the ROC curve (or the precision-recall curve), by a Riemann sum over
    thresholds.

    The counts (TP, FP, TN, FN) are kept at ``num_thresholds`` thresholds; the curve's points
    come from them and its area is summed between consecutive thresholds.

    Args:
        num_thresholds: the number of thresholds (> 1), evenly spaced in ``[0, 1]``; the first
            and last are moved by ``epsilon()`` to ``-epsilon`` and ``1 + epsilon``.
        curve: ``"ROC"`` (the default), ``"PR"`` (precision-recall) or ``"PRGAIN"``.
        summation_method: ``"interpolation"`` (trapezoids for ROC; Davis and Goadrich's
            interpolation for PR), ``"minoring"`` (the lower side of each step) or
            ``"majoring"`` (the upper side).
        name: the metric's name.
        dtype: the dtype of the state and result.
        thresholds: an optional list of thresholds in ``[0, 1]`` to use instead of
            ``num_thresholds`` evenly spaced ones (``-epsilon`` and ``1 + epsilon`` are added).
        multi_label: whether each label column gets its own curve (and the result is their
            mean, or their ``label_weights``-weighted mean); else all entries are pooled.
        num_labels: the number of label columns with ``multi_label`` (else taken from the first
            batch).
        label_weights: per-label weights: the weights of the labels' counts when pooled, or of
            their areas with ``multi_label``.
        from_logits: whether ``y_pred`` holds logits (a sigmoid is applied first).

    ``update_state(y_true, y_pred, sample_weight=None)`` with ``y_true`` (0s and 1s) and
    ``y_pred`` of the same shape, ``(batch, num_labels)`` with ``multi_label``.
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        self.curve = AUCCurve.from_str(curve)
        self.summation_method = AUCSummationMethod.from_str(summation_method)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(metrics_utils.parse_init_thresholds(thresholds))
            self.num_thresholds = len(thresholds) + 2
            evenly = metrics_utils.is_evenly_distributed_thresholds([0.0] + thresholds + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            evenly = True
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self._set_thresholds([0.0 - epsilon()] + thresholds + [1.0 + epsilon()], evenly)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self._label_weights_list = None
        self.label_weights = None
        if label_weights is not None:
            self._label_weights_list = [float(w) for w in metrics_utils.to_list(label_weights)]
            self.label_weights = ops.convert_to_tensor(self._label_weights_list, self.dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{len(shape)}. Full shape received for `y_pred`: {tuple(shape)}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        self.true_positives = self._counts_variable("true_positives", variable_shape)
        self.false_positives = self._counts_variable("false_positives", variable_shape)
        self.true_negatives = self._counts_variable("true_negatives", variable_shape)
        self.false_negatives = self._counts_variable("false_negatives", variable_shape)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        variables = {
            TRUE_POSITIVES: self.true_positives,
            TRUE_NEGATIVES: self.true_negatives,
            FALSE_POSITIVES: self.false_positives,
            FALSE_NEGATIVES: self.false_negatives,
        }
        self._count(
            variables,
            y_true,
            y_pred,
            sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _aggregate(self, terms):
        if not self.multi_label:
            return ops.sum(terms)
        by_label = ops.sum(terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return ops.divide_no_nan(
            ops.sum(by_label * self.label_weights), ops.sum(self.label_weights)
        )

    def interpolate_pr_auc(self):
        """The PR-AUC with Davis and Goadrich's interpolation: between two thresholds the
        true and false positives vary linearly, and the precision is integrated exactly."""
        tp = self.true_positives.value
        fn = self.false_negatives.value
        positives = tp + self.false_positives.value
        d_tp = tp[:-1] - tp[1:]
        d_positives = positives[:-1] - positives[1:]
        slope = ops.divide_no_nan(d_tp, ops.relu(d_positives))
        intercept = tp[1:] - slope * positives[1:]
        both_positive = ops.logical_and(positives[:-1] > 0, positives[1:] > 0)
        ratio = ops.where(
            both_positive,
            ops.divide_no_nan(positives[:-1], ops.relu(positives[1:])),
            ops.ones_like(positives[1:]),
        )
        terms = ops.divide_no_nan(
            slope * (d_tp + intercept * ops.log(ratio)), ops.relu(tp[1:] + fn[1:])
        )
        return self._aggregate(terms)

    def result(self):
        if self.curve == AUCCurve.PR and self.summation_method == AUCSummationMethod.INTERPOLATION:
            return self.interpolate_pr_auc()
        tp = self.true_positives.value
        fp = self.false_positives.value
        tn = self.true_negatives.value
        fn = self.false_negatives.value
        recall = ops.divide_no_nan(tp, tp + fn)
        if self.curve == AUCCurve.ROC:
            x, y = ops.divide_no_nan(fp, fp + tn), recall
        elif self.curve == AUCCurve.PR:
            x, y = recall, ops.divide_no_nan(tp, tp + fp)
        else:
            scale = ops.divide_no_nan(tp + fn, tn + fp)
            no_tp = ops.equal(tp, 0.0)
            recall_gain = 1.0 - scale * ops.divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * ops.divide_no_nan(fp, tp)
            x = ops.relu(ops.where(no_tp, ops.zeros_like(tp), recall_gain))
            y = ops.where(no_tp, ops.ones_like(tp), precision_gain)
        if self.summation_method == AUCSummationMethod.INTERPOLATION:
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == AUCSummationMethod.MINORING:
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return self._aggregate((x[:-1] - x[1:]) * heights)

    def get_config(self):
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self._label_weights_list,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
