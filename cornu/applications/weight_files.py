"""Finding Keras's pretrained files (weights and the ImageNet class index): cornu's cache
``~/.cornu/models/``, then Keras's ``~/.keras/models/``, then a download with `get_file`."""

import os

from cornu.utils import file_utils


def _keras_folder():
    base = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    return os.path.join(os.path.expanduser(base), "models")


def find_local(file_name, file_hash=None):
    """The path of `file_name` in cornu's cache or Keras's (checked against `file_hash` when
    one is given), or None."""
    for folder in (file_utils.cache_folder("models"), _keras_folder()):
        path = os.path.join(folder, file_name)
        if os.path.isfile(path) and (
            file_hash is None or file_utils.validate_file(path, file_hash)
        ):
            return path
    return None


def find(file_name, origin, file_hash):
    """The local path of Keras's file `file_name` (checked against `file_hash`): from cornu's
    cache, from Keras's, or downloaded from `origin` into cornu's cache. Offline and absent,
    a `ConnectionError` names the file, its address and where to put it."""
    path = find_local(file_name, file_hash)
    if path is not None:
        return path
    try:
        return file_utils.get_file(file_name, origin, cache_subdir="models", file_hash=file_hash)
    except ConnectionError as error:
        raise ConnectionError(
            f"The pretrained file {file_name!r} is not on this machine and could not be "
            f"downloaded from {origin}. Put Keras's file (hash {file_hash}) in "
            f"{file_utils.cache_folder('models')} or in {_keras_folder()}, or pass "
            f"`weights=None` or the path of a weight file. ({error})"
        ) from error


def exists(path):
    """True when `path` names an existing file."""
    try:
        return os.path.exists(os.fspath(path))
    except TypeError:
        return False
