"""Files that lie: a flipped weight byte, and a config that claims more memory than its
weights file holds. Both fail with SavedFileError before anything is assigned or allocated."""

import json
import os
import zipfile

import numpy as np
import pytest

import cornu
from cornu.saving import SavedFileError

PATTERN = np.float32(1.2345678)


def _model():
    model = cornu.Sequential(
        [cornu.Input((4,)), cornu.layers.Dense(3, name="wide"), cornu.layers.Dense(2, name="head")]
    )
    model.layers[0].kernel.assign(np.full((4, 3), PATTERN, "float32"))
    return model


def _flip_pattern_byte(data):
    index = data.index(PATTERN.tobytes())
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _rewrite_member(path, member, change):
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(name, change(data) if name == member else data)


def test_a_flipped_weight_byte_in_an_archive_is_an_error(tmp_path):
    path = str(tmp_path / "m.keras")
    _model().save(path)
    _rewrite_member(path, "model.weights.h5", _flip_pattern_byte)
    with pytest.raises(SavedFileError, match="do not match the checksum"):
        cornu.saving.load_model(path)


def test_a_flipped_weight_byte_in_a_weights_file_changes_nothing(tmp_path):
    path = tmp_path / "m.weights.h5"
    _model().save_weights(path)
    path.write_bytes(_flip_pattern_byte(path.read_bytes()))
    target = _model()
    before = [w.copy() for w in target.get_weights()]
    target.layers[0].kernel.assign(np.zeros((4, 3), "float32"))
    before = [w.copy() for w in target.get_weights()]
    with pytest.raises(SavedFileError, match="do not match the checksum"):
        target.load_weights(path)
    for old, new in zip(before, target.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_intact_files_round_trip_and_keras_reads_them(tmp_path, keras):
    path = str(tmp_path / "m.keras")
    model = _model()
    model.save(path)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(
        cornu.saving.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0)
    )
    theirs = keras.saving.load_model(path)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(theirs(x)), model.predict(x, verbose=0), atol=1e-6
    )


def test_files_without_a_checksum_still_load(tmp_path, keras):
    path = str(tmp_path / "k.keras")
    theirs = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    theirs.save(path)
    ours = cornu.saving.load_model(path)
    x = np.ones((1, 4), "float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), keras.ops.convert_to_numpy(theirs(x)), atol=1e-6
    )


def _lying_archive(tmp_path, units):
    path = str(tmp_path / "m.keras")
    _model().save(path)

    def lie(data):
        config = json.loads(data)
        config["config"]["layers"][2]["config"]["units"] = units
        return json.dumps(config).encode()

    _rewrite_member(path, "config.json", lie)
    return path


def test_a_config_claiming_more_than_its_weights_is_refused_before_allocating(tmp_path):
    path = _lying_archive(tmp_path, 10**9)  # a 4 x 10**9 kernel: 16 GB if it were allocated
    with pytest.raises(SavedFileError, match=r"Layer .head.*exceeds"):
        cornu.saving.load_model(path)


def test_the_allocation_slack_can_be_raised(tmp_path):
    path = _lying_archive(tmp_path, 1000)
    cornu.saving.set_allocation_slack(0)
    try:
        with pytest.raises(SavedFileError, match="exceeds"):
            cornu.saving.load_model(path)
        cornu.saving.set_allocation_slack(10_000)
        with pytest.raises(SavedFileError, match="expected the variables|shape"):
            cornu.saving.load_model(path)  # built, then the weights do not fit
    finally:
        cornu.saving.set_allocation_slack(1 << 24)
    with pytest.raises(ValueError, match="non-negative int"):
        cornu.saving.set_allocation_slack(-1)
    assert os.path.exists(path)
