"""The ``assets/`` part of a ``.keras`` archive: files that objects write with ``save_assets``
(a lookup layer's ``vocabulary.txt``) and read back with ``load_assets``.

Each object with ``save_assets(dir_path)`` is given the folder ``assets/<its weights path>``
(``assets/layers/string_lookup``), as Keras lays it out; only files are stored in the archive,
after ``model.weights.h5``. Reading refuses member names that would leave the folder.
"""

import os
import posixpath
import tempfile

ASSETS_DIR = "assets"


def collect(saveables):
    """``[(archive name, bytes)]`` of the files that ``saveables`` (``(path, object)`` pairs,
    in walk order) write with ``save_assets``, sorted by name."""
    writers = [(path, obj) for path, obj in saveables if hasattr(obj, "save_assets")]
    if not writers:
        return []
    members = []
    with tempfile.TemporaryDirectory() as root:
        for path, obj in writers:
            folder = os.path.join(root, *path.split("/")) if path else root
            os.makedirs(folder, exist_ok=True)
            obj.save_assets(folder)
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(folder, name)
                relative = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, "rb") as f:
                    members.append((f"{ASSETS_DIR}/{relative}", f.read()))
    return sorted(members)


def safe_member_name(name):
    """The path of an ``assets/`` member inside the assets folder, or None when the name is
    not an asset file or would leave the folder (absolute, ``..``, drive letters)."""
    if not name.startswith(ASSETS_DIR + "/") or name.endswith("/"):
        return None
    relative = name[len(ASSETS_DIR) + 1 :]
    parts = relative.replace("\\", "/").split("/")
    if not relative or any(p in ("", ".", "..") or ":" in p for p in parts):
        return None
    return posixpath.join(*parts)


def read_folder(folder):
    """``{relative path: bytes}`` of the regular files below ``folder`` (links are skipped)."""
    found = {}
    if not os.path.isdir(folder) or os.path.islink(folder):
        return found
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(current, d))]
        for name in files:
            full = os.path.join(current, name)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            relative = os.path.relpath(full, folder).replace(os.sep, "/")
            with open(full, "rb") as f:
                found[relative] = f.read()
    return found


def load(saveables, files):
    """Calls ``load_assets(folder)`` on each of ``saveables`` whose folder ``files``
    (``{relative path: bytes}``) holds, with those files laid out in a temporary folder."""
    if not files:
        return
    with tempfile.TemporaryDirectory() as root:
        for relative, data in files.items():
            target = os.path.join(root, *relative.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)
        for path, obj in saveables:
            if not hasattr(obj, "load_assets"):
                continue
            folder = os.path.join(root, *path.split("/")) if path else root
            if os.path.isdir(folder):
                obj.load_assets(folder)
