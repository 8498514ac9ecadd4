"""The NumPy evaluation and prediction steps. The NumPy backend cannot train: it has no
gradients, so ``train_step`` (and with it ``fit`` and ``train_on_batch``) raises."""

import numpy as np

from cornu.backend.numpy.core import TRAINING_BACKENDS


class NumpyTrainer:
    """The backend half of ``Model``: one step of evaluation or prediction."""

    def _reset_step_functions(self):
        self._numpy_step_cache = None

    def _regularized_variables(self):
        return [v for v in self.weights if v.regularizer is not None and v.trainable]

    def train_step(self, data):
        """Raises: the NumPy backend runs inference only."""
        raise NotImplementedError(
            "The NumPy backend cannot train a model: it computes no gradients, so `fit` and "
            "`train_on_batch` are unavailable. It runs inference (`predict`, `evaluate`, "
            f"calling the model). To train, use a backend that can ({TRAINING_BACKENDS}): set "
            "CORNU_BACKEND=torch (or jax), train and save the model, then load it here."
        )

    def test_step(self, data):
        """The loss and metrics of a batch; returns the logs."""
        x, y, sample_weight = _unpack(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False
        )
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's outputs for the inputs of a batch."""
        x = _unpack(data)[0]
        return self(x, training=False)

    def _train_function(self):
        return self.train_step

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


def _batch_size(x):
    while not isinstance(x, (np.ndarray, np.generic)):
        x = next(iter(x.values())) if isinstance(x, dict) else x[0]
    return np.shape(x)[0]
