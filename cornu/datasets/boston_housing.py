"""Boston housing price regression dataset (Keras's copy)."""

from cornu.datasets._regression_npz import check_test_split, load_xy, shuffle_and_split
from cornu.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston housing dataset: 506 samples of 13 attributes of houses in the
    suburbs of Boston in the late 1970s; targets are median values in k$.

    The file is downloaded once from Keras's copy into ``~/.cornu/datasets/`` and checked by
    its sha256; it is read with pickling off. As Keras, the samples are shuffled by
    ``np.random.RandomState(seed)`` and the first ``int(n * (1 - test_split))`` are the
    training set.

    Args:
        path: the file's name in the cache folder.
        test_split: the fraction of the data kept for testing, in ``[0, 1)``.
        seed: the shuffling seed.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` of shape ``(n, 13)``, ``y_*`` of
        shape ``(n,)``.

    The dataset carries an ethical problem (an attribute built on the racial make-up of
    towns); prefer ``california_housing`` for new work, as Keras's documentation says.
    """
    check_test_split(test_split)
    fpath = get_file(path, origin=ORIGIN_FOLDER + "boston_housing.npz", file_hash=SHA256)
    x, y = load_xy(fpath, "Boston housing", 13)
    return shuffle_and_split(x, y, test_split, seed)
