"""Progbar: Keras 3's exact output on a terminal, whole lines elsewhere, lazy value reads."""

import io
import sys
import types

import pytest

from cornu.utils import Progbar
from cornu.utils import progbar as progbar_module


class TTY(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(progbar_module, "time", types.SimpleNamespace(time=c.time))
    return c


class _Redirect:
    """Replaces sys.stdout with `stream` from the first use in the test body (pytest sets its
    own capture stream after fixtures run, so a fixture cannot do it directly)."""

    def __init__(self, stream):
        self.stream = stream
        self._saved = None

    def start(self):
        self._saved = sys.stdout
        sys.stdout = self.stream
        return self.stream

    def stop(self):
        if self._saved is not None:
            sys.stdout = self._saved


@pytest.fixture
def tty():
    redirect = _Redirect(TTY())
    yield redirect
    redirect.stop()


@pytest.fixture
def pipe():
    redirect = _Redirect(io.StringIO())
    yield redirect
    redirect.stop()


def _run_epoch(clock, bar, steps, step_time=0.0061):
    for i in range(1, steps + 1):
        clock.now += step_time
        bar.update(i, [("accuracy", 0.9123), ("loss", 0.28124)])


def test_tty_final_line_is_keras_format(clock, tty):
    tty = tty.start()
    bar = Progbar(469, stateful_metrics=["accuracy", "loss"])
    _run_epoch(clock, bar, 469)
    last = tty.getvalue().split("\r")[-1]
    assert last == (
        "\x1b[1m469/469\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m "
        "\x1b[1m3s\x1b[0m 6ms/step - accuracy: 0.9123 - loss: 0.2812\n"
    )


def test_tty_running_line_shows_eta(clock, tty):
    tty = tty.start()
    bar = Progbar(100, stateful_metrics=["loss"])
    clock.now += 0.5
    bar.update(1, [("loss", 2.0)])
    clock.now += 0.5
    bar.update(50, [("loss", 1.5)])
    line = tty.getvalue().split("\r")[-1]
    assert line.startswith("\x1b[1m 50/100\x1b[0m \x1b[32m━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━")
    assert " \x1b[1m0s\x1b[0m 10ms/step - loss: 1.5000" in line  # ETA: 50 steps of 10 ms
    assert "\n" not in line


def test_tty_output_matches_keras(clock, tty, keras):
    tty = tty.start()
    from keras.src.utils import progbar as keras_progbar

    def run(module, **kwargs):
        clock.now = 1000.0
        tty.seek(0)
        tty.truncate()
        original = module.time
        module.time = types.SimpleNamespace(time=clock.time)
        try:
            bar = module.Progbar(50, **kwargs)
            for i in range(1, 51):
                clock.now += 0.013 * (1 + i % 3)
                bar.update(i, [("loss", 1.0 / i), ("acc", 1e-5 * i)])
        finally:
            module.time = original
        return tty.getvalue()

    for kwargs in ({}, {"stateful_metrics": ["loss"]}, {"verbose": 2}):
        expected = run(keras_progbar, **kwargs)
        assert run(progbar_module, **kwargs) == expected


def test_verbose_2_prints_one_line_at_the_end(clock, pipe):
    pipe = pipe.start()
    bar = Progbar(469, verbose=2, stateful_metrics=["accuracy", "loss"])
    _run_epoch(clock, bar, 469)
    assert pipe.getvalue() == "469/469 - 3s - 6ms/step - accuracy: 0.9123 - loss: 0.2812\n"


def test_non_tty_gets_one_whole_line_per_epoch(clock, pipe):
    pipe = pipe.start()
    bar = Progbar(469, stateful_metrics=["accuracy", "loss"])
    _run_epoch(clock, bar, 469)
    out = pipe.getvalue()
    assert out == "469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.9123 - loss: 0.2812\n"
    assert "\r" not in out and "\b" not in out and "\x1b" not in out


def test_non_tty_long_epoch_prints_a_line_every_30_seconds(clock, pipe):
    pipe = pipe.start()
    bar = Progbar(800, stateful_metrics=["loss"])
    _run_epoch(clock, bar, 800, step_time=0.125)  # 100 s
    lines = pipe.getvalue().splitlines(keepends=True)
    assert len(lines) == 4  # at ~30 s, ~60 s, ~90 s, and the end
    assert all(line.endswith("\n") and "\r" not in line and "\b" not in line for line in lines)
    assert lines[0].startswith("240/800 ━━━━━━────────────── 1:10 125ms/step - accuracy: 0.9123")
    assert lines[-1].startswith("800/800 ━━━━━━━━━━━━━━━━━━━━ 100s 125ms/step - accuracy")


def test_tiny_values_use_exponent_format(clock, pipe):
    pipe = pipe.start()
    bar = Progbar(2, stateful_metrics=["lr", "loss"])
    bar.update(2, [("lr", 1e-4), ("loss", 0.0)])
    assert pipe.getvalue().endswith(" - lr: 1.0000e-04 - loss: 0.0000e+00\n")


def test_stateless_values_are_averaged(clock, pipe):
    pipe = pipe.start()
    bar = Progbar(3, verbose=1)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 2.0)])
    bar.update(3, [("loss", 3.0)], finalize=False)
    bar.update(3, None, finalize=True)
    assert pipe.getvalue().endswith(" - loss: 2.0000\n")


def test_unknown_target_and_add(clock, pipe):
    pipe = pipe.start()
    bar = Progbar(None)
    bar.add(5)
    bar.add(2)
    bar.update(7, finalize=True)
    assert pipe.getvalue() == "      7/Unknown 0s 0s/step\n"


class CountingValue:
    """A stand-in for a 0-d device tensor: counts the (syncing) conversions to float."""

    def __init__(self, value):
        self.value = value
        self.reads = 0

    def __float__(self):
        self.reads += 1
        return self.value


def test_values_are_read_only_when_drawn(clock, tty):
    tty = tty.start()
    bar = Progbar(1000, stateful_metrics=["loss"])
    values = []
    for i in range(1, 1001):
        clock.now += 0.001  # 1000 steps in 1 s: about 20 redraws at interval=0.05
        value = CountingValue(1.0 / i)
        values.append(value)
        bar.update(i, [("loss", value)])
    reads = sum(v.reads for v in values)
    assert 2 <= reads <= 25
    assert values[-1].reads == 1  # the final line


def test_rejects_both_metric_lists():
    with pytest.raises(ValueError, match="only one"):
        Progbar(10, stateful_metrics=["a"], stateless_metrics=["b"])
