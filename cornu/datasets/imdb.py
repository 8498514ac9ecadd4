"""IMDB movie reviews, labelled by sentiment, as sequences of word indices (Keras's copy)."""

import json

import numpy as np

from cornu.datasets._safe_npz import load_npz
from cornu.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DATA_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    **kwargs,
):
    """Loads the IMDB dataset: 25,000 training and 25,000 test movie reviews, each a list of
    word indices, labelled 1 (positive) or 0 (negative).

    Words are indexed by their frequency in the data (index ``i`` is the ``i``-th most
    frequent word), so that e.g. "the 10,000 most frequent words but the 20 most frequent"
    is ``num_words=10000, skip_top=20``. The file is downloaded once from Keras's copy into
    ``~/.cornu/datasets/`` and checked by its sha256 before it is read; its arrays are
    rebuilt without general pickle (see ``cornu.datasets._safe_npz``).

    As Keras, in this order: the reviews are shuffled (train and test apart, by
    ``np.random.RandomState(seed)``); each gets ``start_char`` in front and its indices
    raised by ``index_from``; with ``maxlen``, reviews of ``maxlen`` steps or more (the start
    character counted) are dropped; then every index outside ``[skip_top, num_words)``
    becomes ``oov_char`` (or is removed when ``oov_char`` is None). When ``num_words`` is
    None it is the largest index, which (as in Keras) itself becomes ``oov_char``.

    Args:
        path: the file's name in the cache folder.
        num_words: keep only indices below this; None for all.
        skip_top: indices below this become ``oov_char``.
        maxlen: drop the sequences this long or longer; None keeps all.
        seed: the shuffling seed.
        start_char: the index that starts every sequence (None for none).
        oov_char: the index of words cut by ``num_words`` or ``skip_top``.
        index_from: added to every word index of the file.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` object arrays of lists of ints,
        ``y_*`` int arrays of labels.
    """
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    fpath = get_file(fname=path, origin=ORIGIN_FOLDER + "imdb.npz", file_hash=DATA_SHA256)
    arrays = load_npz(fpath, ("x_train", "y_train", "x_test", "y_test"))
    x_train, labels_train = _checked(arrays, "x_train", "y_train", fpath)
    x_test, labels_test = _checked(arrays, "x_test", "y_test", fpath)

    rng = np.random.RandomState(seed)  # one stream: the training order, then the test order
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, labels_train = x_train[order], labels_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, labels_test = x_test[order], labels_test[order]

    x_train = _offset(x_train, start_char, index_from)
    x_test = _offset(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = _drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = _drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence "
                "was kept. Increase maxlen."
            )
    sequences = _limit_words(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    split = len(x_train)
    x_train = np.array(sequences[:split], dtype="object")
    x_test = np.array(sequences[split:], dtype="object")
    return (x_train, labels[:split]), (x_test, labels[split:])


def get_word_index(path="imdb_word_index.json"):
    """The dict from each word to its index in the IMDB data (before ``index_from``), read
    from Keras's ``imdb_word_index.json`` (downloaded once and checked by its md5)."""
    fpath = get_file(
        fname=path, origin=ORIGIN_FOLDER + "imdb_word_index.json", file_hash=WORD_INDEX_MD5
    )
    return _read_word_index(fpath)


def _read_word_index(fpath):
    with open(fpath, encoding="utf-8") as f:
        try:
            index = json.load(f)
        except json.JSONDecodeError as error:
            raise ValueError(f"The word index {fpath} is not valid JSON ({error}).") from None
    if not isinstance(index, dict) or not all(isinstance(v, int) for v in index.values()):
        raise ValueError(f"The word index {fpath} is not a JSON object of word -> int.")
    return index


def _checked(arrays, x_key, y_key, fpath):
    """The sequences and labels of a split, with their lengths and kinds checked."""
    x, y = arrays[x_key], arrays[y_key]
    if x.ndim < 1 or y.ndim != 1 or len(x) != len(y):
        raise ValueError(
            f"The dataset file {fpath} holds {x_key} of shape {x.shape} and {y_key} of "
            f"shape {y.shape}: one label per sequence was expected."
        )
    if x.dtype == object and not all(isinstance(s, (list, np.ndarray)) for s in x):
        raise ValueError(f"The dataset file {fpath}: `{x_key}` must hold lists of ints.")
    return x, y


def _offset(sequences, start_char, index_from):
    """Each sequence with ``start_char`` in front and ``index_from`` added (Keras's rules)."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in s] for s in sequences]
    if index_from:
        return [[w + index_from for w in s] for s in sequences]
    return [list(s) for s in sequences]


def _drop_long(maxlen, sequences, labels):
    """Keeps the sequences shorter than ``maxlen`` and their labels (as lists)."""
    kept = [(s, y) for s, y in zip(sequences, labels) if len(s) < maxlen]
    return [s for s, _ in kept], [y for _, y in kept]


def _limit_words(sequences, num_words, skip_top, oov_char):
    """Indices outside ``[skip_top, num_words)`` become ``oov_char`` (dropped when None)."""
    if not num_words:
        num_words = max(max(s) for s in sequences)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in s] for s in sequences]
    return [[w for w in s if skip_top <= w < num_words] for s in sequences]
