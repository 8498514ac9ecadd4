"""FeatureSpace: Keras's documented semantics (its own adapt and call need TensorFlow), each
feature's encoding checked against the layer that Keras documents for it."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

import cornu
from cornu import layers, ops
from cornu.utils import FeatureSpace

DATA = {
    "age": np.array([22.0, 35.0, 58.0, 41.0, 29.0, 63.0]),
    "income": np.array([1.0, 4.0, 2.5, 7.0, 3.0, 5.5]),
    "city": np.array(["paris", "rome", "paris", "oslo", "rome", "paris"]),
    "rooms": np.array([1, 3, 2, 3, 1, 2]),
    "tag": ["a", "b", "c", "a", "d", "b"],
}


def _space(**kwargs):
    return FeatureSpace(
        features={
            "age": "float_normalized",
            "income": "float_discretized",
            "city": "string_categorical",
            "rooms": "integer_categorical",
            "tag": "string_hashed",
        },
        crosses=[("city", "rooms")],
        crossing_dim=8,
        hashing_dim=5,
        num_discretization_bins=3,
        **kwargs,
    )


def _np(x):
    return ops.convert_to_numpy(x)


def test_concat_output_is_each_feature_encoded_in_sorted_order():
    space = _space()
    space.adapt(DATA)
    out = _np(space(DATA))
    assert out.dtype == np.float32
    # Sorted features, then crosses: age, city, income, rooms, tag, city_X_rooms.
    age = (DATA["age"] - DATA["age"].mean()) / DATA["age"].std()
    np.testing.assert_allclose(out[:, 0], age, rtol=1e-5)
    vocabulary = space.preprocessors["city"].get_vocabulary()
    assert vocabulary == ["[UNK]", "paris", "rome", "oslo"]  # by frequency, as StringLookup
    city = out[:, 1:5]
    np.testing.assert_array_equal(city.argmax(1), [vocabulary.index(c) for c in DATA["city"]])
    discretizer = layers.Discretization(num_bins=3)
    discretizer.adapt([DATA["income"][:, None]])
    income = _np(discretizer(DATA["income"][:, None]))[:, 0]
    np.testing.assert_array_equal(out[:, 5:8].argmax(1), income)
    rooms = out[:, 8:12]  # IntegerLookup: [UNK], then 1, 3, 2 by frequency (ties by value)
    lookup = space.preprocessors["rooms"]
    np.testing.assert_array_equal(rooms.argmax(1), _np(lookup(DATA["rooms"])))
    tag = _np(layers.Hashing(num_bins=5)(DATA["tag"]))
    np.testing.assert_array_equal(out[:, 12:17].argmax(1), tag)
    crossed = _np(
        layers.HashedCrossing(8)(
            (_np(space.preprocessors["city"](DATA["city"])), _np(lookup(DATA["rooms"])))
        )
    )
    np.testing.assert_array_equal(out[:, 17:25].argmax(1), crossed)
    assert out.shape == (6, 25) and np.all(out[:, 1:].sum(1) == 5)


def test_normalization_matches_keras(keras):
    space = FeatureSpace(features={"age": "float_normalized"})
    space.adapt(DATA)
    theirs = keras.layers.Normalization(axis=-1)
    theirs.adapt(DATA["age"][:, None].astype("float32"))
    np.testing.assert_allclose(
        _np(space(DATA)), keras.ops.convert_to_numpy(theirs(DATA["age"][:, None])), atol=1e-5
    )


def test_dict_output_single_samples_and_feature_objects():
    space = FeatureSpace(
        features={
            "age": FeatureSpace.float_rescaled(scale=0.1, offset=1.0),
            "rooms": FeatureSpace.integer_categorical(output_mode="int"),
            "city": FeatureSpace.string_categorical(num_oov_indices=2),
            "income": "float",
        },
        output_mode="dict",
    )
    space.adapt(DATA)
    out = space(DATA)
    assert sorted(out) == ["age", "city", "income", "rooms"]
    np.testing.assert_allclose(_np(out["age"])[:, 0], DATA["age"] * 0.1 + 1.0, rtol=1e-6)
    assert cornu.backend.standardize_dtype(out["rooms"].dtype) == backend_dtype("int64")
    assert tuple(out["city"].shape) == (6, 5)  # 2 OOV indices + 3 cities
    one = space({k: v[0] for k, v in DATA.items()})
    assert tuple(one["age"].shape) == (1,) and tuple(one["city"].shape) == (5,)
    ints = FeatureSpace(features={"rooms": FeatureSpace.integer_categorical(output_mode="int")})
    ints.adapt(DATA)
    with pytest.raises(ValueError, match="Cannot concatenate features because feature 'rooms'"):
        ints(DATA)


def test_single_sample_in_concat_mode_and_adapt_from_batches():
    space = _space()
    batches = [{k: np.asarray(v)[i : i + 2] for k, v in DATA.items()} for i in range(0, 6, 2)]
    dataset = [(batch, np.zeros(2)) for batch in batches]
    space.adapt(dataset)
    reference = _space()
    reference.adapt(DATA)
    sample = {k: np.asarray(v)[2] for k, v in DATA.items()}
    assert tuple(space(sample).shape) == (25,)
    np.testing.assert_allclose(_np(space(DATA))[:, 1:5], _np(reference(DATA))[:, 1:5])


def test_config_round_trip_matches_keras_keys():
    space = _space()
    config = space.get_config()
    assert sorted(config) == sorted(
        [
            "features",
            "output_mode",
            "crosses",
            "crossing_dim",
            "hashing_dim",
            "num_discretization_bins",
        ]
    )
    assert config["features"]["city"]["class_name"] == "Feature"
    assert config["crosses"][0]["config"]["feature_names"] == ("city", "rooms")
    clone = FeatureSpace.from_config(config)
    assert clone.get_config() == config


def test_save_and_load_keep_the_learned_state(tmp_path):
    space = _space()
    space.adapt(DATA)
    expected = _np(space(DATA))
    space.save(tmp_path / "space.keras")
    loaded = cornu.saving.load_model(tmp_path / "space.keras")
    assert isinstance(loaded, FeatureSpace)
    np.testing.assert_allclose(_np(loaded(DATA)), expected)


def test_output_feeds_a_model():
    space = _space()
    space.adapt(DATA)
    x = space(DATA)
    model = cornu.Sequential([cornu.Input((25,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    model.fit(x, np.array([0, 1, 1, 0, 1, 0], "float32"), epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (6, 1)


def test_bad_input():
    with pytest.raises(ValueError, match="`features` argument cannot be None or empty"):
        FeatureSpace(features={})
    with pytest.raises(ValueError, match="Invalid feature type: float_squared"):
        FeatureSpace(features={"a": "float_squared"})
    with pytest.raises(ValueError, match="Received unknown features: \\('a', 'z'\\)"):
        FeatureSpace(features={"a": "float"}, crosses=[("a", "z")])
    with pytest.raises(ValueError, match="Expected one of {'dict', 'concat'}"):
        FeatureSpace(features={"a": "float"}, output_mode="list")
    with pytest.raises(ValueError, match="Expected one of {'int', 'one_hot'}"):
        FeatureSpace.cross(("a", "b"), 4, output_mode="float")
    space = _space()
    with pytest.raises(ValueError, match="You need to call `.adapt\\(dataset\\)`"):
        space(DATA)
    with pytest.raises(ValueError, match="can only be called on a dict of arrays/lists"):
        space.adapt(np.zeros(3))
    space.adapt(DATA)
    with pytest.raises(ValueError, match="can only be called with a dict"):
        space([1, 2])
    with pytest.raises(ValueError, match="was called without the features \\['tag'\\]"):
        space({k: v for k, v in DATA.items() if k != "tag"})


def test_utils_has_keras_data_names(keras):
    wanted = {
        "FeatureSpace",
        "array_to_img",
        "audio_dataset_from_directory",
        "image_dataset_from_directory",
        "img_to_array",
        "load_img",
        "save_img",
        "split_dataset",
        "text_dataset_from_directory",
        "timeseries_dataset_from_array",
    }
    assert wanted <= set(dir(keras.utils))
    assert wanted <= set(dir(cornu.utils)) and wanted <= set(cornu.utils.__all__)


def test_a_csv_file_goes_into_fit(tmp_path):
    import csv

    rows = [
        ("age", "thal", "sex", "target"),
        (63, "fixed", 1, 0),
        (67, "normal", 1, 1),
        (41, "reversible", 0, 0),
        (56, "normal", 1, 1),
        (57, "fixed", 0, 0),
        (44, "normal", 0, 1),
    ]
    path = tmp_path / "heart.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    with open(path, newline="") as f:
        records = list(csv.DictReader(f))
    data = {
        "age": np.array([float(r["age"]) for r in records]),
        "thal": np.array([r["thal"] for r in records]),
        "sex": np.array([int(r["sex"]) for r in records]),
    }
    target = np.array([int(r["target"]) for r in records], dtype="float32")
    space = FeatureSpace(
        features={
            "age": "float_normalized",
            "thal": "string_categorical",
            "sex": "integer_categorical",
        },
        crosses=[("thal", "sex")],
        crossing_dim=4,
    )
    space.adapt(data)
    x = space(data)
    assert tuple(x.shape) == (6, 1 + 3 + 4 + 4)  # age, sex (3), thal (4), cross (4)
    model = cornu.Sequential([cornu.Input((12,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, target, epochs=2, verbose=0)
    assert len(history.history["accuracy"]) == 2
