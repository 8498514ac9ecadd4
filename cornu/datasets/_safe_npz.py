"""Reads the ``.npz`` files of Keras's text datasets without general pickle.

Their sequences are NumPy object arrays of Python lists, which ``np.save`` writes as a pickle
stream (``np.load`` would need ``allow_pickle=True``, and so would run whatever code a
tampered file names). Here numeric arrays are read with pickling off, and object arrays
through an unpickler that can build nothing but NumPy arrays, their dtypes, and the lists
and ints that pickle writes natively; any other global in the stream is refused before it
is looked up, so nothing in the file runs.
"""

import io
import pickle
import zipfile

import numpy as np

# The only globals an object array's pickle needs (numpy 1.x and 2.x spellings).
_ALLOWED = frozenset(
    {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
    }
)
_MAX_MEMBER_BYTES = 1 << 31  # no member of a real dataset file comes near 2 GiB


class UnsafeFileError(ValueError):
    """A dataset file whose pickle names something other than NumPy's array builders."""


class _ArrayOnlyUnpickler(pickle.Unpickler):
    def __init__(self, file, source):
        super().__init__(file)
        self._source = source

    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise UnsafeFileError(
            f"Refusing to load {self._source}: its pickle names `{module}.{name}`, and only "
            "NumPy arrays (of lists of ints) may be rebuilt from a dataset file. The file is "
            "corrupt or was tampered with; delete it and download it again."
        )

    def persistent_load(self, pid):
        raise UnsafeFileError(f"Refusing to load {self._source}: unexpected persistent id.")


def _read_member(raw, source):
    """One ``.npy`` member: numeric arrays with pickling off, object arrays restricted."""
    version = np.lib.format.read_magic(raw)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(raw)
    elif version in ((2, 0), (3, 0)):
        # 3.0 differs from 2.0 only in the header's text encoding (utf-8 for latin-1).
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(raw)
    else:
        raise ValueError(f"{source}: unsupported .npy format version {version}.")
    if not dtype.hasobject:
        raw.seek(0)
        return np.lib.format.read_array(raw, allow_pickle=False)
    array = _ArrayOnlyUnpickler(raw, source).load()
    if not isinstance(array, np.ndarray) or array.shape != tuple(shape):
        raise UnsafeFileError(
            f"Refusing to load {source}: its pickle does not hold the {tuple(shape)} array "
            "its header announces."
        )
    return array


def load_npz(path, keys):
    """The arrays ``keys`` of the ``.npz`` file at ``path``, as a dict.

    Raises ``UnsafeFileError`` (a ValueError) for a pickle that names anything but NumPy's
    array builders, and ValueError for a file that is not an ``.npz`` holding ``keys``.
    """
    source = f"the file {path}"
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
            for key in keys:
                info = members.get(f"{key}.npy")
                if info is None:
                    raise ValueError(
                        f"{source} lacks the array `{key}` (it has "
                        f"{sorted(n[:-4] for n in members if n.endswith('.npy'))})."
                    )
                if info.file_size > _MAX_MEMBER_BYTES:
                    raise ValueError(f"{source}: member {info.filename} is implausibly large.")
                with archive.open(info) as member:
                    raw = io.BytesIO(member.read())
                arrays[key] = _read_member(raw, f"{source} (array `{key}`)")
    except UnsafeFileError:
        raise
    except (OSError, EOFError, zipfile.BadZipFile, pickle.UnpicklingError, TypeError) as error:
        raise ValueError(f"{source} is corrupt or not an .npz file ({error}).") from error
    return arrays
