"""boston_housing and california_housing on small files in the real format (arrays x and y
in an .npz), served from a local "origin" with their true hashes; against Keras's loaders."""

import hashlib

import numpy as np
import pytest

from cornu.datasets import boston_housing, california_housing

LOADERS = {"boston": (boston_housing, 13), "california": (california_housing, 8)}


def _serve(tmp_path, monkeypatch, module, x, y, name):
    monkeypatch.setenv("CORNU_HOME", str(tmp_path / "home"))
    origin = tmp_path / "origin"
    origin.mkdir(exist_ok=True)
    path = origin / name
    np.savez(path, x=x, y=y)
    monkeypatch.setattr(module, "ORIGIN_FOLDER", origin.as_uri() + "/")
    monkeypatch.setattr(module, "SHA256", hashlib.sha256(path.read_bytes()).hexdigest())
    return path


def _flat(result):
    (x_train, y_train), (x_test, y_test) = result
    return [x_train, y_train, x_test, y_test]


def _data(n, features):
    x = np.arange(n * features, dtype="float64").reshape(n, features)
    return x, np.arange(n, dtype="float64") * 10  # y names its row


@pytest.mark.parametrize("test_split, seed", [(0.2, 113), (0.3, 7), (0.0, 1)])
def test_boston_matches_keras(tmp_path, monkeypatch, keras, test_split, seed):
    from keras.src.datasets import boston_housing as keras_boston

    x, y = _data(20, 13)
    path = _serve(tmp_path, monkeypatch, boston_housing, x, y, "boston_housing.npz")
    monkeypatch.setattr(keras_boston, "get_file", lambda *a, **k: str(path))
    ours = boston_housing.load_data(test_split=test_split, seed=seed)
    theirs = keras_boston.load_data(test_split=test_split, seed=seed)
    for a, b in zip(_flat(ours), _flat(theirs)):
        np.testing.assert_array_equal(a, b)
    (x_train, y_train), (x_test, y_test) = ours
    assert len(x_train) == int(20 * (1 - test_split)) and len(x_train) + len(x_test) == 20
    np.testing.assert_array_equal(x_train[:, 0] / 13, y_train / 10)  # rows stay paired


@pytest.mark.parametrize("version", ["large", "small"])
def test_california_matches_keras(tmp_path, monkeypatch, keras, version):
    from keras.src.datasets import california_housing as keras_california

    x, y = _data(700, 8)
    x, y = x.astype("float32"), y.astype("float32")
    path = _serve(tmp_path, monkeypatch, california_housing, x, y, "california_housing.npz")
    monkeypatch.setattr(keras_california, "get_file", lambda *a, **k: str(path))
    ours = california_housing.load_data(version=version)
    theirs = keras_california.load_data(version=version)
    for a, b in zip(_flat(ours), _flat(theirs)):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype
    total = 600 if version == "small" else 700
    assert len(ours[0][0]) == int(total * 0.8) and ours[0][0].shape[1] == 8


def test_checksum_is_verified(tmp_path, monkeypatch):
    x, y = _data(10, 13)
    _serve(tmp_path, monkeypatch, boston_housing, x, y, "boston_housing.npz")
    monkeypatch.setattr(boston_housing, "SHA256", "0" * 64)
    with pytest.raises(Exception, match="(?i)hash|checksum|sha"):
        boston_housing.load_data()


@pytest.mark.parametrize("name", ["boston", "california"])
def test_bad_files_and_arguments(tmp_path, monkeypatch, name):
    module, features = LOADERS[name]
    filename = f"{module.__name__.split('.')[-1]}.npz"
    x, y = _data(10, features + 1)
    _serve(tmp_path, monkeypatch, module, x, y, filename)
    with pytest.raises(ValueError, match="wrong shape or type"):
        module.load_data()
    with pytest.raises(ValueError, match="Invalid `test_split` argument: 1"):
        module.load_data(test_split=1)
    (tmp_path / "origin" / filename).unlink()
    pickled = tmp_path / "origin" / filename
    np.savez(pickled, x=np.array([object()], dtype=object), y=np.zeros(1))
    monkeypatch.setattr(module, "SHA256", hashlib.sha256(pickled.read_bytes()).hexdigest())
    for cached in (tmp_path / "home").rglob(filename):
        cached.unlink()
    with pytest.raises(ValueError, match="cannot be read"):
        module.load_data()


def test_california_version_error():
    with pytest.raises(ValueError, match="Argument `version` must be one of 'small', 'large'"):
        california_housing.load_data(version="medium")
