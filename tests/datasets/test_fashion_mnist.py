"""Fashion-MNIST from IDX files, and the IDX reader's checks."""

import gzip
import os

import numpy as np
import pytest

from cornu.datasets import fashion_mnist
from cornu.datasets.idx import read_idx


def _write_idx(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape
    )
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_idx_files_in_the_real_format_load(tmp_path, monkeypatch):
    rng = np.random.RandomState(0)
    images = {"train": rng.randint(0, 256, (5, 28, 28)), "t10k": rng.randint(0, 256, (3, 28, 28))}
    labels = {"train": rng.randint(0, 10, 5), "t10k": rng.randint(0, 10, 3)}
    for part in ("train", "t10k"):
        _write_idx(tmp_path / f"{part}-images-idx3-ubyte.gz", images[part])
        _write_idx(tmp_path / f"{part}-labels-idx1-ubyte.gz", labels[part])
    monkeypatch.setattr(fashion_mnist, "DEBIAN_FOLDER", str(tmp_path))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.dtype == np.uint8 and x_train.shape == (5, 28, 28)
    np.testing.assert_array_equal(x_train, images["train"])
    np.testing.assert_array_equal(y_test, labels["t10k"])
    assert y_train.shape == (5,) and x_test.shape == (3, 28, 28)


def test_a_malformed_idx_file_is_refused(tmp_path):
    path = tmp_path / "bad.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"\x00\x00\x08\x01" + (10).to_bytes(4, "big") + b"\x01\x02")
    with pytest.raises(ValueError, match="announces shape"):
        read_idx(path)
    with gzip.open(path, "wb") as f:
        f.write(b"PK\x03\x04")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(path)


@pytest.mark.skipif(
    not os.path.exists(fashion_mnist.DEBIAN_FOLDER), reason="Debian's dataset-fashion-mnist"
)
def test_the_real_files_have_keras_shapes():
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert x_train.dtype == np.uint8 and int(y_train.max()) == 9
