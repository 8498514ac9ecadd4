"""Backend selection and global settings."""

import json
import os
import subprocess
import sys

import pytest

from cornu import backend

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _import_cornu(env_extra, tmp_path):
    env = dict(os.environ, CORNU_HOME=str(tmp_path), PYTHONPATH=ROOT)
    env.pop("CORNU_BACKEND", None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", "import cornu; print(cornu.backend.backend())"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.backends("torch")  # the default, when no backend is selected
def test_default_backend_is_torch():
    assert backend.backend() == "torch"


def test_unknown_backend_name_is_a_clear_error(tmp_path):
    result = _import_cornu({"CORNU_BACKEND": "mxnet"}, tmp_path)
    assert result.returncode != 0
    assert "Unknown backend 'mxnet'" in result.stderr
    assert "Available backends: torch" in result.stderr


def test_backend_and_floatx_from_settings_file(tmp_path):
    (tmp_path / "cornu.json").write_text(json.dumps({"backend": "torch", "floatx": "float64"}))
    env = dict(os.environ, CORNU_HOME=str(tmp_path), PYTHONPATH=ROOT)
    env.pop("CORNU_BACKEND", None)
    code = "import cornu; print(cornu.backend.backend(), cornu.backend.floatx())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.split() == ["torch", "float64"], out.stderr


def test_unknown_backend_in_settings_file(tmp_path):
    (tmp_path / "cornu.json").write_text(json.dumps({"backend": "jaxx"}))
    result = _import_cornu({}, tmp_path)
    assert "Unknown backend 'jaxx' (from cornu.json)" in result.stderr


def test_settings_validation():
    with pytest.raises(ValueError, match="Unknown `floatx`"):
        backend.set_floatx("float8")
    with pytest.raises(ValueError, match="channels_last"):
        backend.set_image_data_format("channels_middle")
    assert backend.epsilon() == 1e-7
    assert backend.image_data_format() == "channels_last"
