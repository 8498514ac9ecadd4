"""Loading never runs code from a file, bad files raise one documented error, and a failed
load changes nothing."""

import json
import pathlib
import re
import signal
import struct
import zipfile

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import cornu
from cornu.saving import SavedFileError
from cornu.saving.saving_lib import DIGEST_ATTRIBUTE


def _model():
    cornu.utils.set_random_seed(0)
    return cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2), cornu.layers.Dense(1)])


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_members(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _rewrite_config(path, change):
    members = _members(path)
    config = json.loads(members["config.json"])
    change(config)
    members["config.json"] = json.dumps(config).encode()
    _write_members(path, members)


def _lambda_model(marker):
    inputs = cornu.Input((2,))
    # Running the lambda leaves a file behind: proof that its code ran.
    outputs = cornu.layers.Lambda(
        lambda x: (__import__("pathlib").Path(marker).touch(), x * 5.0)[1]
    )(inputs)
    return cornu.Model(inputs, outputs)


def test_a_lambda_is_refused_in_safe_mode_and_loads_when_allowed(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    path = str(tmp_path / "lambda.keras")
    _lambda_model(str(marker)).save(path)
    marker.unlink()
    from cornu.saving import lambda_code

    class NoDecoding:
        def loads(self, *args):
            raise AssertionError("the bytecode was decoded")

    with monkeypatch.context() as patch:
        patch.setattr(lambda_code, "marshal", NoDecoding())
        with pytest.raises(SavedFileError, match="potential risk of arbitrary code execution"):
            cornu.saving.load_model(path)
    assert not marker.exists()
    loaded = cornu.saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[5.0, 5.0]])
    assert marker.exists()


def test_a_keras_lambda_file_is_refused_too(keras, tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 3.0)(inputs))
    path = str(tmp_path / "keras_lambda.keras")
    model.save(path)
    with pytest.raises(SavedFileError, match="Lambda` layer whose `function` is a Python lambda"):
        cornu.saving.load_model(path)
    loaded = cornu.saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[3.0, 3.0]])


def test_unsafe_deserialization_can_be_enabled_for_the_process(tmp_path, monkeypatch):
    from cornu.saving import safe_mode

    path = str(tmp_path / "lambda.keras")
    _lambda_model(str(tmp_path / "ran")).save(path)
    monkeypatch.setitem(safe_mode._global_safe_mode, "value", None)
    cornu.saving.enable_unsafe_deserialization()
    assert cornu.saving.load_model(path).predict(np.ones((1, 2)), verbose=0).shape == (1, 2)


@pytest.mark.parametrize(
    "entry",
    [
        {"module": "os", "class_name": "system", "config": "touch {marker}"},
        {"module": "subprocess", "class_name": "Popen", "config": {"args": ["touch", "{marker}"]}},
        {"module": "builtins", "class_name": "eval", "config": {"source": "1"}},
        {"module": "keras.models", "class_name": "load_model", "config": {}},
        {"module": None, "class_name": "Evil", "config": {}, "registered_name": "os>system"},
    ],
)
def test_an_unregistered_class_path_instantiates_nothing(tmp_path, entry):
    path = str(tmp_path / "evil.keras")
    _model().save(path)
    marker = tmp_path / "ran"
    entry = json.loads(json.dumps(entry).replace("{marker}", str(marker)))

    def point_at_it(config):
        config["config"]["layers"][1] = entry

    _rewrite_config(path, point_at_it)
    with pytest.raises(SavedFileError, match="Could not locate class|Unknown layer"):
        cornu.saving.load_model(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "activation",
    [
        {"module": "os", "class_name": "function", "config": "system", "registered_name": "x"},
        {"module": "builtins", "class_name": "function", "config": "exec"},
        {"module": "keras.saving", "class_name": "function", "config": "load_model"},
        {"class_name": "__lambda__", "config": {"value": ["e30=", None, None]}},
    ],
)
def test_functions_outside_the_modeling_api_are_refused(tmp_path, activation):
    path = str(tmp_path / "evil.keras")
    _model().save(path)

    def point_at_it(config):
        config["config"]["layers"][1]["config"]["activation"] = activation

    _rewrite_config(path, point_at_it)
    with pytest.raises(SavedFileError, match="Unknown|arbitrary code execution"):
        cornu.saving.load_model(path)


def test_a_failed_weights_load_changes_nothing(tmp_path):
    model = _model()
    path = tmp_path / "w.weights.h5"
    model.save_weights(str(path))
    with h5py.File(path, "r+") as f:
        del f["layers/dense_1/vars/1"]
        f["layers/dense_1/vars/1"] = np.array([b"x"])  # not numbers
        del f.attrs[DIGEST_ATTRIBUTE]  # as Keras writes files: no checksum to catch it first
    other = _model()
    other.set_weights([w + 1.0 for w in other.get_weights()])
    before = other.get_weights()
    with pytest.raises(SavedFileError, match=r"w.weights.h5.*not numbers"):
        other.load_weights(str(path))
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)  # the first layer was not assigned either


def test_links_out_of_the_weights_file_are_refused(tmp_path):
    outside = tmp_path / "outside.h5"
    with h5py.File(outside, "w") as f:
        f["kernel"] = np.ones((3, 2), "float32")
    path = tmp_path / "w.weights.h5"
    _model().save_weights(str(path))
    with h5py.File(path, "r+") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(str(outside), "/kernel")
        del f.attrs[DIGEST_ATTRIBUTE]
    with pytest.raises(SavedFileError, match="ExternalLink, which is not allowed"):
        _model().load_weights(str(path))


def _patch_central_directory(path, member, offset, value):
    data = bytearray(path.read_bytes())
    name = member.encode()
    start = 0
    while True:
        start = data.index(b"PK\x01\x02", start)
        name_length = struct.unpack("<H", data[start + 28 : start + 30])[0]
        if data[start + 46 : start + 46 + name_length] == name:
            break
        start += 4
    data[start + offset : start + offset + 4] = struct.pack("<I", value)
    path.write_bytes(bytes(data))


def test_absurd_member_sizes_are_refused_before_reading(tmp_path):
    path = tmp_path / "bomb.keras"
    _model().save(str(path))
    _patch_central_directory(path, "model.weights.h5", 24, 0xF0000000)  # uncompressed size
    with pytest.raises(SavedFileError, match="potential decompression bomb"):
        cornu.saving.load_model(str(path))
    _model().save(str(path))
    _patch_central_directory(path, "config.json", 20, 0x7FFFFFF0)  # compressed size
    with pytest.raises(SavedFileError, match="truncated or corrupt"):
        cornu.saving.load_model(str(path))


def test_truncated_corrupt_and_foreign_files_raise_one_error(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(str(path))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SavedFileError, match="m.keras"):
        cornu.saving.load_model(str(path))
    path.write_bytes(b"not a zip at all")
    with pytest.raises(SavedFileError, match="not a readable .keras archive"):
        cornu.saving.load_model(str(path))
    _write_members(path, {"hello.txt": b"hi"})
    with pytest.raises(SavedFileError, match="not a Keras model archive"):
        cornu.saving.load_model(str(path))
    _write_members(path, {"config.json": b"[1, 2]", "model.weights.h5": b""})
    with pytest.raises(SavedFileError, match="does not describe a model"):
        cornu.saving.load_model(str(path))
    weights = tmp_path / "w.weights.h5"
    weights.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 50)
    with pytest.raises(SavedFileError, match="HDF5"):
        _model().load_weights(str(weights))
    assert issubclass(SavedFileError, ValueError)


def test_no_pickle_in_saving_or_export():
    """Loading never unpickles: no module of saving or export imports or calls pickle, or
    lets NumPy unpickle (they may speak of pickling a model, which goes through .keras)."""
    uses = re.compile(
        r"^\s*(import|from) (c?pickle|dill)\b|\bc?pickle\.\w|allow_pickle\s*=\s*True", re.M
    )
    root = pathlib.Path(cornu.__file__).parent
    for folder in ("saving", "export"):
        for source in (root / folder).rglob("*.py"):
            assert not uses.search(source.read_text()), source
    assert uses.search("import pickle\n") and uses.search("np.load(f, allow_pickle=True)")


# ---- fuzzing ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("valid")
    inputs = cornu.Input((3,), name="x")
    hidden = cornu.layers.Dense(4, activation="relu")(inputs)
    hidden = cornu.layers.BatchNormalization()(hidden)
    model = cornu.Model(inputs, cornu.layers.Dense(1)(cornu.layers.Dropout(0.1)(hidden)))
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    model.save(str(folder / "m.keras"))
    model.save_weights(str(folder / "m.weights.h5"))
    return {
        "keras": (folder / "m.keras").read_bytes(),
        "weights": (folder / "m.weights.h5").read_bytes(),
        "model": model,
    }


class _Hang(BaseException):
    """Raised by the alarm: not an Exception, so no loader can turn it into its own error."""


def _alarm(signum, frame):
    raise _Hang("a load took more than 30 seconds")


def _json_slots(value, slots):
    """Every (container, key) of a JSON value, depth first."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        slots.append((value, key))
        if isinstance(child, (dict, list)):
            _json_slots(child, slots)
    return slots


_replacements = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 40),
    st.floats(-2, 2),
    st.text(max_size=6),
    st.sampled_from(["Dense", "Lambda", "__lambda__", "function", "keras.layers", "os", []]),
    st.lists(st.integers(-1, 6), max_size=3),
    st.just({}),
)


@pytest.mark.requires_training  # its files come from a trained model
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_files_load_or_raise_the_documented_error(valid_files, tmp_path, data):
    which = data.draw(st.sampled_from(["keras", "weights", "json"]), label="file")
    if which == "json":
        members = _members_from_bytes(valid_files["keras"])
        config = json.loads(members["config.json"])
        slots = _json_slots(config, [])
        for _ in range(data.draw(st.integers(1, 3), label="changes")):
            container, key = slots[data.draw(st.integers(0, len(slots) - 1), label="slot")]
            if isinstance(container, dict) and data.draw(st.booleans(), label="delete"):
                container.pop(key, None)
            elif key in container if isinstance(container, dict) else key < len(container):
                container[key] = data.draw(_replacements, label="value")
        members["config.json"] = json.dumps(config).encode()
        path = tmp_path / "f.keras"
        _write_members(path, members)
    else:
        blob = bytearray(valid_files[which])
        action = data.draw(st.sampled_from(["flip", "truncate", "splice"]), label="action")
        if action == "truncate":
            blob = blob[: data.draw(st.integers(0, len(blob) - 1), label="length")]
        else:
            for _ in range(data.draw(st.integers(1, 8), label="bytes")):
                i = data.draw(st.integers(0, len(blob) - 1), label="at")
                blob[i] = data.draw(st.integers(0, 255)) if action == "flip" else blob[-1 - i]
        path = tmp_path / ("f.keras" if which == "keras" else "f.weights.h5")
        path.write_bytes(bytes(blob))
    target = valid_files["model"]
    before = target.get_weights()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(30)
    try:
        if which == "weights":
            target.load_weights(str(path))
        else:
            cornu.saving.load_model(str(path))
        event(f"{which}: loaded")
    except SavedFileError as error:
        event(f"{which}: {str(error).split(': ', 1)[-1][:40]}")
        for a, b in zip(before, target.get_weights()):
            np.testing.assert_array_equal(a, b)  # a failed load changed nothing
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _members_from_bytes(data):
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_cornu_lambda_file_is_one_keras_reads_and_refuses_too(keras, tmp_path):
    inputs = cornu.Input((2,))
    model = cornu.Model(inputs, cornu.layers.Lambda(lambda x: x * 4.0)(inputs))
    path = str(tmp_path / "lambda.keras")
    model.save(path)
    with pytest.raises(ValueError, match="arbitrary code execution"):
        keras.saving.load_model(path)
    theirs = keras.saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(theirs.predict(np.ones((1, 2)), verbose=0), [[4.0, 4.0]])
