"""Subclassed models: call(), training flag, weights, fit."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.models import Model


class TwoLayer(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(8, activation="relu")
        self.dropout = layers.Dropout(0.5)
        self.out = layers.Dense(1)
        self.seen_training = []

    def call(self, inputs, training=None):
        self.seen_training.append(training)
        return self.out(self.dropout(self.hidden(inputs)))


def test_subclassed_model_builds_on_first_call_and_tracks_layers():
    model = TwoLayer()
    assert model.weights == []
    y = model(np.ones((3, 5), "float32"))
    assert tuple(y.shape) == (3, 1)
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]
    assert len(model.trainable_weights) == 4
    if cornu.backend.backend() == "torch":  # the torch.nn.Module view
        assert {n for n, _ in model.named_parameters()} == {
            "hidden.kernel",
            "hidden.bias",
            "out.kernel",
            "out.bias",
        }


def test_training_flag_reaches_nested_layers():
    model = TwoLayer()
    x = np.ones((200, 5), "float32")
    a = ops.convert_to_numpy(model(x))
    b = ops.convert_to_numpy(model(x))
    np.testing.assert_array_equal(a, b)  # inference: dropout off
    model(x, training=True)
    assert model.seen_training[-1] is True


def test_build_with_input_shape():
    model = TwoLayer()
    model.build((None, 5))
    assert model.built and model.count_params() == 5 * 8 + 8 + 9


@pytest.mark.requires_training
def test_subclassed_model_trains():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 5)).astype("float32")
    y = x @ np.arange(1, 6, dtype="float32")[:, None]
    model = TwoLayer()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@pytest.mark.requires_training
def test_subclass_that_calls_the_functional_constructor():
    import numpy as np

    import cornu

    class Wide(cornu.Model):
        def __init__(self, units):
            inputs = cornu.Input((3,))
            outputs = cornu.layers.Dense(units, kernel_initializer="ones")(inputs)
            super().__init__(inputs, outputs, name="wide")
            self.units = units

        def describe(self):
            return f"{self.name} with {self.units} units"

    model = Wide(2)
    assert model.describe() == "wide with 2 units"
    assert len(model.layers) == 2 and model.outputs[0].shape == (None, 2)
    np.testing.assert_allclose(model.predict(np.ones((1, 3)), verbose=0), [[3.0, 3.0]])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3)), np.zeros((4, 2)), verbose=0)


class _OldStyleLoss(cornu.Model):
    """Overrides `compute_loss` as before Keras 3.3: no `training` parameter."""

    def __init__(self):
        super().__init__()
        self.dense = cornu.layers.Dense(1)
        self.calls = 0

    def call(self, x):
        return self.dense(x)

    def compute_loss(self, x, y, y_pred, sample_weight):
        self.calls += 1
        return cornu.ops.mean(cornu.ops.abs(y - y_pred)) * 2.0


class _TrainingAwareLoss(_OldStyleLoss):
    def compute_loss(self, x, y, y_pred, sample_weight, training=True):
        self.calls += 1
        self.seen.append(training)
        return cornu.ops.mean(cornu.ops.abs(y - y_pred))


@pytest.mark.requires_training
def test_compute_loss_override_without_training_runs_in_fit_and_evaluate():
    x = np.arange(8, dtype="float32").reshape(4, 2)
    y = np.ones((4, 1), "float32")
    model = _OldStyleLoss()
    model.compile("sgd")
    model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    loss = model.evaluate(x, y, batch_size=4, verbose=0)
    expected = 2.0 * np.mean(np.abs(y - model.predict(x, verbose=0)))
    assert loss == pytest.approx(expected, rel=1e-6)
    assert model.calls == 3


@pytest.mark.requires_training
def test_compute_loss_override_with_training_is_told_the_phase():
    x = np.arange(8, dtype="float32").reshape(4, 2)
    y = np.ones((4, 1), "float32")
    model = _TrainingAwareLoss()
    model.seen = []
    model.compile("sgd")
    # A compiled step may trace the loss more than once (JAX, TensorFlow): every call in fit
    # is told training=True, every call in evaluate training=False.
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    fit_seen, model.seen = model.seen, []
    model.evaluate(x, y, batch_size=4, verbose=0)
    assert fit_seen and all(seen is True for seen in fit_seen)
    assert model.seen and all(seen is False for seen in model.seen)
