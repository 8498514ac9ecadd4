"""The state shared by nested layer calls: the ``training`` flag and the call depth."""

import threading


class _CallContext(threading.local):
    def __init__(self):
        self.training = None
        self.depth = 0


call_context = _CallContext()
"""``training`` given to the outermost call reaches every nested layer that is not given one."""

_add_loss_used = [False]


def note_add_loss():
    """Remembers that some layer added a loss, so the trainer starts collecting them."""
    _add_loss_used[0] = True


def add_loss_used():
    """True once any layer has called ``add_loss``."""
    return _add_loss_used[0]
