"""imdb.load_data and get_word_index on small files in the real format (object arrays of
lists of ints, pickled as numpy 1 wrote Keras's file), served from a local "origin" with
their true hashes: Keras's order of rules, checked by hand and against Keras's own loader;
checksums before loading; a tampered pickle refused without running."""

import hashlib
import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest

from cornu.datasets import _safe_npz, imdb

X_TRAIN = [[1, 2], [3], [4, 5, 6], [7, 1], [2, 2, 2, 2], [8]]
Y_TRAIN = [0, 1, 0, 1, 0, 1]
X_TEST = [[9, 1], [2], [3, 4, 5], [6]]
Y_TEST = [1, 0, 1, 0]


def sequences_array(sequences):
    out = np.empty(len(sequences), dtype=object)
    out[:] = [list(s) for s in sequences]
    return out


def npy_bytes(array):
    """A ``.npy`` member as in Keras's files: object arrays pickled with protocol 3 under
    numpy 1's module names (``numpy.core.multiarray``); numeric arrays as NumPy writes them."""
    buf = io.BytesIO()
    array = np.asarray(array)
    if not array.dtype.hasobject:
        np.lib.format.write_array(buf, array)
        return buf.getvalue()
    header = {"descr": "|O", "fortran_order": False, "shape": array.shape}
    np.lib.format.write_array_header_1_0(buf, header)
    stream = pickle.dumps(array, protocol=3)  # GLOBAL opcodes: module names are plain text
    return buf.getvalue() + stream.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")


def write_npz(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in members.items():
            data = value if isinstance(value, bytes) else npy_bytes(value)
            archive.writestr(f"{name}.npy", data)
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Exploit:
    """Pickles into a call of ``os.system`` (what a tampered dataset file could hold)."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def malicious_npy(command):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "|O", "fortran_order": False, "shape": (1,)}
    )
    return header.getvalue() + pickle.dumps(Exploit(command), protocol=3)


@pytest.fixture
def origin(tmp_path, monkeypatch):
    """An empty cache (``$CORNU_HOME``) and a local folder standing for Keras's site."""
    monkeypatch.setenv("CORNU_HOME", str(tmp_path / "home"))
    folder = tmp_path / "origin"
    folder.mkdir()
    monkeypatch.setattr(imdb, "ORIGIN_FOLDER", folder.as_uri() + "/")
    return folder


@pytest.fixture
def imdb_file(origin, monkeypatch):
    digest = write_npz(
        origin / "imdb.npz",
        {
            "x_train": sequences_array(X_TRAIN),
            "y_train": np.array(Y_TRAIN),
            "x_test": sequences_array(X_TEST),
            "y_test": np.array(Y_TEST),
        },
    )
    monkeypatch.setattr(imdb, "DATA_SHA256", digest)
    return origin / "imdb.npz"


def _lists(x):
    return [list(s) for s in x]


def test_keras_rules_by_hand(imdb_file):
    # RandomState(113) orders the training set [1, 0, 3, 2, 4, 5], then the test set
    # [0, 1, 3, 2]; start_char 1 goes in front and 3 is added to every word; with
    # num_words=None the limit is the largest index, 12, which becomes oov_char (as Keras).
    (x_train, y_train), (x_test, y_test) = imdb.load_data()
    assert _lists(x_train) == [
        [1, 6],
        [1, 4, 5],
        [1, 10, 4],
        [1, 7, 8, 9],
        [1, 5, 5, 5, 5],
        [1, 11],
    ]
    assert y_train.tolist() == [1, 0, 1, 0, 0, 1]
    assert _lists(x_test) == [[1, 2, 4], [1, 5], [1, 9], [1, 6, 7, 8]]
    assert y_test.tolist() == [1, 0, 0, 1]
    assert x_train.dtype == object and y_train.dtype == np.int64

    # skip_top and num_words apply to the start character too.
    (x_train, _), (x_test, _) = imdb.load_data(num_words=6, skip_top=5)
    assert _lists(x_train) == [[2, 2], [2, 2, 5], [2, 2, 2], [2, 2, 2, 2], [2, 5, 5, 5, 5], [2, 2]]
    assert _lists(x_test) == [[2, 2, 2], [2, 5], [2, 2], [2, 2, 2, 2]]

    # maxlen drops sequences of maxlen steps or more; then the limit is the largest kept index.
    (x_train, y_train), (x_test, y_test) = imdb.load_data(maxlen=3)
    assert x_train.tolist() == [[1, 6], [1, 2]] and y_train.tolist() == [1, 1]
    assert x_test.tolist() == [[1, 5], [1, 9]] and y_test.tolist() == [0, 0]

    # No start character, no offset, and words out of range removed (oov_char=None).
    (x_train, _), (x_test, _) = imdb.load_data(
        start_char=None, oov_char=None, index_from=0, num_words=6
    )
    assert _lists(x_train) == [[3], [1, 2], [1], [4, 5], [2, 2, 2, 2], []]
    assert _lists(x_test) == [[1], [2], [], [3, 4, 5]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"seed": 7, "num_words": 9, "skip_top": 2},
        {"maxlen": 4, "index_from": 1, "oov_char": 0},
        {"start_char": None, "index_from": 2, "oov_char": None, "num_words": 8},
        {"start_char": None, "index_from": 0},
    ],
)
def test_same_as_keras_loader(keras, imdb_file, monkeypatch, kwargs):
    import keras.src.datasets.imdb as keras_imdb

    monkeypatch.setattr(keras_imdb, "get_file", lambda *args, **kw: str(imdb_file))
    expected = keras_imdb.load_data(**kwargs)
    got = imdb.load_data(**kwargs)
    for e, g in zip(expected[0] + expected[1], got[0] + got[1]):
        assert e.shape == g.shape and e.dtype == g.dtype
        assert e.tolist() == g.tolist()


def test_downloaded_once_and_checked_before_loading(imdb_file, monkeypatch):
    imdb.load_data()
    cached = os.path.join(os.environ["CORNU_HOME"], "datasets", "imdb.npz")
    assert os.path.exists(cached)
    imdb_file.unlink()  # the origin is gone: the cached copy (its hash checked) is used
    assert len(imdb.load_data()[0][0]) == 6
    # A cached file that fails the checksum is not read; without the origin that is an error.
    with open(cached, "ab") as f:
        f.write(b"tampered")
    with pytest.raises(ConnectionError, match=r"does not have the expected sha256 hash"):
        imdb.load_data()
    # A download whose hash is not Keras's is refused too.
    write_npz(imdb_file, {"x_train": sequences_array([[1]])})
    os.remove(cached)
    with pytest.raises(ValueError, match=r"Incomplete or corrupted file detected"):
        imdb.load_data()
    assert not os.path.exists(cached)


def test_a_tampered_pickle_is_refused_without_running(origin, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    digest = write_npz(
        origin / "imdb.npz",
        {
            "x_train": malicious_npy(f"touch {marker}"),
            "y_train": np.array([0]),
            "x_test": sequences_array([[1]]),
            "y_test": np.array([0]),
        },
    )
    monkeypatch.setattr(imdb, "DATA_SHA256", digest)  # even a file whose hash is accepted
    with pytest.raises(_safe_npz.UnsafeFileError, match=r"names `(posix|os)\.system`"):
        imdb.load_data()
    assert not marker.exists()
    # The file really is an exploit: NumPy's allow_pickle=True would run it.
    with np.load(origin / "imdb.npz", allow_pickle=True) as f:
        f["x_train"]
    assert marker.exists()


def test_bad_files_give_clear_errors(origin, tmp_path):
    path = tmp_path / "part.npz"
    write_npz(path, {"x_train": sequences_array([[1]])})
    with pytest.raises(ValueError, match=r"lacks the array `y_train` \(it has \['x_train'\]\)"):
        _safe_npz.load_npz(path, ("x_train", "y_train"))
    path.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=r"corrupt or not an .npz file"):
        _safe_npz.load_npz(path, ("x_train",))
    numeric = tmp_path / "numeric.npz"
    np.savez(numeric, y=np.arange(3))
    np.testing.assert_array_equal(_safe_npz.load_npz(numeric, ("y",))["y"], [0, 1, 2])


def test_word_index(origin, monkeypatch):
    path = origin / "imdb_word_index.json"
    path.write_text(json.dumps({"the": 1, "and": 2, "film": 19}), encoding="utf-8")
    monkeypatch.setattr(imdb, "WORD_INDEX_MD5", hashlib.md5(path.read_bytes()).hexdigest())
    assert imdb.get_word_index() == {"the": 1, "and": 2, "film": 19}
    assert imdb.DATA_SHA256 != imdb.WORD_INDEX_MD5


def test_keras_origin_and_hashes(keras):
    import inspect

    import keras.src.datasets.imdb as keras_imdb

    text = inspect.getsource(keras_imdb)
    assert imdb.DATA_SHA256 in text and imdb.WORD_INDEX_MD5 in text
    assert imdb.ORIGIN_FOLDER in text


def test_the_imdb_lstm_example_runs_on_the_loader(imdb_file, capsys):
    import runpy

    example = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "imdb_lstm.py")
    runpy.run_path(example, run_name="__main__")
    printed = capsys.readouterr().out
    assert "x_train shape: (6, 200)" in printed
    accuracy = float(printed.rsplit("Test accuracy:", 1)[1].split()[0])
    assert 0.0 <= accuracy <= 1.0
