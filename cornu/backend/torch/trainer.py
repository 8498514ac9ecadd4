"""The torch training, evaluation and prediction steps.

A step runs the forward pass, the loss, ``backward()`` and the optimizer's multi-tensor update,
and updates metrics on the device: nothing in a step waits for the device. With
``jit_compile=True`` the training step is one ``torch.compile`` graph (``compiled_step``), and
evaluation and prediction compile the forward pass.
"""

import torch

from cornu.backend.torch.compiled_step import CompiledTrainStep, use_compile_cache
from cornu.core.global_state import weights_version


class TorchTrainer:
    """The backend half of ``Model``: one step of training, evaluation or prediction."""

    def _reset_step_functions(self):
        self._step_cache = None
        self._compiled_forward = None
        self._compiled_train_step = None

    def _step_state(self):
        """Variables to update, their tensors, and the regularized weights; recomputed when
        the set of trainable weights may have changed."""
        key = (id(self.optimizer), weights_version())
        cache = getattr(self, "_step_cache", None)
        if cache is None or cache[0] != key:
            variables = self.trainable_weights
            tensors = [v.value for v in variables]
            regularized = [v for v in self.weights if v.regularizer is not None and v.trainable]
            cache = (key, variables, tensors, regularized)
            self._step_cache = cache
        return cache

    def _regularized_variables(self):
        return self._step_state()[3]

    def _forward(self, x, training):
        wrapped = self.__dict__.get("_data_parallel_module")
        if wrapped is not None and training:
            return wrapped(x, training=training)
        if self.jit_compile and not training:
            if self._compiled_forward is None:
                use_compile_cache()
                self._compiled_forward = torch.compile(self.__call__)
            return self._compiled_forward(x, training=training)
        return self(x, training=training)

    def train_step(self, data):
        """One optimization step on a batch (``x``, ``(x, y)`` or ``(x, y, sample_weight)``);
        returns the logs (the metrics' results)."""
        x, y, sample_weight = _unpack(data)
        y_pred = self._forward(x, training=True)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
        _, variables, tensors, _ = self._step_state()
        if tensors:
            for t in tensors:
                t.grad = None
            # The gradients of the scaled loss; the optimizer divides them by the factor.
            scaled = self.optimizer.scale_loss(loss)
            scale = self.__dict__.get("_shard_loss_scale", 1.0)
            (scaled if scale == 1.0 else scaled * scale).backward()
            with torch.no_grad():
                self.optimizer.apply([t.grad for t in tensors], variables)
        with torch.no_grad():
            weight = _batch_size(x) if self.__dict__.get("_shard_loss_scale", 1.0) else 0
            self._loss_tracker.update_state(loss.detach(), sample_weight=weight)
            return self.compute_metrics(x, y, _detached(y_pred), sample_weight)

    def test_step(self, data):
        """The loss and metrics of a batch, without training; returns the logs."""
        x, y, sample_weight = _unpack(data)
        with torch.no_grad():
            y_pred = self._forward(x, training=False)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
            self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
            return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's outputs for the inputs of a batch."""
        x = _unpack(data)[0]
        with torch.no_grad():
            return self._forward(x, training=False)

    def _train_function(self):
        if not self.jit_compile or type(self).train_step is not TorchTrainer.train_step:
            return self.train_step  # a custom train_step runs as written
        if self._compiled_train_step is None:
            self._compiled_train_step = CompiledTrainStep(self, self.train_step)
        return self._compiled_train_step

    def _test_function(self):
        return self.test_step

    def _predict_function(self):
        return self.predict_step


def _unpack(data):
    """``(x, y, sample_weight)`` from a batch packed as Keras packs it."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if not 1 <= len(data) <= 3:
        raise ValueError(
            "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
            f"found a tuple of {len(data)} elements."
        )
    return data + (None,) * (3 - len(data))


def _detached(y_pred):
    # Metrics need no graph; the mask that layers attached to the outputs stays with them.
    if not isinstance(y_pred, torch.Tensor):
        return y_pred
    detached = y_pred.detach()
    mask = getattr(y_pred, "_keras_mask", None)
    if mask is not None:
        detached._keras_mask = mask
    return detached


def _batch_size(x):
    while not isinstance(x, torch.Tensor):
        x = next(iter(x.values())) if isinstance(x, dict) else x[0]
    return x.shape[0]
