"""compile/fit/evaluate/predict: return values, options and callbacks."""

import numpy as np
import pytest

import cornu
from cornu import callbacks, layers
from cornu.models import Sequential


def _binary_data(n=128, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    return x, y


def _model(**compile_kwargs):
    model = Sequential(
        [
            layers.Input((4,)),
            layers.Dense(8, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    compile_kwargs.setdefault("optimizer", "adam")
    compile_kwargs.setdefault("loss", "binary_crossentropy")
    compile_kwargs.setdefault("metrics", ["accuracy"])
    model.compile(**compile_kwargs)
    return model


def test_fit_returns_history_and_learns():
    x, y = _binary_data()
    model = _model(optimizer=cornu.optimizers.Adam(0.01))
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert isinstance(history, callbacks.History)
    assert model.history is history
    assert history.epoch == list(range(20))
    assert sorted(history.history) == ["accuracy", "loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.85


def test_evaluate_return_forms():
    x, y = _binary_data()
    model = _model()
    loss, acc = model.evaluate(x, y, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == pytest.approx({"loss": loss, "accuracy": acc})
    only_loss = _model(metrics=None).evaluate(x, y, verbose=0)
    assert isinstance(only_loss, float)


def test_predict_returns_numpy_in_order_with_uneven_batches():
    x, _ = _binary_data(n=37)
    model = _model()
    out = model.predict(x, batch_size=8, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (37, 1)
    np.testing.assert_allclose(out, cornu.ops.convert_to_numpy(model(x)), atol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), out[:5], atol=1e-6)


def test_validation_split_takes_the_last_samples():
    x, y = _binary_data(n=100)
    model = _model()
    history = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    val_loss, _ = model.evaluate(x[75:], y[75:], verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-5)


def test_validation_data():
    x, y = _binary_data()
    history = _model().fit(x, y, epochs=1, validation_data=(x[:10], y[:10]), verbose=0)
    assert "val_loss" in history.history


def test_class_weight_equals_the_sample_weights_it_implies():
    x, y = _binary_data(n=64)
    a, b = _model(optimizer="sgd"), _model(optimizer="sgd")
    b.set_weights(a.get_weights())
    a.fit(x, y, class_weight={0: 1.0, 1: 3.0}, shuffle=False, verbose=0)
    b.fit(x, y, sample_weight=np.where(y == 1, 3.0, 1.0), shuffle=False, verbose=0)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, atol=1e-6)


def test_initial_epoch_and_steps_per_epoch():
    x, y = _binary_data(n=64)
    seen = []

    class Count(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    history = _model().fit(
        x,
        y,
        epochs=3,
        initial_epoch=1,
        steps_per_epoch=3,
        batch_size=16,
        callbacks=[Count()],
        verbose=0,
    )
    assert history.epoch == [1, 2]
    assert seen == [0, 1, 2, 0, 1, 2]


def test_callbacks_see_every_hook_and_can_stop_training():
    calls = []

    class Recorder(callbacks.Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")
            assert self.params["epochs"] == 5 and self.params["steps"] == 4

        def on_epoch_end(self, epoch, logs=None):
            calls.append(("epoch_end", epoch, sorted(logs)))
            if epoch == 1:
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            calls.append("train_end")

    x, y = _binary_data(n=64)
    history = _model().fit(x, y, epochs=5, batch_size=16, callbacks=[Recorder()], verbose=0)
    assert calls[0] == "train_begin" and calls[-1] == "train_end"
    assert calls[1] == ("epoch_end", 0, ["accuracy", "loss"])
    assert history.epoch == [0, 1]


def test_train_and_test_on_batch():
    x, y = _binary_data(n=32)
    model = _model()
    loss, acc = model.train_on_batch(x, y)
    assert np.isfinite(loss) and 0 <= acc <= 1
    logs = model.test_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}


def test_loss_weights_and_two_outputs():
    inputs = layers.Input((4,))
    h = layers.Dense(8, activation="relu")(inputs)
    out_a = layers.Dense(1, name="a")(h)
    out_b = layers.Dense(1, activation="sigmoid", name="b")(h)
    model = cornu.Model(inputs, [out_a, out_b])
    model.compile(
        optimizer="adam",
        loss=["mse", "binary_crossentropy"],
        loss_weights=[0.5, 2.0],
        metrics=[[], ["accuracy"]],
    )
    x, y = _binary_data()
    logs = model.fit(x, [x[:, :1], y], epochs=1, verbose=0).history
    assert sorted(logs) == ["a_loss", "b_accuracy", "b_loss", "loss"]
    total = 0.5 * logs["a_loss"][0] + 2.0 * logs["b_loss"][0]
    assert logs["loss"][0] == pytest.approx(total, rel=1e-4)


def test_progress_output_when_not_a_terminal(capsys):
    x, y = _binary_data(n=64)
    _model().fit(x, y, epochs=2, batch_size=16, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "\r" not in out and "\x08" not in out
    assert "4/4" in out
    lines = [line for line in out.splitlines() if "accuracy:" in line]
    assert len(lines) == 2
    assert lines[0].index("accuracy:") < lines[0].index("loss:")


def test_verbose_two_prints_one_line_per_epoch(capsys):
    x, y = _binary_data(n=64)
    _model().fit(x, y, epochs=2, batch_size=16, verbose=2)
    out = capsys.readouterr().out
    epoch_lines = [line for line in out.splitlines() if line.startswith("4/4 - ")]
    assert len(epoch_lines) == 2
