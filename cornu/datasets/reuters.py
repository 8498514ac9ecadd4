"""Reuters newswires, labelled by one of 46 topics, as sequences of word indices (Keras's
copy)."""

import numpy as np

from cornu.datasets._safe_npz import load_npz
from cornu.datasets.imdb import _checked, _drop_long, _limit_words, _read_word_index
from cornu.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DATA_SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"

_LABELS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads the Reuters newswire dataset: 11,228 newswires, each a list of word indices,
    labelled by one of 46 topics (``get_label_names()``).

    Words are indexed by their frequency in the data. The file is downloaded once from
    Keras's copy into ``~/.cornu/datasets/`` and checked by its sha256 before it is read; its
    arrays are rebuilt without general pickle (see ``cornu.datasets._safe_npz``).

    As Keras, in this order: all newswires are shuffled by ``np.random.RandomState(seed)``;
    each gets ``start_char`` in front and its indices raised by ``index_from``; with
    ``maxlen``, the sequences of ``maxlen`` steps or more are dropped; every index outside
    ``[skip_top, num_words)`` becomes ``oov_char`` (or is removed when ``oov_char`` is None;
    with ``num_words=None`` the largest index is the limit and itself becomes ``oov_char``);
    then the first ``int(n * (1 - test_split))`` newswires are the training set.

    Args:
        path: the file's name in the cache folder.
        num_words: keep only indices below this; None for all.
        skip_top: indices below this become ``oov_char``.
        maxlen: drop the sequences this long or longer; None keeps all.
        test_split: the fraction of the newswires kept for testing.
        seed: the shuffling seed.
        start_char: the index that starts every sequence (None for none).
        oov_char: the index of words cut by ``num_words`` or ``skip_top``.
        index_from: added to every word index of the file.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` object arrays of lists of ints,
        ``y_*`` int arrays of topic indices.
    """
    fpath = get_file(fname=path, origin=ORIGIN_FOLDER + "reuters.npz", file_hash=DATA_SHA256)
    sequences, labels = _checked(load_npz(fpath, ("x", "y")), "x", "y", fpath)

    order = np.arange(len(sequences))
    np.random.RandomState(seed).shuffle(order)
    sequences, labels = sequences[order], labels[order]

    if start_char is not None:
        sequences = [[start_char] + [w + index_from for w in s] for s in sequences]
    elif index_from:
        sequences = [[w + index_from for w in s] for s in sequences]
    if maxlen:
        sequences, labels = _drop_long(maxlen, sequences, labels)
    sequences = _limit_words(sequences, num_words, skip_top, oov_char)

    split = int(len(sequences) * (1 - test_split))
    x_train = np.array(sequences[:split], dtype="object")
    x_test = np.array(sequences[split:], dtype="object")
    return (x_train, np.array(labels[:split])), (x_test, np.array(labels[split:]))


def get_word_index(path="reuters_word_index.json"):
    """The dict from each word to its index in the Reuters data (before ``index_from``), read
    from Keras's ``reuters_word_index.json`` (downloaded once and checked by its md5)."""
    fpath = get_file(
        fname=path, origin=ORIGIN_FOLDER + "reuters_word_index.json", file_hash=WORD_INDEX_MD5
    )
    return _read_word_index(fpath)


def get_label_names():
    """The 46 topic names, at the indices of the labels ``load_data`` returns."""
    return _LABELS
