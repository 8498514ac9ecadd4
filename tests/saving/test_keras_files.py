"""`.keras` and `.weights.h5` files moving between cornu and the real Keras 3, both ways."""

import io
import json
import zipfile

import h5py
import numpy as np
import pytest

import cornu


def sequential_mlp(lib):
    return lib.Sequential(
        [
            lib.Input((3,)),
            lib.layers.Dense(4, activation="relu"),
            lib.layers.Dropout(0.2),
            lib.layers.Dense(2, activation="softmax"),
        ]
    )


def two_inputs_two_outputs_shared(lib):
    a = lib.Input((3,), name="a")
    b = lib.Input((2,), name="b")
    shared = lib.layers.Dense(2, name="shared")
    merged = lib.layers.Concatenate()([shared(a), lib.layers.Dense(2, name="side")(b)])
    first = lib.layers.Dense(1, name="o1")(merged)
    second = shared(lib.layers.Dense(3, name="back")(merged))
    return lib.Model([a, b], [first, second])


def tutorial_cnn(lib):
    layers = lib.layers
    return lib.Sequential(
        [
            lib.Input((8, 8, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
        ]
    )


def lstm_text(lib):
    layers = lib.layers
    return lib.Sequential(
        [
            lib.Input((5,), dtype="int32"),
            layers.Embedding(10, 4),
            layers.LSTM(3, return_sequences=True),
            layers.Bidirectional(layers.GRU(2)),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def nested_models(lib):
    layers = lib.layers
    inner_sequential = lib.Sequential([lib.Input((3,)), layers.Dense(3), layers.Dense(3)])
    x = lib.Input((3,))
    inner_functional = lib.Model(x, layers.Dense(3, activation="tanh")(x))
    a, b = lib.Input((3,), name="left"), lib.Input((3,), name="right")
    joined = layers.Add()([inner_sequential(a), inner_functional(b), inner_functional(a)])
    return lib.Model([a, b], [layers.Dense(2)(joined), inner_functional(joined)])


def reshaping_stack(lib):
    layers = lib.layers
    return lib.Sequential(
        [
            lib.Input((6,)),
            layers.Reshape((2, 3)),
            layers.Activation("tanh"),
            layers.Identity(),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )


def grouped_query_attention(lib):
    # Keras writes class_name "GroupQueryAttention" and the path "grouped_query_attention".
    x = lib.Input((3, 8))
    attention = lib.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    return lib.Model(x, attention(x, x))


# The models of the round trips, with the inputs they take. The coordinator extends this list
# as more layers exist.
ROUND_TRIP_MODELS = {
    "sequential_mlp": (sequential_mlp, lambda rng: rng.rand(5, 3)),
    "two_inputs_two_outputs_shared": (
        two_inputs_two_outputs_shared,
        lambda rng: [rng.rand(5, 3), rng.rand(5, 2)],
    ),
    "tutorial_cnn": (tutorial_cnn, lambda rng: rng.rand(5, 8, 8, 1)),
    "lstm_text": (lstm_text, lambda rng: rng.randint(0, 10, (5, 5)).astype("int32")),
    "nested_models": (nested_models, lambda rng: [rng.rand(5, 3), rng.rand(5, 3)]),
    "reshaping_stack": (reshaping_stack, lambda rng: rng.rand(5, 6)),
    "grouped_query_attention": (grouped_query_attention, lambda rng: rng.rand(5, 3, 8)),
}


def _inputs(name):
    x = ROUND_TRIP_MODELS[name][1](np.random.RandomState(0))
    if isinstance(x, list):
        return [v.astype("float32") if v.dtype == np.float64 else v for v in x]
    return x.astype("float32") if x.dtype == np.float64 else x


def _build(lib, name, randomize=False):
    model = ROUND_TRIP_MODELS[name][0](lib)
    if randomize:  # weights far from their initial values (moving variances stay positive)
        rng = np.random.RandomState(1)
        model.set_weights(
            [rng.uniform(0.5, 1.5, w.shape).astype(w.dtype) for w in model.get_weights()]
        )
    return model


def _same_predictions(a, b, x):
    first, second = a.predict(x, verbose=0), b.predict(x, verbose=0)
    if not isinstance(first, (list, tuple)):
        first, second = [first], [second]
    assert len(first) == len(second)
    for p, q in zip(first, second):
        np.testing.assert_allclose(p, q, rtol=1e-6, atol=1e-6)


def _libs(keras, direction):
    return (keras, cornu) if direction == "keras_to_cornu" else (cornu, keras)


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_MODELS))
@pytest.mark.parametrize("direction", ["keras_to_cornu", "cornu_to_keras"])
def test_keras_archive_round_trip(keras, tmp_path, name, direction):
    source, target = _libs(keras, direction)
    model = _build(source, name, randomize=True)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = target.saving.load_model(path)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    _same_predictions(model, loaded, _inputs(name))


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_MODELS))
@pytest.mark.parametrize("direction", ["keras_to_cornu", "cornu_to_keras"])
def test_weights_file_round_trip(keras, tmp_path, name, direction):
    source, target = _libs(keras, direction)
    model, other = _build(source, name, randomize=True), _build(target, name)
    path = str(tmp_path / "model.weights.h5")
    model.save_weights(path)
    other.load_weights(path)
    _same_predictions(model, other, _inputs(name))


def _h5_layout(data):
    """``{path: shape or "group"}`` of a weights file, and ``{vars group: has a name}``."""
    layout, named = {}, {}
    with h5py.File(io.BytesIO(data), "r") as f:

        def visit(name, obj):
            layout[name] = tuple(obj.shape) if isinstance(obj, h5py.Dataset) else "group"
            if name.endswith("vars"):
                named[name] = "name" in obj.attrs

        f.visititems(visit)
    return layout, named


def _saved(lib, name, path):
    if lib.__name__ == "keras":
        lib.utils.clear_session()
    else:
        lib.backend.reset_names()
    model = _build(lib, name)
    model.compile(optimizer="adam", loss="mse")
    x = _inputs(name)
    y = [np.zeros((5,) + tuple(t.shape[1:]), "float32") for t in model.outputs]
    model.fit(x, y if len(y) > 1 else y[0], epochs=1, batch_size=5, verbose=0)
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        infos = [(i.filename, i.compress_type) for i in archive.infolist()]
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
        weights = archive.read("model.weights.h5")
    return infos, config, metadata, weights


def _by_position(config, key):
    positions = {entry["name"]: i for i, entry in enumerate(config["layers"])}

    def convert(value):
        if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
            return [positions[value[0]], value[1], value[2]]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return [convert(v) for v in value]

    return convert(config[key])


@pytest.mark.requires_training
@pytest.mark.parametrize("name", sorted(ROUND_TRIP_MODELS))
def test_archive_layout_is_the_one_keras_writes(keras, tmp_path, name):
    ours = _saved(cornu, name, str(tmp_path / "cornu.keras"))
    theirs = _saved(keras, name, str(tmp_path / "keras.keras"))
    assert ours[0] == theirs[0]  # the same members, in the same order, stored
    assert ours[0] == [
        (n, zipfile.ZIP_STORED) for n in ("metadata.json", "config.json", "model.weights.h5")
    ]
    assert sorted(ours[2]) == sorted(theirs[2]) == ["date_saved", "keras_version"]
    assert ours[1]["class_name"] == theirs[1]["class_name"]
    assert ours[1]["module"] == theirs[1]["module"]
    assert ours[1]["registered_name"] == theirs[1]["registered_name"]
    assert sorted(ours[1]["compile_config"]) == sorted(theirs[1]["compile_config"])
    assert sorted(ours[1]["config"]) == sorted(theirs[1]["config"])
    pairs = zip(ours[1]["config"]["layers"], theirs[1]["config"]["layers"])
    for ours_layer, theirs_layer in pairs:
        assert ours_layer["module"] == theirs_layer["module"]
        assert ours_layer["class_name"] == theirs_layer["class_name"]
        dtype = theirs_layer["config"].get("dtype")
        if isinstance(dtype, dict):
            dtype.pop("shared_object_id", None)  # an id() Keras writes for shared objects
        assert ours_layer["config"].get("dtype") == dtype
    if "input_layers" in theirs[1]["config"]:
        for key in ("input_layers", "output_layers"):  # layers named by their position
            assert _by_position(ours[1]["config"], key) == _by_position(theirs[1]["config"], key)
    our_layout, our_names = _h5_layout(ours[3])
    their_layout, their_names = _h5_layout(theirs[3])
    assert our_layout == their_layout  # every group path, dataset name and shape
    assert our_names == their_names and all(our_names.values())


@pytest.mark.requires_training
@pytest.mark.parametrize("direction", ["keras_to_cornu", "cornu_to_keras"])
def test_a_compiled_model_resumes_training_in_the_other_library(keras, tmp_path, direction):
    source, target = _libs(keras, direction)
    rng = np.random.RandomState(2)
    x, y = rng.rand(16, 3).astype("float32"), rng.randint(0, 2, 16)

    def fit(model):
        model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)

    model = source.Sequential(
        [source.Input((3,)), source.layers.Dense(4, activation="relu"), source.layers.Dense(2)]
    )
    model.compile(
        optimizer="adam",
        loss=source.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    fit(model)
    path = str(tmp_path / "compiled.keras")
    model.save(path)
    loaded = target.saving.load_model(path)
    assert loaded.compiled
    assert int(np.asarray(loaded.optimizer.iterations)) == 4
    ours = [np.asarray(v) for v in model.optimizer.variables]
    theirs = [np.asarray(v) for v in loaded.optimizer.variables]
    assert [v.shape for v in ours] == [v.shape for v in theirs]
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
    fit(model)
    fit(loaded)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_json_both_ways(keras):
    model = two_inputs_two_outputs_shared(cornu)
    theirs = keras.models.model_from_json(model.to_json())
    assert [layer.name for layer in theirs.layers] == [layer.name for layer in model.layers]
    ours = cornu.models.model_from_json(theirs.to_json())
    assert [layer.name for layer in ours.layers] == [layer.name for layer in model.layers]
    ours.set_weights(theirs.get_weights())
    _same_predictions(theirs, ours, _inputs("two_inputs_two_outputs_shared"))
