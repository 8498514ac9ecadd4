"""get_file: cache lookup, file:// downloads, hash checks, atomic writes, offline errors."""

import hashlib
import io
import os
import tarfile
import zipfile

import pytest

from cornu.utils import get_file
from cornu.utils.file_utils import hash_file, validate_file


@pytest.fixture
def home(tmp_path, monkeypatch):
    path = tmp_path / "home"
    monkeypatch.setenv("CORNU_HOME", str(path))
    return path


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "src" / "data.bin"
    path.parent.mkdir()
    path.write_bytes(b"cornu" * 1000)
    return path


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder):
    return [name for name in os.listdir(folder) if name.startswith(".")]


def test_download_from_file_url_with_hash(home, source, capsys):
    path = get_file("data.bin", source.as_uri(), file_hash=_sha256(source))
    assert path == str(home / "datasets" / "data.bin")
    assert open(path, "rb").read() == source.read_bytes()
    out = capsys.readouterr().out
    assert f"Downloading data from {source.as_uri()}" in out
    assert "5000/5000" in out
    assert _leftovers(home / "datasets") == []
    assert validate_file(path, _sha256(source)) and hash_file(path) == _sha256(source)


def test_cached_file_is_used_without_network(home, source):
    get_file("data.bin", source.as_uri())
    source.unlink()
    assert get_file("data.bin", source.as_uri()) == str(home / "datasets" / "data.bin")


def test_fname_defaults_to_url_name_and_cache_dir_override(tmp_path, source):
    path = get_file(origin=source.as_uri(), cache_dir=str(tmp_path / "c"), cache_subdir="sub")
    assert path == str(tmp_path / "c" / "sub" / "data.bin")


def test_corrupt_download_is_deleted(home, source):
    with pytest.raises(ValueError, match="corrupted.*deleted"):
        get_file("data.bin", source.as_uri(), file_hash="0" * 64)
    folder = home / "datasets"
    assert os.listdir(folder) == []


def test_stale_cached_file_is_replaced_only_by_a_good_download(home, source):
    folder = home / "datasets"
    folder.mkdir(parents=True)
    (folder / "data.bin").write_bytes(b"old")
    path = get_file("data.bin", source.as_uri(), file_hash=_sha256(source))
    assert open(path, "rb").read() == source.read_bytes()


def test_offline_error_names_url_and_path(home):
    url = "http://127.0.0.1:9/x.npz"
    with pytest.raises(ConnectionError) as info:
        get_file("x.npz", url, file_hash="a" * 64)
    message = str(info.value)
    target = str(home / "datasets" / "x.npz")
    assert url in message and target in message and "'x.npz'" in message
    assert "a" * 64 in message
    assert os.listdir(home / "datasets") == []


def test_missing_file_url_is_a_clear_error(home, tmp_path):
    with pytest.raises(ConnectionError, match="put it at"):
        get_file("nope.bin", (tmp_path / "nope.bin").as_uri())


def test_bad_arguments(home, source):
    with pytest.raises(ValueError, match="origin"):
        get_file("data.bin")
    with pytest.raises(ValueError, match="not a path"):
        get_file(os.path.join("a", "b.bin"), source.as_uri())


def test_extract_tar_and_zip(home, tmp_path):
    tar_path = tmp_path / "arch.tar.gz"
    with tarfile.open(tar_path, "w:gz") as tar:
        data = b"hello"
        info = tarfile.TarInfo("inner/a.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    folder = get_file("arch.tar.gz", tar_path.as_uri(), extract=True)
    assert folder == str(home / "datasets" / "arch_extracted")
    assert open(os.path.join(folder, "inner", "a.txt")).read() == "hello"

    zip_path = tmp_path / "z.zip"
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("b.txt", "zip")
    folder = get_file("z.zip", zip_path.as_uri(), extract=True)
    assert open(os.path.join(folder, "b.txt")).read() == "zip"
    assert _leftovers(home / "datasets") == []


def test_extract_refuses_paths_outside(home, tmp_path):
    zip_path = tmp_path / "evil.zip"
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("../escape.txt", "no")
    with pytest.raises(ValueError, match="outside"):
        get_file("evil.zip", zip_path.as_uri(), extract=True)
    assert not (home / "escape.txt").exists()
    assert not (home / "datasets" / "evil_extracted").exists()
