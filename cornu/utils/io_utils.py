"""Console helpers: messages."""

import sys


def print_msg(message, line_break=True):
    """Prints ``message`` to stdout (flushed)."""
    sys.stdout.write(message + ("\n" if line_break else ""))
    sys.stdout.flush()
