"""The ``assets/`` folder of ``.keras`` archives and variables saved under names (``idf_weights``):
lookup layers' vocabularies, and a custom layer's files, both ways between cornu and Keras.

Keras's lookup layers need TensorFlow, which the test environment lacks: the Keras files below
are the ones Keras 3.15.1 wrote (TensorFlow 2.21 installed), member by member, with the
outputs Keras computed on them."""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import cornu
from cornu import layers

DOCUMENTS = ["the cat sat", "the dog", "a cat"]
TEXTS = np.array(["the cat", "dog dog z"])
TERMS = np.array([["a"], ["c"], ["z"]])
DTYPE_POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}


def _sequential(name, layer_entry):
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": name, "trainable": True, "dtype": DTYPE_POLICY, "layers": [layer_entry]},
        "registered_name": None,
        "compile_config": {},
    }


STRING_LOOKUP_TF_IDF = {
    "config": _sequential(
        "sequential",
        {
            "module": "keras.layers",
            "class_name": "StringLookup",
            "config": {
                "name": "string_lookup",
                "trainable": True,
                "dtype": DTYPE_POLICY,
                "invert": False,
                "max_tokens": None,
                "num_oov_indices": 1,
                "oov_token": "[UNK]",
                "mask_token": None,
                "output_mode": "tf_idf",
                "sparse": False,
                "pad_to_max_tokens": False,
                "idf_weights": None,
                "vocabulary": None,
                "vocabulary_size": 4,
                "oov_method": "floormod",
                "salt": None,
                "encoding": "utf-8",
            },
            "registered_name": None,
            "build_config": {},
        },
    ),
    "weights": {
        "layers/string_lookup/vars": {
            "idf_weights": [
                1.014840841293335,
                0.8472978472709656,
                1.0986123085021973,
                1.0986123085021973,
            ]
        },
    },
    "assets": {"assets/layers/string_lookup/vocabulary.txt": b"[UNK]\na\nc\nb"},
    "outputs": [
        [0.0, 0.8472978472709656, 0.0, 0.0],
        [0.0, 0.0, 1.0986123085021973, 0.0],
        [1.014840841293335, 0.0, 0.0, 0.0],
    ],
}

_TV_VOCABULARY = b"[UNK]\nthe\ncat\nsat\ndog\na"
_TV_IDF = [0.8270333409309387, 0.6931471824645996, 0.6931471824645996] + [0.9162907600402832] * 3
TEXT_VECTORIZATION_TF_IDF = {
    "config": _sequential(
        "sequential_1",
        {
            "module": "keras.layers",
            "class_name": "TextVectorization",
            "config": {
                "name": "text_vectorization",
                "trainable": True,
                "dtype": DTYPE_POLICY,
                "max_tokens": 10,
                "standardize": "lower_and_strip_punctuation",
                "split": "whitespace",
                "ngrams": None,
                "output_mode": "tf_idf",
                "output_sequence_length": None,
                "pad_to_max_tokens": False,
                "sparse": False,
                "ragged": False,
                "vocabulary": None,
                "idf_weights": None,
                "encoding": "utf-8",
                "vocabulary_size": 6,
            },
            "registered_name": None,
        },
    ),
    "weights": {
        "layers/text_vectorization/_lookup_layer/vars": {"idf_weights": _TV_IDF},
        "layers/text_vectorization/vars": {"idf_weights": _TV_IDF},
    },
    "assets": {
        "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt": _TV_VOCABULARY,
        "assets/layers/text_vectorization/vocabulary.txt": _TV_VOCABULARY,
    },
    "outputs": [
        [0.0, 0.6931471824645996, 0.6931471824645996, 0.0, 0.0, 0.0],
        [0.8270333409309387, 0.0, 0.0, 0.0, 1.8325815200805664, 0.0],
    ],
}


def _write_keras_file(path, spec):
    """A ``.keras`` archive laid out as Keras writes it."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("layers")
        for group_name, variables in spec["weights"].items():
            group = f.create_group(group_name)
            group.attrs["name"] = group_name.split("/")[-2]
            for key, value in variables.items():
                group[key] = np.asarray(value, dtype="float32")
        f.create_group("vars").attrs["name"] = spec["config"]["config"]["name"]
    metadata = {"keras_version": "3.15.1", "date_saved": "2026-01-01@00:00:00"}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("config.json", json.dumps(spec["config"]))
        archive.writestr("model.weights.h5", buffer.getvalue())
        for name, data in spec["assets"].items():
            archive.writestr(name, data)


def _members(path):
    """``(member names, {asset: bytes}, {h5 dataset: values})`` of a ``.keras`` archive."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        found_assets = {n: archive.read(n) for n in names if n.startswith("assets/")}
        datasets = {}
        with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as f:
            f.visititems(
                lambda n, o: datasets.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None
            )
    return names, found_assets, datasets


def _np(x):
    return cornu.ops.convert_to_numpy(x)


@pytest.mark.parametrize(
    "spec, data",
    [(STRING_LOOKUP_TF_IDF, TERMS), (TEXT_VECTORIZATION_TF_IDF, TEXTS)],
    ids=["string_lookup", "text_vectorization"],
)
def test_a_keras_written_lookup_file_loads_with_its_vocabulary(tmp_path, spec, data):
    path = str(tmp_path / "keras.keras")
    _write_keras_file(path, spec)
    model = cornu.saving.load_model(path)
    np.testing.assert_allclose(_np(model.layers[0](data)), spec["outputs"], atol=1e-5)
    again = str(tmp_path / "cornu.keras")
    model.save(again)
    names, found_assets, datasets = _members(again)
    assert names[:3] == ["metadata.json", "config.json", "model.weights.h5"]
    assert found_assets == spec["assets"]  # the same files, byte for byte
    expected = {
        f"{g}/{k}": v for g, variables in spec["weights"].items() for k, v in variables.items()
    }
    assert sorted(datasets) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(datasets[key], value, atol=1e-7)


@pytest.mark.parametrize(
    "spec, make, data",
    [
        (
            STRING_LOOKUP_TF_IDF,
            lambda: layers.StringLookup(output_mode="tf_idf"),
            np.array([["a"], ["b"], ["a"], ["c"]]),
        ),
        (
            TEXT_VECTORIZATION_TF_IDF,
            lambda: layers.TextVectorization(output_mode="tf_idf", max_tokens=10),
            DOCUMENTS,
        ),
    ],
    ids=["string_lookup", "text_vectorization"],
)
def test_an_adapted_cornu_lookup_writes_what_keras_writes(tmp_path, spec, make, data):
    layer = make()
    layer.adapt(data)
    model = cornu.Sequential([layer], name=spec["config"]["config"]["name"])
    path = str(tmp_path / "adapted.keras")
    model.save(path)
    names, found_assets, datasets = _members(path)
    assert names == ["metadata.json", "config.json", "model.weights.h5", *sorted(spec["assets"])]
    assert found_assets == spec["assets"]
    for group, variables in spec["weights"].items():
        for key, value in variables.items():
            np.testing.assert_allclose(datasets[f"{group}/{key}"], value, rtol=1e-6)
    with zipfile.ZipFile(path) as archive:
        written = json.loads(archive.read("config.json"))["config"]["layers"][0]["config"]
    theirs = spec["config"]["config"]["layers"][0]["config"]
    assert {k: written[k] for k in theirs if k != "dtype"} == {
        k: v for k, v in theirs.items() if k != "dtype"
    }


@pytest.mark.parametrize(
    "make, data, probe",
    [
        (lambda: layers.StringLookup(), ["a", "b", "a", "c"], np.array(["c", "a", "q"])),
        (
            lambda: layers.StringLookup(output_mode="tf_idf", max_tokens=6, pad_to_max_tokens=True),
            np.array([["a"], ["b"], ["a"], ["c"]]),
            TERMS,
        ),
        (lambda: layers.IntegerLookup(num_oov_indices=2), [5, 7, 7, 9], np.array([9, 5, 8, 11])),
        (lambda: layers.TextVectorization(output_sequence_length=5), DOCUMENTS, TEXTS),
        (lambda: layers.TextVectorization(output_mode="count", ngrams=2), DOCUMENTS, TEXTS),
    ],
    ids=["string_int", "string_tf_idf_padded", "integer_two_oov", "text_int", "text_bigrams"],
)
@pytest.mark.parametrize("zipped", [True, False])
def test_adapted_vocabularies_survive_a_round_trip(tmp_path, make, data, probe, zipped):
    layer = make()
    layer.adapt(data)
    path = str(tmp_path / ("model.keras" if zipped else "model_folder"))
    cornu.Sequential([layer]).save(path, zipped=zipped)
    loaded = cornu.saving.load_model(path).layers[0]
    assert loaded.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_allclose(_np(loaded(probe)), _np(layer(probe)), atol=1e-6)


def test_a_given_vocabulary_stays_in_the_config(tmp_path):
    layer = layers.StringLookup(vocabulary=["x", "y"])
    path = str(tmp_path / "given.keras")
    cornu.Sequential([layer]).save(path)
    names, found_assets, _ = _members(path)
    assert found_assets == {}
    assert cornu.saving.load_model(path).layers[0].get_vocabulary() == ["[UNK]", "x", "y"]


def test_an_asset_leaving_its_folder_is_refused(tmp_path):
    spec = dict(STRING_LOOKUP_TF_IDF, assets={"assets/../../evil.txt": b"x"})
    path = str(tmp_path / "evil.keras")
    _write_keras_file(path, spec)
    with pytest.raises(ValueError, match="outside the assets folder"):
        cornu.saving.load_model(path)
    assert not os.path.exists(tmp_path / "evil.txt")


def test_idf_weights_of_the_wrong_length_are_refused(tmp_path):
    spec = dict(
        STRING_LOOKUP_TF_IDF, weights={"layers/string_lookup/vars": {"idf_weights": [1.0, 2.0]}}
    )
    path = str(tmp_path / "short.keras")
    _write_keras_file(path, spec)
    with pytest.raises(ValueError, match=r"variable idf_weights has shape \(4,\).*\(2,\)"):
        cornu.saving.load_model(path)


# ---- a custom layer with a file and a named variable, in both libraries ---------------------


def _table_layer(lib):
    """``x * scale + offset``: ``scale`` saved as the variable "scale", ``offset`` as the file
    ``offset.txt``; the same class registered in cornu or in Keras."""

    @lib.saving.register_keras_serializable(package="cornu_assets_test", name="TableScale")
    class TableScale(lib.layers.Layer):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.scale = np.ones(units, "float32")
            self.offset = 0.0

        def call(self, x):
            return x * lib.ops.convert_to_tensor(self.scale) + self.offset

        def save_own_variables(self, store):
            store["scale"] = self.scale

        def load_own_variables(self, store):
            self.scale = np.asarray(store["scale"], "float32")

        def save_assets(self, dir_path):
            with open(os.path.join(dir_path, "offset.txt"), "w") as f:
                f.write(repr(self.offset))

        def load_assets(self, dir_path):
            with open(os.path.join(dir_path, "offset.txt")) as f:
                self.offset = float(f.read())

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return TableScale


@pytest.mark.parametrize("direction", ["keras_to_cornu", "cornu_to_keras"])
def test_a_custom_layers_assets_and_named_variables_both_ways(keras, tmp_path, direction):
    source, target = (keras, cornu) if direction == "keras_to_cornu" else (cornu, keras)
    source_layer, _ = _table_layer(source), _table_layer(target)
    layer = source_layer(name="table")
    layer.scale = np.array([2.0, -1.0, 0.5], "float32")
    layer.offset = 0.25
    x = source.Input((3,))
    model = source.Model(x, layer(x))
    path = str(tmp_path / "table.keras")
    model.save(path)
    names, found_assets, datasets = _members(path)
    assert found_assets == {"assets/layers/table_scale/offset.txt": b"0.25"}
    np.testing.assert_array_equal(datasets["layers/table_scale/vars/scale"], layer.scale)
    loaded = target.saving.load_model(path)
    data = np.random.RandomState(0).rand(4, 3).astype("float32")
    np.testing.assert_allclose(
        np.asarray(loaded.predict(data, verbose=0)), data * layer.scale + 0.25, atol=1e-6
    )
