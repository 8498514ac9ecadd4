"""mnist.load_data: the cached file (checked by content), wrong files, offline errors."""

import os
import shutil

import numpy as np
import pytest

from cornu.datasets import mnist

SHARED_MNIST = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mnist.npz"
)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CORNU_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    return tmp_path


@pytest.mark.skipif(not os.path.exists(SHARED_MNIST), reason="no copy of mnist.npz")
def test_loads_cached_copy(home):
    shutil.copy(SHARED_MNIST, home / "datasets" / "mnist.npz")
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype("uint8")}
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:5].tolist() == [7, 2, 1, 0, 4]
    assert x_train.max() == 255 and x_train.min() == 0


def _fake(path, **overrides):
    arrays = {
        "x_train": np.zeros((60000, 28, 28), "uint8"),
        "y_train": np.zeros((60000,), "uint8"),
        "x_test": np.zeros((10000, 28, 28), "uint8"),
        "y_test": np.zeros((10000,), "uint8"),
    }
    arrays.update(overrides)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    np.savez(path, **arrays)


def test_wrong_arrays_are_refused(home):
    path = home / "datasets" / "mnist.npz"
    _fake(path, y_train=np.zeros((5,), "int64"))
    with pytest.raises(ValueError, match=r"wrong `y_train`.*\(60000,\)"):
        mnist.load_data()
    _fake(path, x_test=None)
    with pytest.raises(ValueError, match="lacks the arrays.*x_test"):
        mnist.load_data()


def test_corrupt_file_is_refused(home):
    (home / "datasets" / "mnist.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValueError, match="corrupt or not an .npz") as info:
        mnist.load_data()
    assert str(home / "datasets" / "mnist.npz") in str(info.value)


def test_offline_without_cache_names_url_and_path(home, monkeypatch):
    monkeypatch.setattr(mnist, "ORIGIN", "http://127.0.0.1:9/mnist.npz")
    with pytest.raises(ConnectionError) as info:
        mnist.load_data()
    message = str(info.value)
    assert "http://127.0.0.1:9/mnist.npz" in message
    assert str(home / "datasets" / "mnist.npz") in message
    assert mnist.SHA256 in message
