"""reuters.load_data, get_word_index and get_label_names on small files in the real format
(an object array of lists of ints, pickled as numpy 1 wrote Keras's file), served from a
local "origin" with their true hashes; Keras's rules by hand and against Keras's loader."""

import hashlib
import io
import json
import pickle
import zipfile

import numpy as np
import pytest

from cornu.datasets import _safe_npz, reuters

X = [[1], [2, 3], [4], [5, 6, 7], [8, 9], [10], [1, 1], [2], [3, 4], [5]]
Y = list(range(10))  # each label names its sequence's place in the file


def npy_bytes(array):
    """A ``.npy`` member as in Keras's files (pickle protocol 3, numpy 1's module names)."""
    buf = io.BytesIO()
    if not array.dtype.hasobject:
        np.lib.format.write_array(buf, array)
        return buf.getvalue()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "|O", "fortran_order": False, "shape": array.shape}
    )
    stream = pickle.dumps(array, protocol=3)
    return buf.getvalue() + stream.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")


@pytest.fixture
def reuters_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CORNU_HOME", str(tmp_path / "home"))
    origin = tmp_path / "origin"
    origin.mkdir()
    sequences = np.empty(len(X), dtype=object)
    sequences[:] = X
    path = origin / "reuters.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.npy", npy_bytes(sequences))
        archive.writestr("y.npy", npy_bytes(np.array(Y)))
    monkeypatch.setattr(reuters, "ORIGIN_FOLDER", origin.as_uri() + "/")
    monkeypatch.setattr(reuters, "DATA_SHA256", hashlib.sha256(path.read_bytes()).hexdigest())
    return path


def test_keras_rules_by_hand(reuters_file):
    # RandomState(113) orders the 10 newswires [9, 3, 6, 1, 0, 7, 4, 8, 2, 5]; start_char 1
    # goes in front and 3 is added to every word; the largest index, 13, becomes oov_char
    # (num_words=None, as Keras); the first int(10 * 0.8) = 8 are the training set.
    (x_train, y_train), (x_test, y_test) = reuters.load_data()
    assert [list(s) for s in x_train] == [
        [1, 8],
        [1, 8, 9, 10],
        [1, 4, 4],
        [1, 5, 6],
        [1, 4],
        [1, 5],
        [1, 11, 12],
        [1, 6, 7],
    ]
    assert y_train.tolist() == [9, 3, 6, 1, 0, 7, 4, 8]
    assert x_test.tolist() == [[1, 7], [1, 2]] and y_test.tolist() == [2, 5]
    # maxlen=3 keeps the five 2-step sequences (13 is then the largest index, so oov_char);
    # test_split=0.5 puts int(5 * 0.5) = 2 in the training set.
    (x_train, y_train), (x_test, y_test) = reuters.load_data(maxlen=3, test_split=0.5)
    assert x_train.tolist() == [[1, 8], [1, 4]] and y_train.tolist() == [9, 0]
    assert x_test.tolist() == [[1, 5], [1, 7], [1, 2]] and y_test.tolist() == [7, 2, 5]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"seed": 3, "num_words": 7, "skip_top": 3, "test_split": 0.3},
        {"maxlen": 3, "oov_char": None},
        {"start_char": None, "index_from": 0, "num_words": 6},
        {"start_char": None, "index_from": 2, "maxlen": 2, "test_split": 0.5},
    ],
)
def test_same_as_keras_loader(keras, reuters_file, monkeypatch, kwargs):
    import keras.src.datasets.reuters as keras_reuters

    monkeypatch.setattr(keras_reuters, "get_file", lambda *args, **kw: str(reuters_file))
    expected = keras_reuters.load_data(**kwargs)
    got = reuters.load_data(**kwargs)
    for e, g in zip(expected[0] + expected[1], got[0] + got[1]):
        assert e.shape == g.shape and e.dtype == g.dtype
        assert e.tolist() == g.tolist()


def test_tampered_pickle_is_refused(reuters_file, monkeypatch):
    with zipfile.ZipFile(reuters_file, "w") as archive:
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            header, {"descr": "|O", "fortran_order": False, "shape": (1,)}
        )
        # GLOBAL builtins.eval, then a call of it: refused at the lookup of the name.
        stream = b"\x80\x03cbuiltins\neval\nX\x03\x00\x00\x001+1\x85R."
        archive.writestr("x.npy", header.getvalue() + stream)
        archive.writestr("y.npy", npy_bytes(np.array([0])))
    monkeypatch.setattr(
        reuters, "DATA_SHA256", hashlib.sha256(reuters_file.read_bytes()).hexdigest()
    )
    with pytest.raises(_safe_npz.UnsafeFileError, match=r"names `builtins.eval`"):
        reuters.load_data()


def test_word_index_and_label_names(reuters_file, monkeypatch):
    path = reuters_file.parent / "reuters_word_index.json"
    path.write_text(json.dumps({"said": 4, "mln": 6}), encoding="utf-8")
    monkeypatch.setattr(reuters, "WORD_INDEX_MD5", hashlib.md5(path.read_bytes()).hexdigest())
    assert reuters.get_word_index() == {"said": 4, "mln": 6}
    path.write_text("[1, 2]", encoding="utf-8")
    monkeypatch.setattr(reuters, "WORD_INDEX_MD5", hashlib.md5(path.read_bytes()).hexdigest())
    with pytest.raises(ValueError, match=r"not a JSON object of word -> int"):
        reuters.get_word_index(path="other.json")
    names = reuters.get_label_names()
    assert len(names) == 46 and names[:3] == ("cocoa", "grain", "veg-oil") and names[-1] == "lead"


def test_same_constants_as_keras(keras):
    import keras.src.datasets.reuters as keras_reuters

    assert reuters.get_label_names() == keras_reuters.get_label_names()
    import inspect

    text = inspect.getsource(keras_reuters)
    assert reuters.DATA_SHA256 in text and reuters.WORD_INDEX_MD5 in text
