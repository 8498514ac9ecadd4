"""EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, CSVLogger, TerminateOnNaN,
LambdaCallback, RemoteMonitor and TensorBoard, against Keras's behaviour on the same run."""

import csv
import http.server
import json
import threading

import numpy as np
import pytest

import cornu


def _data():
    rng = np.random.RandomState(0)
    x = rng.standard_normal((32, 4)).astype("float32")
    y = (x @ rng.standard_normal((4, 1)) + 0.3 * rng.standard_normal((32, 1))).astype("float32")
    return x, y


def _pair(keras, lr=0.05):
    models = []
    for lib in (cornu, keras):
        model = lib.Sequential(
            [lib.Input((4,)), lib.layers.Dense(3, activation="tanh"), lib.layers.Dense(1)]
        )
        model.compile(optimizer=lib.optimizers.SGD(lr), loss="mse", metrics=["mae"])
        models.append(model)
    models[0].set_weights(models[1].get_weights())
    return models


def _fit_both(keras, make_callback, epochs=12, **fit_kwargs):
    x, y = _data()
    results = []
    for lib, model in zip((cornu, keras), _pair(keras)):
        callback = make_callback(lib)
        history = model.fit(
            x,
            y,
            batch_size=8,
            epochs=epochs,
            shuffle=False,
            verbose=0,
            callbacks=[callback],
            **fit_kwargs,
        )
        results.append((model, callback, history))
    return results


@pytest.mark.parametrize(
    "kwargs",
    [
        {"monitor": "loss", "min_delta": 0.02, "patience": 1},
        {"monitor": "loss", "min_delta": 0.01, "patience": 2, "restore_best_weights": True},
        {"monitor": "val_mae", "patience": 0, "start_from_epoch": 3},
        {"monitor": "loss", "baseline": 0.01, "patience": 3, "restore_best_weights": True},
    ],
)
def test_early_stopping_stops_and_restores_like_keras(keras, kwargs):
    x, y = _data()
    (ours, ours_cb, ours_h), (theirs, theirs_cb, theirs_h) = _fit_both(
        keras,
        lambda lib: lib.callbacks.EarlyStopping(**kwargs),
        validation_data=(x[:8], y[:8]),
    )
    assert len(ours_h.history["loss"]) == len(theirs_h.history["loss"])
    assert ours_cb.stopped_epoch == theirs_cb.stopped_epoch
    assert ours_cb.best_epoch == theirs_cb.best_epoch
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_early_stopping_auto_mode_maximizes_accuracy(keras):
    callback = cornu.callbacks.EarlyStopping(monitor="val_accuracy")
    model = cornu.Sequential([cornu.Input((2,)), cornu.layers.Dense(2, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.zeros((2, 2)), np.zeros((2,)), verbose=0)
    callback.set_model(model)
    callback._set_monitor_op()
    assert callback.monitor_op(0.9, 0.8)
    callback = cornu.callbacks.EarlyStopping(monitor="val_sum_of_things")
    callback.set_model(model)
    with pytest.raises(ValueError, match="mode='max'"):
        callback._set_monitor_op()


def test_reduce_lr_on_plateau_sets_the_same_rates_as_keras(keras):
    (_, _, ours_h), (_, _, theirs_h) = _fit_both(
        keras,
        lambda lib: lib.callbacks.ReduceLROnPlateau(
            monitor="loss", factor=0.5, patience=1, min_delta=0.1, cooldown=1, min_lr=0.004
        ),
    )
    np.testing.assert_allclose(
        ours_h.history["learning_rate"], theirs_h.history["learning_rate"], rtol=1e-6
    )
    assert min(ours_h.history["learning_rate"]) < 0.05
    np.testing.assert_allclose(ours_h.history["loss"], theirs_h.history["loss"], rtol=1e-4)


def test_reduce_lr_on_plateau_rejects_factor_above_one():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        cornu.callbacks.ReduceLROnPlateau(factor=1.5)


def test_learning_rate_scheduler_matches_keras(keras):
    def schedule(epoch, lr):
        return lr if epoch < 2 else lr * 0.5

    (_, _, ours_h), (_, _, theirs_h) = _fit_both(
        keras, lambda lib: lib.callbacks.LearningRateScheduler(schedule), epochs=5
    )
    np.testing.assert_allclose(
        ours_h.history["learning_rate"], theirs_h.history["learning_rate"], rtol=1e-6
    )
    np.testing.assert_allclose(ours_h.history["loss"], theirs_h.history["loss"], rtol=1e-4)
    with pytest.raises(ValueError, match="should be a float"):
        model = _pair(keras)[0]
        x, y = _data()
        model.fit(x, y, verbose=0, callbacks=[cornu.callbacks.LearningRateScheduler(lambda e: "x")])


def _rows(path):
    with open(path) as f:
        return list(csv.reader(f))


def test_csv_logger_writes_keras_rows_and_appends(keras, tmp_path):
    x, y = _data()
    paths = {"cornu": tmp_path / "ours.csv", "keras": tmp_path / "theirs.csv"}
    for lib, model in zip((cornu, keras), _pair(keras)):
        path = paths[lib.__name__]
        for _ in range(2):
            model.fit(
                x,
                y,
                epochs=2,
                verbose=0,
                shuffle=False,
                validation_data=(x, y),
                callbacks=[lib.callbacks.CSVLogger(str(path), append=True)],
            )
    ours, theirs = _rows(paths["cornu"]), _rows(paths["keras"])
    assert ours[0] == theirs[0]
    assert len(ours) == len(theirs) == 5
    np.testing.assert_allclose(
        np.array(ours[1:], dtype=float), np.array(theirs[1:], dtype=float), rtol=1e-4
    )


def test_terminate_on_nan_stops_training():
    x, y = _data()
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(1)])
    model.compile(optimizer=cornu.optimizers.SGD(1e6), loss="mse")
    history = model.fit(
        x, y * 1e6, batch_size=4, epochs=5, verbose=0, callbacks=[cornu.callbacks.TerminateOnNaN()]
    )
    assert len(history.history["loss"]) == 1
    with pytest.raises(RuntimeError, match="NaN or Inf loss"):
        model.fit(
            x,
            y * 1e6,
            batch_size=4,
            epochs=1,
            verbose=0,
            callbacks=[cornu.callbacks.TerminateOnNaN(raise_error=True)],
        )


def test_lambda_callback_hooks_receive_epochs_batches_and_logs():
    x, y = _data()
    seen = []
    callback = cornu.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(("epoch", epoch, round(logs["loss"], 6))),
        on_batch_end=lambda batch, logs: seen.append(("batch", batch)),
        on_train_end=lambda logs: seen.append("end"),
    )
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(1)])
    model.compile(loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[callback])
    assert seen[:3] == [
        ("batch", 0),
        ("batch", 1),
        ("epoch", 0, round(history.history["loss"][0], 6)),
    ]
    assert seen[-1] == "end"
    with pytest.raises(ValueError, match="unknown hook"):
        cornu.callbacks.LambdaCallback(on_epoch_middle=print)


def test_remote_monitor_posts_json(tmp_path):
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        x, y = _data()
        model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(1)])
        model.compile(loss="mse")
        monitor = cornu.callbacks.RemoteMonitor(
            root=f"http://127.0.0.1:{server.server_port}", path="/epochs", send_as_json=True
        )
        history = model.fit(x, y, epochs=2, verbose=0, callbacks=[monitor])
    finally:
        server.shutdown()
    assert [r[0] for r in received] == ["/epochs", "/epochs"]
    assert received[1][1]["epoch"] == 1
    np.testing.assert_allclose(received[1][1]["loss"], history.history["loss"][1])


def test_tensorboard_event_files_hold_the_scalars(tmp_path):
    pytest.importorskip("tensorboardX")
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator"
    )
    x, y = _data()
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(2), cornu.layers.Dense(1)])
    model.compile(optimizer=cornu.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    history = model.fit(
        x,
        y,
        epochs=3,
        verbose=0,
        validation_data=(x, y),
        callbacks=[cornu.callbacks.TensorBoard(str(tmp_path), histogram_freq=1, update_freq=2)],
    )
    train = event_accumulator.EventAccumulator(
        str(tmp_path / "train"), size_guidance={"scalars": 0}
    )
    train.Reload()
    tags = train.Tags()
    assert {"epoch_loss", "epoch_mae", "epoch_learning_rate", "batch_loss"} <= set(tags["scalars"])
    losses = [event.value for event in train.Scalars("epoch_loss")]
    np.testing.assert_allclose(losses, history.history["loss"], rtol=1e-6)
    np.testing.assert_allclose([e.value for e in train.Scalars("epoch_learning_rate")], [0.01] * 3)
    assert [e.step for e in train.Scalars("epoch_loss")] == [0, 1, 2]
    assert len(tags["histograms"]) == 4
    validation = event_accumulator.EventAccumulator(str(tmp_path / "validation"))
    validation.Reload()
    np.testing.assert_allclose(
        [e.value for e in validation.Scalars("epoch_loss")], history.history["val_loss"], rtol=1e-6
    )


def test_swap_ema_weights_validates_with_the_averages_like_keras(keras):
    x, y = _data()
    results = []
    for lib, model in zip((cornu, keras), _pair(keras)):
        model.compile(optimizer=lib.optimizers.SGD(0.05, use_ema=True), loss="mse")
        history = model.fit(
            x,
            y,
            batch_size=8,
            epochs=3,
            shuffle=False,
            verbose=0,
            validation_data=(x, y),
            callbacks=[lib.callbacks.SwapEMAWeights()],
        )
        results.append((history.history, model.get_weights()))
    (ours, ours_w), (theirs, theirs_w) = results
    np.testing.assert_allclose(ours["val_loss"], theirs["val_loss"], rtol=1e-5)
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=1e-5)
    for a, b in zip(ours_w, theirs_w):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_swap_ema_weights_puts_the_trained_weights_back_after_predict():
    x, y = _data()
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(1)])
    model.compile(optimizer=cornu.optimizers.SGD(0.05, use_ema=True), loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    before = model.get_weights()
    model.predict(x, verbose=0, callbacks=[cornu.callbacks.SwapEMAWeights()])
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    plain = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(1)])
    plain.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="use_ema=True"):
        plain.fit(
            x, y, verbose=0, validation_data=(x, y), callbacks=[cornu.callbacks.SwapEMAWeights()]
        )
