"""Safe mode: whether loading may decode Python bytecode (lambdas) stored in a file. A
``SafeModeScope`` sets it for one load; ``enable_unsafe_deserialization`` for the process."""

import threading

_safe_mode_state = threading.local()
_global_safe_mode = {"value": None}


def in_safe_mode():
    """The safe mode of the innermost ``SafeModeScope`` (or the global setting); None when
    nothing set it, which counts as safe."""
    stack = getattr(_safe_mode_state, "stack", None)
    if stack:
        return stack[-1]
    return _global_safe_mode["value"]


class SafeModeScope:
    """Deserializations inside the ``with`` block use ``safe_mode`` (True refuses lambdas)."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        if not hasattr(_safe_mode_state, "stack"):
            _safe_mode_state.stack = []
        _safe_mode_state.stack.append(self.safe_mode)
        return self

    def __exit__(self, *exc):
        _safe_mode_state.stack.pop()


def enable_unsafe_deserialization():
    """Turns safe mode off for the whole process: lambdas stored in files will be loaded
    (their code runs). Only for files you trust."""
    _global_safe_mode["value"] = False


def reset_safe_mode():
    """Forgets ``enable_unsafe_deserialization``, as ``clear_session()`` does."""
    _global_safe_mode["value"] = None
