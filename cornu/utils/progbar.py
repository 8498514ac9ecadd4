"""Progbar: the one-line progress display of ``fit``, ``evaluate``, ``predict`` and downloads."""

import math
import os
import sys
import time

import numpy as np

from cornu.utils import io_utils

# How often a stream that is not a terminal gets a line while a long epoch runs.
NON_TTY_INTERVAL = 30.0

_BOLD = "\x1b[1m"
_GREEN = "\x1b[32m"
_WHITE = "\x1b[37m"
_RESET = "\x1b[0m"


def _is_dynamic_display(stream):
    isatty = getattr(stream, "isatty", None)
    try:
        if isatty is not None and isatty():
            return True
    except ValueError:  # a closed stream
        return False
    return "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ


def _to_float(value):
    """A Python float from a number, NumPy value or backend tensor (a tensor syncs here)."""
    try:
        return float(value)
    except Exception:
        pass
    try:
        from cornu.ops import convert_to_numpy

        return float(np.mean(convert_to_numpy(value)))
    except Exception:
        return value


def _format_value(value):
    value = _to_float(value)
    if not isinstance(value, float):
        return f" {value}"
    if abs(value) > 1e-3:
        return f" {value:.4f}"
    return f" {value:.4e}"


def _format_eta(eta):
    seconds = int(eta)
    if eta > 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if eta > 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


def _format_time(time_per_unit, unit_name):
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1e6:.0f}us/{unit_name}"


def _write(message):
    if not io_utils.is_interactive_logging_enabled():
        # Logs take whole lines: the bar is drawn without redraw codes then.
        io_utils.print_msg(message.rstrip("\n"))
        return
    stream = sys.stdout
    try:
        stream.write(message)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        message = message.replace("━", "=").replace("─", "-")
        stream.write(message.encode(encoding, errors="ignore").decode(encoding))
    stream.flush()


class Progbar:
    """Displays a progress bar.

    Output matches Keras 3: with ``verbose=1``
    ``469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 5ms/step - accuracy: 0.9123 - loss: 0.2812``, redrawn in
    place at most every ``interval`` seconds (ETA while running, elapsed time at the end); with
    ``verbose=2`` one line when the bar is finalized. When ``sys.stdout`` is not a terminal (a
    log file, a pipe), only whole lines are written, without colours or carriage returns: one at
    the end, and at most one every 30 seconds while running.

    Values are kept as they are given (numbers or 0-d backend tensors) and turned into floats
    only when a line is drawn, so an update that draws nothing costs no device sync.

    Args:
        target: total number of steps expected, None if unknown.
        width: width of the bar, in characters.
        verbose: 0 (silent), 1 (progress bar) or 2 (one line at the end).
        interval: minimum time between two redraws, in seconds.
        stateful_metrics: names of the values shown as given; the other values are averaged
            over the steps. Give this or `stateless_metrics`, not both.
        stateless_metrics: names of the values averaged over the steps; the others are shown
            as given.
        unit_name: name of a step in the time per step, e.g. ``"step"`` or ``"sample"``.
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Give only one of `stateful_metrics` (names shown as given, the others are "
                "averaged) or `stateless_metrics` (names averaged, the others shown as given)."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        if stateless_metrics is not None:
            self.stateful_metrics = None
            self.stateless_metrics = set(stateless_metrics)
        else:
            self.stateful_metrics = set(stateful_metrics or ())
            self.stateless_metrics = None
        self._dynamic_display = (
            _is_dynamic_display(sys.stdout) and io_utils.is_interactive_logging_enabled()
        )
        self._values = {}
        self._values_order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._time_after_first_step = None
        self._prev_total_width = 0
        if self._dynamic_display:
            self._redraw_interval = interval
            self._last_update = 0.0
        else:
            self._redraw_interval = max(interval, NON_TTY_INTERVAL)
            self._last_update = self._start

    def _is_stateless(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def update(self, current, values=None, finalize=None):
        """Updates the progress bar.

        Args:
            current: index of the current step (one-based).
            values: list of ``(name, value)`` pairs for this step; averaged over the steps
                unless `name` is stateful (see the constructor).
            finalize: whether this is the last update; by default ``current >= target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            if name not in self._values:
                self._values_order.append(name)
            if finalize or not self._is_stateless(name):
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                if name in self._values:
                    self._values[name][0] += value * steps
                    self._values[name][1] += steps
                else:
                    self._values[name] = [value * steps, steps]
        self._seen_so_far = current

        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if not finalize and now - self._last_update < self._redraw_interval:
                return
            self._draw(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize:
            self._draw_summary_line(current, now, time_per_unit)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps (see `update`)."""
        self.update(self._seen_so_far + n, values)

    def _metrics_text(self):
        text = ""
        for name in self._values_order:
            total, count = self._values[name]
            value = _to_float(total)
            if isinstance(value, float):
                value = value / max(1, count)
            text += f" - {name}:{_format_value(value)}"
        return text

    def _draw(self, current, now, time_per_unit, finalize):
        styled = self._dynamic_display
        parts = []  # (text, escape code or None)
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            parts.append((f"%{digits}d/%d" % (current, self.target), _BOLD))
            parts.append((" ", None))
            done = int(self.width * float(current) / self.target)
            if done > 0:
                parts.append(("━" * done, _GREEN))
            rest = "━" if styled else "─"
            parts.append((rest * (self.width - done), _WHITE))
        else:
            parts.append((f"{int(current):7d}/Unknown", None))
        if self.target is not None and self.target > 0 and not finalize:
            timing = _format_eta(time_per_unit * (self.target - current))
        else:
            timing = f"{now - self._start:.0f}s"
        parts.append((" ", None))
        parts.append((timing, _BOLD))
        parts.append((_format_time(time_per_unit, self.unit_name), None))
        parts.append((self._metrics_text(), None))

        line = "".join(text for text, _ in parts)
        if not styled:
            _write(line + "\n")
            return
        total_width = len(line)
        message = "\b" * self._prev_total_width + "\r"
        message += "".join(f"{code}{text}{_RESET}" if code else text for text, code in parts)
        if self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        _write(message)
        self._prev_total_width = total_width

    def _draw_summary_line(self, current, now, time_per_unit):
        if self.target is None or self.target <= 0:
            return
        digits = int(math.log10(self.target)) + 1
        line = f"%{digits}d/%d" % (current, self.target)
        line += f" - {now - self._start:.0f}s -{_format_time(time_per_unit, self.unit_name)}"
        _write(line + self._metrics_text() + "\n")

    def _estimate_step_duration(self, current, now):
        # The first step (often slow: compilation, warm-up) is left out once there are more.
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit
