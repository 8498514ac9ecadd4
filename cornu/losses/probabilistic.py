"""Probabilistic losses beyond plain cross-entropy: KL divergence, Poisson, the focal
cross-entropies and the generalized cross-entropy."""

import warnings

from cornu import ops
from cornu.core import epsilon
from cornu.losses.loss import Loss
from cornu.losses.losses import LossFunctionWrapper


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence: ``sum(y_true * log(y_true / y_pred), axis=-1)``.

    Both are clipped to ``[epsilon(), 1]`` first.

    Args:
        y_true: target probabilities, shape ``(batch, d0, ..., dN)``.
        y_pred: predicted probabilities, the same shape.

    Returns:
        The divergences, shape ``(batch, d0, ..., dN-1)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true = ops.clip(y_true, epsilon(), 1.0)
    y_pred = ops.clip(y_pred, epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """Poisson loss: ``mean(y_pred - y_true * log(y_pred + epsilon()), axis=-1)``.

    Args:
        y_true: the observed counts, shape ``(batch, d0, ..., dN)``.
        y_pred: the predicted rates, the same shape.

    Returns:
        The losses, shape ``(batch, d0, ..., dN-1)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    return ops.mean(y_pred - y_true * ops.log(y_pred + epsilon()), axis=-1)


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary cross-entropy scaled by the focal factor ``(1 - p_t) ** gamma``, averaged over
    ``axis``.

    ``p_t`` is the predicted probability of the true class, so easy examples weigh less. With
    ``apply_class_balancing`` the class-1 terms are also scaled by ``alpha`` and the class-0
    terms by ``1 - alpha``.

    Args:
        y_true: labels 0 or 1, shape ``(batch, d0, ..., dN)``.
        y_pred: probabilities (or logits when ``from_logits``), the same shape.
        apply_class_balancing: whether to weigh the classes by ``alpha`` and ``1 - alpha``.
        alpha: the class-1 weight of class balancing.
        gamma: the focusing exponent; 0 gives plain binary cross-entropy.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; labels move towards 0.5 by this much.
        axis: the axis the mean is taken over.

    Returns:
        The losses, shape ``(batch, d0, ..., dN-1)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return ops.mean(focal_bce, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical cross-entropy with each class term scaled by ``alpha * (1 - p) ** gamma``.

    Args:
        y_true: one-hot labels, shape ``(batch, ..., num_classes)``.
        y_pred: class probabilities (or logits when ``from_logits``), the same shape.
        alpha: the class weight: a number, or one per class.
        gamma: the focusing exponent; 0 gives ``alpha`` times plain cross-entropy.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; labels become
            ``y_true * (1 - label_smoothing) + label_smoothing / num_classes``.
        axis: the class axis.

    Returns:
        The losses, shape ``(batch, ...)``.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be an int. Received: axis={axis!r}")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_focal_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if "
            "you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    output = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    output = ops.clip(output, epsilon(), 1.0 - epsilon())
    if not isinstance(alpha, (int, float)):
        alpha = ops.convert_to_tensor(alpha, output.dtype)
    weights = ops.power(1.0 - output, gamma) * alpha
    return ops.sum(weights * (-y_true * ops.log(output)), axis=axis)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy ``(1 - p ** q) / q``, ``p`` the predicted probability of the
    true class: robust to noisy labels, between cross-entropy (q near 0) and the absolute
    error (q near 1).

    Args:
        y_true: class indices, shape ``(batch,)`` or ``(batch, 1)``.
        y_pred: class probabilities, shape ``(batch, num_classes)``.
        q: in ``(0, 1)``.

    Returns:
        The losses, shape ``(batch,)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        # Keras would broadcast (batch, 1) labels against every row; cornu squeezes them.
        y_true = ops.squeeze(y_true, -1)
    one_hot = ops.one_hot(ops.cast(y_true, "int64"), y_pred.shape[-1], dtype=y_pred.dtype)
    p = ops.sum(y_pred * one_hot, axis=-1)
    return (1.0 - ops.power(p, q)) / q


categorical_generalized_cross_entropy._integer_labels = True


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence: ``sum(y_true * log(y_true / y_pred))``, both clipped to
    ``[epsilon(), 1]``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Poisson(LossFunctionWrapper):
    """Poisson loss: ``mean(y_pred - y_true * log(y_pred))``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal binary cross-entropy (Lin et al., 2018): binary cross-entropy scaled by
    ``(1 - p_t) ** gamma`` so that easy examples weigh less (see
    ``binary_focal_crossentropy``).

    Args:
        apply_class_balancing: whether to weigh class 1 by ``alpha`` and class 0 by
            ``1 - alpha``.
        alpha: the class-1 weight of class balancing.
        gamma: the focusing exponent; 0 gives plain binary cross-entropy.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; labels move towards 0.5 by this much.
        axis: the axis the mean is taken over.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "apply_class_balancing": self.apply_class_balancing,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Alpha-balanced focal cross-entropy over one-hot labels (Lin et al., 2018):
    ``-sum(alpha * (1 - p) ** gamma * y_true * log(p))`` over the class axis.

    Args:
        alpha: the class weight: a number, or a list with one weight per class.
        gamma: the focusing exponent; 0 gives ``alpha`` times plain cross-entropy.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; labels become
            ``y_true * (1 - label_smoothing) + label_smoothing / num_classes``.
        axis: the class axis.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, ..., num_classes)``; per-sample losses of
    ``(batch, ...)``.
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma
        if not isinstance(alpha, (int, float)):
            # Per-class weights become a tensor once, not a host-to-device copy per call.
            self._fn_kwargs["alpha"] = ops.convert_to_tensor(alpha, self.dtype)

    def get_config(self):
        alpha = self.alpha
        if not isinstance(alpha, (int, float)):
            alpha = [float(a) for a in alpha]
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "alpha": alpha,
            "gamma": self.gamma,
        }


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy (Zhang and Sabuncu, 2018): ``(1 - p ** q) / q`` with ``p``
    the predicted probability of the true class; robust to noisy labels.

    Args:
        q: in ``(0, 1)``; near 0 it behaves like cross-entropy, near 1 like the absolute
            error.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` of class indices ``(batch,)``; ``y_pred`` of class probabilities
    ``(batch, num_classes)``; per-sample losses of ``(batch,)``.
    """

    def __init__(
        self,
        q=0.5,
        reduction="sum_over_batch_size",
        name="categorical_generalized_cross_entropy",
        dtype=None,
    ):
        if not 0 < q < 1:
            raise ValueError(f"Argument `q` must be in the interval (0, 1). Received: q={q}")
        super().__init__(
            categorical_generalized_cross_entropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            q=q,
        )
        self.q = q

    def get_config(self):
        return {**Loss.get_config(self), "q": self.q}
