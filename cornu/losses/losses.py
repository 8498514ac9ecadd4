"""The built-in losses: regression errors and cross-entropies, as functions and as classes."""

import warnings

from cornu import ops
from cornu.core import tree
from cornu.losses.loss import Loss, set_keras_mask, squeeze_or_expand_to_same_rank
from cornu.saving import serialization_lib


class LossFunctionWrapper(Loss):
    """A ``Loss`` that calls ``fn(y_true, y_pred, **kwargs)`` for the per-sample losses.

    ``y_true`` and ``y_pred`` are first brought to the same rank (see
    ``squeeze_or_expand_to_same_rank``).

    Args:
        fn: the loss function.
        reduction: see ``Loss``.
        name: the loss's name.
        dtype: the dtype the loss is computed in.
        **kwargs: further arguments for ``fn``.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs
        # Class indices stay integers: casting them to floats and back changes nothing.
        self._cast_y_true = not getattr(fn, "_integer_labels", False)

    def call(self, y_true, y_pred):
        if isinstance(y_true, (list, tuple, dict)):
            pairs = [
                squeeze_or_expand_to_same_rank(t, p)
                for t, p in zip(tree.flatten(y_true), tree.flatten(y_pred))
            ]
            y_true = tree.pack_sequence_as(y_true, [t for t, _ in pairs])
            y_pred = tree.pack_sequence_as(y_pred, [p for _, p in pairs])
        else:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialization_lib.serialize_keras_object(self.fn)
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config and not callable(config["fn"]):
            from cornu.losses import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class MeanSquaredError(LossFunctionWrapper):
    """Mean of the squared errors: ``loss = mean(square(y_true - y_pred))``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of the absolute errors: ``loss = mean(abs(y_true - y_pred))``.

    Args:
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)``; per-sample losses of
    ``(batch, d0, ..., dN-1)``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class BinaryCrossentropy(LossFunctionWrapper):
    """Cross-entropy between binary labels (0 or 1) and predicted probabilities or logits.

    ``loss = -mean(y_true * log(p) + (1 - y_true) * log(1 - p))`` over the last axis.

    Args:
        from_logits: whether ``y_pred`` holds logits; probabilities (clipped to
            ``[epsilon, 1 - epsilon]``) when False.
        label_smoothing: in ``[0, 1]``; above 0 the labels move towards 0.5:
            ``y_true * (1 - label_smoothing) + 0.5 * label_smoothing``.
        axis: the axis the mean is taken over.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` and ``y_pred`` of ``(batch, d0, ..., dN)`` (``y_true`` may also be
    ``(batch,)`` against ``(batch, 1)``); per-sample losses of ``(batch, d0, ..., dN-1)``.
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            from_logits=self.from_logits, label_smoothing=self.label_smoothing, axis=self.axis
        )
        return config


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between one-hot (or soft) labels and predicted class probabilities or logits.

    ``loss = -sum(y_true * log(p))`` over ``axis``.

    Args:
        from_logits: whether ``y_pred`` holds logits; probabilities (renormalised to sum to 1
            and clipped to ``[epsilon, 1 - epsilon]``) when False.
        label_smoothing: in ``[0, 1]``; above 0 the labels become
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
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            from_logits=self.from_logits, label_smoothing=self.label_smoothing, axis=self.axis
        )
        return config


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between integer class labels and predicted class probabilities or logits.

    Args:
        from_logits: whether ``y_pred`` holds logits; probabilities when False.
        ignore_class: an optional class index (such as -1 or 255) whose entries add no loss
            and are left out of the average.
        reduction: see ``Loss``; ``"sum_over_batch_size"`` by default.
        axis: the class axis of ``y_pred``.
        name: the loss's name.
        dtype: the dtype the loss is computed in; ``floatx()`` when None.

    Shapes: ``y_true`` of ``(batch, ...)`` or ``(batch, ..., 1)``, int or float; ``y_pred`` of
    ``(batch, ..., num_classes)``; per-sample losses of ``(batch, ...)``.
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def get_config(self):
        config = Loss.get_config(self)
        config.update(from_logits=self.from_logits, ignore_class=self.ignore_class)
        return config


def mean_squared_error(y_true, y_pred):
    """Mean squared error over the last axis: ``mean(square(y_true - y_pred), axis=-1)``.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, shape ``(batch, d0, ..., dN)``.

    Returns:
        The errors, shape ``(batch, d0, ..., dN-1)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error over the last axis: ``mean(abs(y_true - y_pred), axis=-1)``.

    Args:
        y_true: the targets, shape ``(batch, d0, ..., dN)``.
        y_pred: the predictions, shape ``(batch, d0, ..., dN)``.

    Returns:
        The errors, shape ``(batch, d0, ..., dN-1)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy, averaged over ``axis``.

    Args:
        y_true: labels in ``[0, 1]``, shape ``(batch, d0, ..., dN)``.
        y_pred: probabilities (or logits when ``from_logits``), the same shape.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; labels become
            ``y_true * (1 - label_smoothing) + 0.5 * label_smoothing``.
        axis: the axis the mean is taken over.

    Returns:
        The losses, shape ``(batch, d0, ..., dN-1)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Categorical cross-entropy between one-hot (or soft) labels and predictions.

    Args:
        y_true: one-hot labels, shape ``(batch, ..., num_classes)``.
        y_pred: class probabilities (or logits when ``from_logits``), the same shape.
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
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if "
            "you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Categorical cross-entropy between integer class labels and predictions.

    Args:
        y_true: class indices, shape ``(batch, ...)`` or ``(batch, ..., 1)``, int or float.
        y_pred: class probabilities (or logits when ``from_logits``), shape
            ``(batch, ..., num_classes)``.
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: an optional class index whose entries give 0 and are masked out of
            the reduction.
        axis: the class axis of ``y_pred``.

    Returns:
        The losses, shape ``(batch, ...)``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis)
    _check_sparse_targets(y_true.shape, y_pred.shape, axis)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(
            y_true, y_pred, from_logits=from_logits, axis=axis
        )
    class_axis = axis % len(y_pred.shape)
    loss_shape = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
    valid = ops.not_equal(y_true, ignore_class)
    y_true = ops.where(valid, y_true, ops.zeros_like(y_true))
    y_pred = ops.where(ops.expand_dims(valid, axis), y_pred, ops.zeros_like(y_pred))
    losses = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    valid = ops.reshape(valid, loss_shape)
    losses = ops.where(valid, losses, ops.zeros_like(losses))
    set_keras_mask(losses, valid)
    return losses


sparse_categorical_crossentropy._integer_labels = True


def _check_sparse_targets(true_shape, pred_shape, axis):
    """Keras's check that class indices have the predictions' shape without the class axis,
    with the likely mistake named: one-hot targets given to a sparse loss."""
    if not pred_shape:
        return
    expected = list(pred_shape)
    del expected[axis]
    if len(true_shape) != len(expected) or any(
        a is not None and b is not None and a != b for a, b in zip(true_shape, expected)
    ):
        hint = ""
        if len(true_shape) == len(pred_shape) and true_shape[-1] == pred_shape[-1]:
            hint = (
                " The targets look one-hot encoded: use `categorical_crossentropy` for one-hot "
                "targets, or pass the class indices (`argmax` of the one-hot vectors)."
            )
        raise ValueError(
            "sparse_categorical_crossentropy: arguments `target` and `output` must have the "
            "same shape up until the last dimension (integer class indices, one per "
            f"prediction): target.shape={tuple(true_shape)}, output.shape={tuple(pred_shape)}."
            + hint
        )
