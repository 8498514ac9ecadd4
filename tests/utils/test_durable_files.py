"""Durable atomic writes: umask modes, fsync before and after the rename, stale temporaries."""

import os
import subprocess
import sys

import numpy as np
import pytest

import cornu
from cornu.utils import durable_files


def _model():
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_get_the_mode_the_umask_gives(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        model = _model()
        model.save(tmp_path / "m.keras")
        model.save_weights(tmp_path / "m.weights.h5")
        with durable_files.atomic_write(tmp_path / "notes.txt") as f:
            f.write("hello")
    finally:
        os.umask(old)
    for name in ("m.keras", "m.weights.h5", "notes.txt"):
        assert os.stat(tmp_path / name).st_mode & 0o777 == mode, name


def test_file_and_folder_are_fsynced_around_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle):
        events.append(("fsync", os.path.basename(os.readlink(f"/proc/self/fd/{handle}"))))
        return real_fsync(handle)

    def replace(src, dst):
        events.append(("replace", os.path.basename(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    durable_files.replace_file(str(tmp_path / "a.bin"), lambda p: open(p, "wb").write(b"x"))
    kinds = [kind for kind, _ in events]
    assert kinds == ["fsync", "replace", "fsync"]
    assert events[0][1].startswith(".a.bin.") and events[2][1] == tmp_path.name
    assert (tmp_path / "a.bin").read_bytes() == b"x"


def _dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_crashed_writers_temporary_is_removed_by_the_next_write(tmp_path):
    host = durable_files._host()
    stale = tmp_path / f".m.keras.{host}-{_dead_pid()}-0123abcd.tmp.keras"
    stale.write_bytes(b"half a model")
    live = tmp_path / f".m.keras.{host}-{os.getppid()}-89abcdef.tmp.keras"
    live.write_bytes(b"someone else's write in progress")
    other_target = tmp_path / f".n.keras.{host}-{_dead_pid()}-01234567.tmp.keras"
    other_target.write_bytes(b"another file's")
    _model().save(tmp_path / "m.keras")
    assert not stale.exists()
    assert live.exists() and other_target.exists()
    assert cornu.saving.load_model(tmp_path / "m.keras") is not None


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("old")

    def fail(path):
        with open(path, "w") as f:
            f.write("new, half")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        durable_files.replace_file(str(target), fail)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["t.txt"]


def test_the_temporary_keeps_the_targets_extension(tmp_path):
    seen = []
    durable_files.replace_file(
        str(tmp_path / "w.weights.h5"), lambda p: seen.append(p) or open(p, "wb").close()
    )
    assert seen[0].endswith(".h5") and os.path.basename(seen[0]).startswith(".w.weights.h5.")
    np.testing.assert_equal(os.listdir(tmp_path), ["w.weights.h5"])
