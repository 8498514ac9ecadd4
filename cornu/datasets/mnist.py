"""MNIST handwritten digits dataset."""

import os
import zipfile

import numpy as np

from cornu.utils.file_utils import cache_folder, get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
_EXPECTED = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}


def load_data(path="mnist.npz"):
    """Loads the MNIST dataset.

    60,000 28x28 grayscale images of the 10 digits for training, and 10,000 for testing.
    The file is downloaded once (Keras's copy, checked by its sha256) into
    ``~/.cornu/datasets/`` (``$CORNU_HOME/datasets/``). A file already there is used when it
    holds the MNIST arrays, whatever its bytes; a file that does not gives an error.

    Args:
        path: name of the file in the cache folder.

    Returns:
        Tuple of NumPy arrays: ``(x_train, y_train), (x_test, y_test)``; `x_*` are uint8 images
        of shape ``(n, 28, 28)`` with values from 0 to 255, `y_*` uint8 labels from 0 to 9 of
        shape ``(n,)``.

    ```python
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    assert x_train.shape == (60000, 28, 28)
    ```

    License: Yann LeCun and Corinna Cortes hold the copyright of MNIST, a derivative work of
    NIST's datasets, made available under the Creative Commons Attribution-Share Alike 3.0
    license.
    """
    cached = os.path.join(cache_folder("datasets"), os.fspath(path))
    if os.path.exists(cached):
        fpath = cached
    else:
        fpath = get_file(fname=path, origin=ORIGIN, file_hash=SHA256)
    arrays = _read(fpath)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _read(fpath):
    advice = (
        f"Delete it to have cornu download it again from {ORIGIN}, or replace it with Keras's "
        "mnist.npz (keys x_train, y_train, x_test, y_test)."
    )
    try:
        with np.load(fpath, allow_pickle=False) as f:
            if not hasattr(f, "files"):
                raise ValueError("it holds a single array, not an .npz archive")
            arrays = {key: f[key] for key in _EXPECTED if key in f.files}
            found = list(f.files)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise ValueError(
            f"The MNIST file {fpath} is corrupt or not an .npz file ({e}). {advice}"
        ) from e
    missing = [key for key in _EXPECTED if key not in arrays]
    if missing:
        raise ValueError(
            f"The MNIST file {fpath} lacks the arrays {missing} (it has {found}). {advice}"
        )
    for key, shape in _EXPECTED.items():
        array = arrays[key]
        if array.shape != shape or array.dtype != np.uint8:
            raise ValueError(
                f"The MNIST file {fpath} holds a wrong `{key}`: expected a uint8 array of shape "
                f"{shape}, found {array.dtype} {array.shape}. {advice}"
            )
    return arrays
