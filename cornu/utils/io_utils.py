"""Small file and console helpers: atomic writes and messages."""

import contextlib
import os
import sys
import tempfile


@contextlib.contextmanager
def atomic_write(path, mode="w", **open_kwargs):
    """Opens a temporary file beside ``path`` and renames it onto ``path`` when the block ends
    without an error, so that readers never see a half-written file.

    Args:
        path: the file to (re)write.
        mode: ``"w"`` (text) or ``"wb"`` (bytes).
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, tmp_path = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=folder)
    try:
        with os.fdopen(handle, mode, **open_kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp_path)
        raise


def print_msg(message, line_break=True):
    """Prints ``message`` to stdout (flushed)."""
    sys.stdout.write(message + ("\n" if line_break else ""))
    sys.stdout.flush()
