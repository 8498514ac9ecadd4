"""Traceback filtering: errors raised inside cornu's entry points (`fit`, `evaluate`,
`predict`, ...) are shown without cornu's own frames, unless
``cornu.config.disable_traceback_filtering()`` was called."""

import functools
import os
import traceback
import types

from cornu.utils import global_state

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_traceback_filtering_enabled():
    """Whether traceback filtering is on (`True` unless disabled)."""
    return global_state.get_global_attribute("traceback_filtering", True)


def _filtered(tb):
    frames = list(traceback.walk_tb(tb))
    new_tb = None
    for frame, line_no in reversed(frames):
        if not frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            new_tb = types.TracebackType(new_tb, frame, frame.f_lasti, line_no)
    if new_tb is None and frames:  # keep at least the frame that raised
        frame, line_no = frames[-1]
        new_tb = types.TracebackType(None, frame, frame.f_lasti, line_no)
    return new_tb


def filter_traceback(fn):
    """Wraps `fn` so that an error it raises carries a traceback without cornu's frames (the
    user's frames, and the one that raised when all are cornu's)."""

    @functools.wraps(fn)
    def error_handler(*args, **kwargs):
        if not is_traceback_filtering_enabled():
            return fn(*args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            # For the full traceback: cornu.config.disable_traceback_filtering()
            raise e.with_traceback(_filtered(e.__traceback__)) from None

    return error_handler
