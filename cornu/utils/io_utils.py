"""Console helpers: messages that go to stdout or, when interactive logging is off, to the
``absl`` logger (Python's ``logging`` without absl)."""

import sys

from cornu.utils import global_state

try:
    from absl import logging as _logging
except ImportError:  # absl is optional: Python's logging takes the messages then
    import logging

    _logging = logging.getLogger("cornu")


def enable_interactive_logging():
    """Turns on interactive logging: cornu's messages and progress bars go to stdout, the best
    choice in a shell or a notebook (the default)."""
    global_state.set_global_attribute("interactive_logging", True)


def disable_interactive_logging():
    """Turns off interactive logging: cornu's messages go to `absl.logging` (at INFO level),
    one whole line each, the best choice for jobs whose output is a log file."""
    global_state.set_global_attribute("interactive_logging", False)


def is_interactive_logging_enabled():
    """Whether interactive logging is on (`True` unless `disable_interactive_logging()` was
    called since the last `clear_session()`)."""
    return global_state.get_global_attribute("interactive_logging", True)


def print_msg(message, line_break=True):
    """Writes ``message`` to stdout (flushed), or logs it at INFO level when interactive
    logging is off."""
    message = str(message)
    if not is_interactive_logging_enabled():
        _logging.info(message)
        return
    message = message + "\n" if line_break else message
    try:
        sys.stdout.write(message)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        message = message.replace("━", "=").replace("─", "-")
        sys.stdout.write(message.encode(encoding, errors="ignore").decode(encoding))
    sys.stdout.flush()
