"""The ``.npz`` files of Keras's regression datasets (arrays ``x`` and ``y``): read with
pickling off, checked, shuffled by a seed and split as Keras does."""

import zipfile

import numpy as np


def load_xy(fpath, name, num_features):
    """The ``x`` ``(n, num_features)`` and ``y`` ``(n,)`` arrays of the file, checked."""
    advice = f"Delete {fpath} to have cornu download Keras's {name} file again."
    try:
        with np.load(fpath, allow_pickle=False) as f:
            if not hasattr(f, "files"):
                raise ValueError("it holds a single array, not an .npz archive")
            missing = [key for key in ("x", "y") if key not in f.files]
            if missing:
                raise ValueError(f"it lacks the arrays {missing} (it has {list(f.files)})")
            x, y = f["x"], f["y"]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"The {name} file {fpath} cannot be read: {error}. {advice}") from error
    if (
        x.ndim != 2
        or x.shape[1] != num_features
        or y.ndim != 1
        or len(y) != len(x)
        or x.dtype.kind not in "fiu"
        or y.dtype.kind not in "fiu"
    ):
        raise ValueError(
            f"The {name} file {fpath} holds arrays of the wrong shape or type: expected "
            f"numeric x of shape (n, {num_features}) and y of shape (n,), found x "
            f"{x.dtype} {x.shape} and y {y.dtype} {y.shape}. {advice}"
        )
    return x, y


def check_test_split(test_split):
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 "
            "(exclusive of 1)."
        )


def shuffle_and_split(x, y, test_split, seed):
    """``(x_train, y_train), (x_test, y_test)``: the samples shuffled by
    ``np.random.RandomState(seed)``, the first ``int(n * (1 - test_split))`` for training."""
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    split = int(len(x) * (1 - test_split))
    return (np.array(x[:split]), np.array(y[:split])), (np.array(x[split:]), np.array(y[split:]))
