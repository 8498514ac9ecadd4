"""Atomic, durable file writes: a reader sees the old file or the new one, never a part.

Each write goes to a temporary file beside the target (so the rename stays on one file
system), which is flushed and fsynced, renamed onto the target, and then the folder is fsynced
so the rename itself survives a power loss. The file gets the mode an ordinary ``open`` gives
(``0o666`` less the umask), not the ``0o600`` of ``tempfile``. Temporary names carry the host
and process that made them, so a later write to the same target removes what a crashed writer
left, and never a file that a live process is still writing.
"""

import contextlib
import os
import re
import secrets
import socket

_TEMPORARY = re.compile(r"^\.(?P<target>.+)\.(?P<host>[^.]+)-(?P<pid>\d+)-[0-9a-f]{8}\.tmp")


def _host():
    return re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname()) or "host"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(path):
    """Removes the temporary files that crashed writes to ``path`` left in its folder: those
    made on this host by a process that no longer exists. Returns their names."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    target, host, removed = os.path.basename(path), _host(), []
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            match = _TEMPORARY.match(name)
            if not match or match["target"] != target or match["host"] != host:
                continue
            if int(match["pid"]) != os.getpid() and not _alive(int(match["pid"])):
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(folder, name))
                    removed.append(name)
    return removed


def temporary_beside(path):
    """Creates an empty temporary file beside ``path`` (mode from the umask, as ``open``
    gives) and returns its path; its name ends with ``path``'s extension, for writers that
    check it."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    remove_stale_temporaries(path)
    extension = os.path.splitext(path)[1]
    while True:
        name = f".{os.path.basename(path)}.{_host()}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        candidate = os.path.join(folder, name + extension)
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            continue
        return candidate


def _fsync_path(path):
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if os.path.isdir(path) else os.O_RDONLY
    try:
        handle = os.open(path, flags)
    except OSError:
        return  # a folder some systems will not open: the rename is all that can be done
    try:
        with contextlib.suppress(OSError):
            os.fsync(handle)
    finally:
        os.close(handle)


def commit(temporary, path):
    """Makes ``temporary`` durable and renames it onto ``path``, then makes the rename
    durable (fsync of the folder)."""
    _fsync_path(temporary)
    os.replace(temporary, path)
    _fsync_path(os.path.dirname(os.path.abspath(path)))


def replace_file(path, write):
    """Calls ``write(temporary path)`` to fill a temporary file beside ``path``, then commits
    it onto ``path``. If anything fails, the old file stays whole and the temporary file is
    removed."""
    temporary = temporary_beside(path)
    try:
        write(temporary)
        commit(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


@contextlib.contextmanager
def atomic_write(path, mode="w", **open_kwargs):
    """``with atomic_write(path) as f:`` writes ``f`` to ``path`` atomically and durably when
    the block ends without an error (``mode``: ``"w"`` text or ``"wb"`` bytes)."""
    path = os.fspath(path)
    temporary = temporary_beside(path)
    try:
        with open(temporary, mode, **open_kwargs) as f:
            yield f
        commit(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
