"""MonitorCallback: the shared logic of callbacks that watch one metric (min or max)."""

import warnings

from cornu.callbacks.callback import Callback
from cornu.metrics.metric import leaf_metrics


class MonitorCallback(Callback):
    """Base class of callbacks that watch a metric and compare it with the best value so far.

    Args:
        monitor: the name of the metric in the logs (``"val_loss"``).
        mode: ``"min"``, ``"max"`` or ``"auto"`` (the direction is taken from the metric:
            losses and errors go down, accuracies and AUCs go up).
        baseline: a starting best value, or None.
        min_delta: the smallest change that counts as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    # The attributes BackupAndRestore saves and puts back (see ``Callback.get_state``).
    _resumable_state = ("best",)

    def get_state(self):
        """The counters and best value so far, for ``BackupAndRestore``."""
        return {name: _plain(getattr(self, name, None)) for name in self._resumable_state}

    def set_state(self, state):
        """Puts back what ``get_state`` returned."""
        for name in self._resumable_state:
            if name in state:
                setattr(self, name, state[name])

    def _set_monitor_op(self):
        direction = None
        if self.mode in ("min", "max"):
            direction = "down" if self.mode == "min" else "up"
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss" or name.endswith("_loss"):
                direction = "down"
            for metric in leaf_metrics(getattr(self.model, "metrics", None) or []):
                if metric.name == name and getattr(metric, "_direction", None):
                    direction = metric._direction
            if direction is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but cornu "
                    "isn't able to automatically determine whether that metric should be "
                    "maximized or minimized. Pass `mode='max'` in order to monitor based on the "
                    "highest metric value, or pass `mode='min'` in order to use the lowest value."
                )
        self._lower_is_better = direction == "down"
        self.monitor_op = _less if self._lower_is_better else _greater
        self._signed_delta = -self.min_delta if self._lower_is_better else self.min_delta

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return self.monitor_op(value - self._signed_delta, reference)


def _less(a, b):
    return a < b


def _greater(a, b):
    return a > b


def _plain(value):
    """A JSON-friendly copy of a monitored value (NumPy and 0-d tensors become floats)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
