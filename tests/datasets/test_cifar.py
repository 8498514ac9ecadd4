"""cifar10/cifar100.load_data on small archives in the real "binary version" format (records
of label bytes, then the red, green and blue 32x32 planes row by row), served from a local
origin: Keras's shapes and dtypes, the pixels and labels written, md5 checked before use,
downloaded once, and clear errors for damaged files."""

import hashlib
import io
import tarfile

import numpy as np
import pytest

import cornu
from cornu.datasets import cifar10, cifar100

rng = np.random.RandomState(0)


def record_bytes(images, labels):
    """Records as the CIFAR binary files hold them: label bytes, then the image as 3 planes."""
    planes = images.transpose(0, 3, 1, 2).reshape(len(images), -1)
    return np.concatenate([labels.astype(np.uint8), planes], axis=1).tobytes()


def write_archive(path, folder, files):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture
def origin(tmp_path, monkeypatch):
    monkeypatch.setenv("CORNU_HOME", str(tmp_path / "home"))
    folder = tmp_path / "origin"
    folder.mkdir()
    return folder


def cifar10_data(sizes=(2, 3, 1, 2, 2), test_size=3):
    batches = [
        (rng.randint(0, 256, (n, 32, 32, 3)).astype(np.uint8), rng.randint(0, 10, (n, 1)))
        for n in sizes + (test_size,)
    ]
    for _, labels in batches:
        labels[-1] = 9  # every split holds the last class, as to_categorical needs
    return batches[:-1], batches[-1]


@pytest.fixture
def cifar10_archive(origin, monkeypatch):
    train, test = cifar10_data()
    files = {f"data_batch_{i + 1}.bin": record_bytes(*batch) for i, batch in enumerate(train)}
    files["test_batch.bin"] = record_bytes(*test)
    files["batches.meta.txt"] = b"airplane\nautomobile\n"
    path = origin / "cifar-10-binary.tar.gz"
    monkeypatch.setattr(cifar10, "ARCHIVE_MD5", write_archive(path, "cifar-10-batches-bin", files))
    monkeypatch.setattr(cifar10, "ORIGIN", path.as_uri())
    return path, train, test


def test_cifar10_shapes_dtypes_and_values(cifar10_archive):
    _, train, test = cifar10_archive
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
    assert y_train.shape == (10, 1) and y_test.shape == (3, 1)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype("uint8")}
    np.testing.assert_array_equal(x_train, np.concatenate([x for x, _ in train]))
    np.testing.assert_array_equal(y_train, np.concatenate([y for _, y in train]))
    np.testing.assert_array_equal(x_test, test[0])
    np.testing.assert_array_equal(y_test, test[1])


def test_cifar10_channels_first(cifar10_archive):
    _, _, test = cifar10_archive
    cornu.backend.set_image_data_format("channels_first")
    try:
        _, (x_test, _) = cifar10.load_data()
    finally:
        cornu.backend.set_image_data_format("channels_last")
    assert x_test.shape == (3, 3, 32, 32)
    np.testing.assert_array_equal(x_test, test[0].transpose(0, 3, 1, 2))


def test_downloaded_once_then_read_from_the_cache(cifar10_archive, tmp_path):
    path, _, test = cifar10_archive
    cifar10.load_data()
    path.unlink()  # the origin is gone: the cached copy serves the second load
    _, (x_test, _) = cifar10.load_data()
    np.testing.assert_array_equal(x_test, test[0])
    assert (tmp_path / "home" / "datasets" / "cifar-10-binary.tar.gz").exists()


def test_a_wrong_checksum_is_refused_and_nothing_is_cached(cifar10_archive, tmp_path, monkeypatch):
    monkeypatch.setattr(cifar10, "ARCHIVE_MD5", "0" * 32)
    with pytest.raises(ValueError, match="hash|md5|checksum"):
        cifar10.load_data()
    assert not (tmp_path / "home" / "datasets" / "cifar-10-binary.tar.gz").exists()


def test_real_checksums_are_the_published_ones():
    assert cifar10.ARCHIVE_MD5 == "c32a1d4ab5d03f1284b67883e8d87530"
    assert cifar100.ARCHIVE_MD5 == "03b5dce01913d631647c71ecec9e9cb8"
    assert cifar10.ORIGIN.endswith("cifar-10-binary.tar.gz")
    assert cifar100.ORIGIN.endswith("cifar-100-binary.tar.gz")


def serve_cifar10(origin, monkeypatch, files):
    path = origin / "cifar-10-binary.tar.gz"
    monkeypatch.setattr(cifar10, "ARCHIVE_MD5", write_archive(path, "cifar-10-batches-bin", files))
    monkeypatch.setattr(cifar10, "ORIGIN", path.as_uri())


def good_cifar10_files():
    train, test = cifar10_data()
    files = {f"data_batch_{i + 1}.bin": record_bytes(*b) for i, b in enumerate(train)}
    files["test_batch.bin"] = record_bytes(*test)
    return files


def test_a_truncated_file_names_the_file_and_the_record_size(origin, monkeypatch):
    files = good_cifar10_files()
    files["data_batch_3.bin"] = files["data_batch_3.bin"][:-5]
    serve_cifar10(origin, monkeypatch, files)
    with pytest.raises(ValueError, match=r"data_batch_3\.bin.*3073-byte records"):
        cifar10.load_data()


def test_an_out_of_range_label_is_refused(origin, monkeypatch):
    files = good_cifar10_files()
    images = np.zeros((1, 32, 32, 3), np.uint8)
    files["test_batch.bin"] = record_bytes(images, np.array([[12]]))
    serve_cifar10(origin, monkeypatch, files)
    with pytest.raises(ValueError, match=r"test_batch\.bin has a label 12.*below 10"):
        cifar10.load_data()


def test_an_archive_of_another_version_is_refused(origin, monkeypatch):
    files = {"data_batch_1": b"pickled data", "test_batch": b"pickled data"}  # the python one
    serve_cifar10(origin, monkeypatch, files)
    with pytest.raises(ValueError, match="not the binary version"):
        cifar10.load_data()


@pytest.fixture
def cifar100_archive(origin, monkeypatch):
    splits = []
    for n in (4, 3):
        images = rng.randint(0, 256, (n, 32, 32, 3)).astype(np.uint8)
        coarse, fine = rng.randint(0, 20, (n, 1)), rng.randint(0, 100, (n, 1))
        splits.append((images, coarse, fine))
    files = {
        name: record_bytes(images, np.concatenate([coarse, fine], axis=1))
        for name, (images, coarse, fine) in zip(("train.bin", "test.bin"), splits)
    }
    path = origin / "cifar-100-binary.tar.gz"
    monkeypatch.setattr(cifar100, "ARCHIVE_MD5", write_archive(path, "cifar-100-binary", files))
    monkeypatch.setattr(cifar100, "ORIGIN", path.as_uri())
    return splits


@pytest.mark.parametrize("label_mode, column", [("fine", 2), ("coarse", 1)])
def test_cifar100_labels(cifar100_archive, label_mode, column):
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode=label_mode)
    assert x_train.shape == (4, 32, 32, 3) and y_train.shape == (4, 1)
    assert x_test.shape == (3, 32, 32, 3) and y_test.shape == (3, 1)
    assert y_train.dtype == np.int64 and x_train.dtype == np.uint8  # Keras's dtypes
    np.testing.assert_array_equal(x_train, cifar100_archive[0][0])
    np.testing.assert_array_equal(y_train, cifar100_archive[0][column])
    np.testing.assert_array_equal(y_test, cifar100_archive[1][column])


def test_cifar100_default_is_fine(cifar100_archive):
    (_, y_train), _ = cifar100.load_data()
    np.testing.assert_array_equal(y_train, cifar100_archive[0][2])


def test_cifar100_bad_label_mode():
    with pytest.raises(ValueError, match='`label_mode` must be one of `"fine"`, `"coarse"`'):
        cifar100.load_data(label_mode="medium")


def test_the_tutorial_example_runs_on_the_loader(cifar10_archive, capsys):
    import os
    import runpy

    example = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "cifar10_cnn.py")
    runpy.run_path(example, run_name="__main__")
    printed = capsys.readouterr().out
    assert "test_acc:" in printed
    accuracy = float(printed.rsplit("test_acc:", 1)[1].split()[0])
    assert 0.0 <= accuracy <= 1.0
