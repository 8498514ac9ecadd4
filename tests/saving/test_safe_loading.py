"""Loading never runs code from a file, and a bad file changes nothing."""

import json
import os
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cornu
from cornu.saving import SavedFileError


def _model():
    cornu.utils.set_random_seed(0)
    return cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2), cornu.layers.Dense(1)])


def _rewrite_config(path, change):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    change(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_lambda_is_refused_in_safe_mode_and_loads_when_allowed(tmp_path):
    inputs = cornu.Input((2,))
    model = cornu.Model(inputs, cornu.layers.Lambda(lambda x: x * 5.0)(inputs))
    path = str(tmp_path / "lambda.keras")
    model.save(path)
    with pytest.raises(ValueError, match="potential risk of arbitrary code execution"):
        cornu.saving.load_model(path)
    loaded = cornu.saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[5.0, 5.0]])


def test_an_unregistered_class_path_instantiates_nothing(tmp_path):
    path = str(tmp_path / "evil.keras")
    _model().save(path)
    marker = tmp_path / "ran"

    def point_at_os(config):
        layer = config["config"]["layers"][1]
        layer["module"], layer["class_name"] = "os", "system"
        layer["config"] = f"touch {marker}"

    _rewrite_config(path, point_at_os)
    with pytest.raises(ValueError, match="Unknown layer: 'system'"):
        cornu.saving.load_model(path)
    assert not marker.exists()


def test_a_failed_weights_load_changes_nothing(tmp_path):
    model = _model()
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    other = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2), cornu.layers.Dense(5)])
    before = other.get_weights()
    with pytest.raises(SavedFileError, match=r"expects 2 variables of shapes \[\(2, 5\), \(5,\)\]"):
        other.load_weights(path)
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)
    other.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(other.get_weights()[0], model.get_weights()[0])


def test_a_failed_save_leaves_the_previous_file(tmp_path, monkeypatch):
    path = str(tmp_path / "m.keras")
    model = _model()
    model.save(path)
    original = open(path, "rb").read()
    from cornu.saving import saving_lib

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(saving_lib, "_write_weights", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save(path)
    assert open(path, "rb").read() == original
    assert os.listdir(tmp_path) == ["m.keras"]


def test_truncated_and_foreign_files_raise_one_error(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(str(path))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SavedFileError, match="m.keras"):
        cornu.saving.load_model(str(path))
    path.write_bytes(b"not a zip at all")
    with pytest.raises(SavedFileError):
        cornu.saving.load_model(str(path))
    weights = tmp_path / "w.weights.h5"
    weights.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 50)
    with pytest.raises(SavedFileError, match="HDF5"):
        _model().load_weights(str(weights))


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("valid")
    model = _model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    model.save(str(folder / "m.keras"))
    model.save_weights(str(folder / "m.weights.h5"))
    return _Files((folder / "m.keras").read_bytes(), (folder / "m.weights.h5").read_bytes())


class _Files(tuple):
    def __new__(cls, *files):
        return super().__new__(cls, files)

    def __repr__(self):
        return "<a valid .keras file and a valid .weights.h5 file>"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_files_load_or_raise_the_documented_error(valid_files, tmp_path, data):
    which = data.draw(st.sampled_from([0, 1]))
    blob = bytearray(valid_files[which])
    action = data.draw(st.sampled_from(["flip", "truncate", "splice"]))
    if action == "truncate":
        blob = blob[: data.draw(st.integers(0, len(blob) - 1))]
    else:
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(blob) - 1))
            blob[i] = data.draw(st.integers(0, 255)) if action == "flip" else blob[-1 - i]
    path = tmp_path / ("f.keras" if which == 0 else "f.weights.h5")
    path.write_bytes(bytes(blob))
    try:
        if which == 0:
            cornu.saving.load_model(str(path))
        else:
            _model().load_weights(str(path))
    except (SavedFileError, ValueError):
        pass
