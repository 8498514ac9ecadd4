"""History.plot / plot_history: one panel per metric, train against validation, saved files."""

import numpy as np
import pytest

import cornu
from cornu.callbacks import History
from cornu.visualization import plot_history

pytest.importorskip("matplotlib")


def history_of(logs):
    history = History()
    history.history = logs
    history.epoch = list(range(len(next(iter(logs.values())))))
    return history


def test_fit_history_plots_one_panel_per_metric(tmp_path):
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = np.random.rand(16, 3).astype("float32"), np.arange(16) % 2
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0)
    figure = history.plot(path=tmp_path / "curves.png")
    assert [ax.get_title() for ax in figure.axes] == ["loss", "accuracy"]
    for ax in figure.axes:
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert sorted(lines) == ["train", "validation"]
        assert list(lines["train"].get_xdata()) == [1, 2, 3]
    np.testing.assert_allclose(
        figure.axes[0].get_lines()[1].get_ydata(), history.history["val_loss"], rtol=1e-6
    )
    with open(tmp_path / "curves.png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_plot_history_dict_metrics_and_formats(tmp_path):
    logs = {"loss": [3.0, 2.0], "mae": [1.0, 0.5], "val_loss": [3.5, 2.5]}
    figure = plot_history(logs, path=tmp_path / "h.svg", metrics=["mae"])
    assert [ax.get_title() for ax in figure.axes] == ["mae"]
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["train"]
    assert (tmp_path / "h.svg").read_text().lstrip().startswith("<?xml")
    plot_history(history_of(logs), path=tmp_path / "h.pdf")
    assert (tmp_path / "h.pdf").read_bytes()[:4] == b"%PDF"


def test_plot_history_bad_input():
    with pytest.raises(ValueError, match="no values recorded for metrics \\['acc'\\]"):
        plot_history({"loss": [1.0]}, metrics=["acc"])
    with pytest.raises(ValueError, match="history is empty"):
        plot_history(History())
    with pytest.raises(TypeError, match="must be the History object"):
        plot_history([1.0, 2.0])
