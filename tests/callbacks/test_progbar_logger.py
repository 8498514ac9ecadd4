"""ProgbarLogger: Keras's fit/evaluate/predict progress output, driven through CallbackList."""

import io
import sys
import types

import pytest

from cornu.backend import convert_to_tensor
from cornu.callbacks import CallbackList
from cornu.utils import progbar as progbar_module


class TTY(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(progbar_module, "time", types.SimpleNamespace(time=c.time))
    return c


def _capture(stream, fn):
    saved = sys.stdout
    sys.stdout = stream
    try:
        fn()
    finally:
        sys.stdout = saved
    return stream.getvalue()


def _fit(cbs, clock, epochs=2, steps=3, tensor=convert_to_tensor, validation=True):
    """Drives the hooks as the trainer does (running-average logs, validation at epoch end)."""
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for step in range(steps):
            cbs.on_train_batch_begin(step)
            clock.now += 0.25
            logs = {"loss": tensor(1.0 / (step + 1)), "accuracy": tensor(0.5)}
            cbs.on_train_batch_end(step, logs)
        epoch_logs = {"accuracy": 0.5, "loss": 0.6111}
        if validation:
            cbs.on_test_begin()
            for step in range(2):
                cbs.on_test_batch_begin(step)
                cbs.on_test_batch_end(step, {"loss": tensor(9.0)})
            cbs.on_test_end({"loss": 0.75})
            epoch_logs.update({"val_loss": 0.75, "val_accuracy": 0.625})
        cbs.on_epoch_end(epoch, epoch_logs)
    cbs.on_train_end(epoch_logs)


def test_fit_verbose_1_non_tty_prints_whole_lines(clock):
    cbs = CallbackList(add_progbar=True, verbose=1, epochs=2, steps=3)
    out = _capture(io.StringIO(), lambda: _fit(cbs, clock))
    assert out == (
        "Epoch 1/2\n"
        "3/3 ━━━━━━━━━━━━━━━━━━━━ 1s 250ms/step - accuracy: 0.5000 - loss: 0.6111 "
        "- val_accuracy: 0.6250 - val_loss: 0.7500\n"
        "Epoch 2/2\n"
        "3/3 ━━━━━━━━━━━━━━━━━━━━ 1s 250ms/step - accuracy: 0.5000 - loss: 0.6111 "
        "- val_accuracy: 0.6250 - val_loss: 0.7500\n"
    )


def test_fit_verbose_2_prints_one_line_per_epoch(clock):
    cbs = CallbackList(add_progbar=True, verbose=2, epochs=2, steps=3)
    out = _capture(TTY(), lambda: _fit(cbs, clock))
    lines = out.splitlines()
    assert lines == [
        "Epoch 1/2",
        "3/3 - 1s - 250ms/step - accuracy: 0.5000 - loss: 0.6111 - val_accuracy: 0.6250 "
        "- val_loss: 0.7500",
        "Epoch 2/2",
        "3/3 - 1s - 250ms/step - accuracy: 0.5000 - loss: 0.6111 - val_accuracy: 0.6250 "
        "- val_loss: 0.7500",
    ]


def test_single_epoch_has_no_epoch_line_and_verbose_0_is_silent(clock):
    cbs = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=3)
    out = _capture(io.StringIO(), lambda: _fit(cbs, clock, epochs=1, validation=False))
    assert out == "3/3 ━━━━━━━━━━━━━━━━━━━━ 1s 250ms/step - accuracy: 0.5000 - loss: 0.6111\n"
    cbs = CallbackList(add_progbar=True, verbose=0, epochs=2, steps=3)
    assert _capture(io.StringIO(), lambda: _fit(cbs, clock)) == ""


def test_unknown_steps_are_counted(clock):
    cbs = CallbackList(add_progbar=True, verbose=2, epochs=1, steps=None)
    out = _capture(io.StringIO(), lambda: _fit(cbs, clock, epochs=1, steps=4, validation=False))
    assert out.startswith("4/4 - 1s - 250ms/step - accuracy: 0.5000")


def test_evaluate_and_predict_show_a_bar(clock):
    def evaluate():
        cbs = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
        cbs.on_test_begin()
        for step in range(2):
            clock.now += 0.5
            cbs.on_test_batch_end(step, {"loss": convert_to_tensor(2.0)})
        cbs.on_test_end({"loss": 2.0})

    out = _capture(io.StringIO(), evaluate)
    assert out == "2/2 ━━━━━━━━━━━━━━━━━━━━ 1s 500ms/step - loss: 2.0000\n"

    def predict():
        cbs = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
        cbs.on_predict_begin()
        for step in range(2):
            clock.now += 0.5
            cbs.on_predict_batch_end(step, {"outputs": convert_to_tensor([[1.0]])})
        cbs.on_predict_end()

    assert _capture(io.StringIO(), predict) == "2/2 ━━━━━━━━━━━━━━━━━━━━ 1s 500ms/step\n"


def test_non_tty_has_no_carriage_returns_or_escapes(clock):
    cbs = CallbackList(add_progbar=True, verbose=1, epochs=2, steps=200)
    out = _capture(io.StringIO(), lambda: _fit(cbs, clock, epochs=2, steps=200))  # 50 s each
    assert "\r" not in out and "\b" not in out and "\x1b" not in out
    lines = out.splitlines()
    assert len(lines) == 6  # per epoch: "Epoch i/2", a line at 30 s, the final line
    assert lines[1].startswith("120/200 ━━━━━━━━━━━━──────── 20s 250ms/step - accuracy: 0.5000")


def test_batch_logs_are_read_only_when_the_bar_redraws(clock):
    class Lazy:
        reads = 0

        def __init__(self, value):
            self.value = value

        def __float__(self):
            Lazy.reads += 1
            return self.value

    def run():
        cbs = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=1000)
        cbs.on_train_begin()
        cbs.on_epoch_begin(0)
        for step in range(1000):
            clock.now += 0.001
            cbs.on_train_batch_end(step, {"loss": Lazy(1.0)})
        cbs.on_epoch_end(0, {"loss": 1.0})
        cbs.on_train_end()

    _capture(TTY(), run)
    assert 1 <= Lazy.reads <= 25  # ~20 redraws in 1 s at interval 0.05, not 1000 reads


def test_tty_output_matches_keras(clock, keras):
    from keras.src.utils import progbar as keras_progbar

    class Sync(keras.callbacks.Callback):
        # A batch-level hook turns off Keras's threaded (racy) batch dispatch.
        def on_train_batch_end(self, batch, logs=None):
            pass

    def fit_with(callback_list_cls, callbacks=None):
        clock.now = 1000.0
        cbs = callback_list_cls(callbacks, add_progbar=True, verbose=1, epochs=2, steps=3)
        return _capture(TTY(), lambda: _fit(cbs, clock, tensor=float))

    original = keras_progbar.time
    keras_progbar.time = types.SimpleNamespace(time=clock.time)
    try:
        expected = fit_with(keras.callbacks.CallbackList, [Sync()])
    finally:
        keras_progbar.time = original
    assert fit_with(CallbackList) == expected
