"""plot_history: training curves, one panel per metric, train against validation."""

import os

from cornu.utils.durable_files import atomic_write

_MATPLOTLIB_MISSING = (
    "`{}` requires matplotlib. Install it with `pip install matplotlib` (or "
    '`pip install "cornu[viz]"`).'
)


def figure_class(caller):
    """matplotlib's `Figure` class (drawn by the Agg canvas: no display needed)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(_MATPLOTLIB_MISSING.format(caller)) from error
    return Figure


def _logs_of(history):
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(
            "plot_history: `history` must be the History object that `fit` returns, or its "
            f"`history` dict of metric name to per-epoch values. Received: {history!r}"
        )
    logs = {k: list(v) for k, v in logs.items() if v is not None and len(v) > 0}
    if not logs:
        raise ValueError(
            "plot_history: the history is empty (no epoch was recorded). Train the model with "
            "`fit` first."
        )
    return logs


def plot_history(history, path=None, metrics=None, figsize=None, dpi=100):
    """Plots training curves: one panel per metric, the training values against the
    validation ones (`val_<name>`) over the epochs.

    Args:
        history: the `History` object that `fit` returns (or its `.history` dict).
        path: where to save the figure (any format matplotlib writes: png, svg, pdf...);
            None saves nothing.
        metrics: the metric names to plot, in order (default: every training metric in the
            history, `loss` first).
        figsize: the figure's size in inches (default: 4 wide and 3 high per panel).
        dpi: resolution of the saved picture.

    Returns:
        The matplotlib `Figure`, drawn headless (the Agg canvas), with one axis per metric.
    """
    Figure = figure_class("plot_history")
    logs = _logs_of(history)
    epochs = list(getattr(history, "epoch", None) or [])
    if metrics is None:
        names = [k for k in logs if not k.startswith("val_")]
        names += [k[4:] for k in logs if k.startswith("val_") and k[4:] not in logs]
        names = [k for k in names if k == "loss"] + [k for k in names if k != "loss"]
    else:
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        unknown = [k for k in names if k not in logs and f"val_{k}" not in logs]
        if unknown:
            raise ValueError(
                f"plot_history: no values recorded for metrics {unknown}. The history holds "
                f"{sorted(logs)}."
            )
    figure = Figure(figsize=figsize or (4 * len(names), 3), dpi=dpi, layout="tight")
    axes = figure.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names):
        for key, label, style in ((name, "train", "-o"), (f"val_{name}", "validation", "--o")):
            values = logs.get(key)
            if values is None:
                continue
            xs = epochs[: len(values)] if len(epochs) >= len(values) else range(len(values))
            ax.plot([x + 1 for x in xs], [float(v) for v in values], style, label=label, ms=3)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
        ax.legend()
    if path is not None:
        save_figure(figure, path, dpi)
    return figure


def save_figure(figure, path, dpi=None):
    """Saves a matplotlib figure to `path` atomically (format from the extension)."""
    path = os.fspath(path)
    extension = os.path.splitext(path)[1][1:] or "png"
    with atomic_write(path, "wb") as f:
        figure.savefig(f, format=extension, dpi=dpi)
