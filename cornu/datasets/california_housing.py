"""California housing price regression dataset (Keras's copy)."""

from cornu.datasets._regression_npz import check_test_split, load_xy, shuffle_and_split
from cornu.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads the California housing dataset: 20,640 block groups of the 1990 census, each
    with 8 attributes; targets are median house values in dollars.

    The file is downloaded once from Keras's copy into ``~/.cornu/datasets/`` and checked by
    its sha256; it is read with pickling off. As Keras, ``version="small"`` keeps the first
    600 samples; the samples are then shuffled by ``np.random.RandomState(seed)`` and the
    first ``int(n * (1 - test_split))`` are the training set.

    Args:
        version: ``"large"`` (all samples) or ``"small"`` (the first 600).
        path: the file's name in the cache folder.
        test_split: the fraction of the data kept for testing, in ``[0, 1)``.
        seed: the shuffling seed.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` of shape ``(n, 8)`` (longitude,
        latitude, median age, total rooms, total bedrooms, population, households, median
        income), ``y_*`` of shape ``(n,)``.
    """
    check_test_split(test_split)
    if version not in ("small", "large"):
        raise ValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version}"
        )
    fpath = get_file(path, origin=ORIGIN_FOLDER + "california_housing.npz", file_hash=SHA256)
    x, y = load_xy(fpath, "California housing", 8)
    if version == "small":
        x, y = x[:600], y[:600]
    return shuffle_and_split(x, y, test_split, seed)
