"""`.keras` and `.weights.h5` files moving between cornu and the real Keras 3, both ways."""

import json
import zipfile

import numpy as np
import pytest

import cornu


def sequential_mlp(lib):
    return lib.Sequential(
        [
            lib.Input((3,)),
            lib.layers.Dense(4, activation="relu", name="first"),
            lib.layers.Dropout(0.2),
            lib.layers.Dense(2, activation="softmax", name="last"),
        ]
    )


def two_in_two_out(lib):
    a = lib.Input((3,), name="a")
    b = lib.Input((2,), name="b")
    shared = lib.layers.Dense(2, name="shared")
    merged = lib.layers.Concatenate()([shared(a), lib.layers.Dense(2, name="side")(b)])
    first = lib.layers.Dense(1, name="o1")(merged)
    second = shared(lib.layers.Dense(3, name="back")(merged))
    return lib.Model([a, b], [first, second])


# Builders for the round trips; add models here as more layers exist.
MODELS = [sequential_mlp, two_in_two_out]


def _inputs(model_builder):
    rng = np.random.RandomState(0)
    if model_builder is two_in_two_out:
        return [rng.rand(5, 3).astype("float32"), rng.rand(5, 2).astype("float32")]
    return rng.rand(5, 3).astype("float32")


def _same_predictions(a, b, x):
    first, second = a.predict(x, verbose=0), b.predict(x, verbose=0)
    if not isinstance(first, (list, tuple)):
        first, second = [first], [second]
    assert len(first) == len(second)
    for p, q in zip(first, second):
        np.testing.assert_allclose(p, q, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("builder", MODELS)
@pytest.mark.parametrize("direction", ["keras_to_cornu", "cornu_to_keras"])
def test_keras_archive_round_trip(keras, tmp_path, builder, direction):
    source, target = (keras, cornu) if direction == "keras_to_cornu" else (cornu, keras)
    model = builder(source)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = target.saving.load_model(path)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    _same_predictions(model, loaded, _inputs(builder))


@pytest.mark.parametrize("builder", MODELS)
@pytest.mark.parametrize("direction", ["keras_to_cornu", "cornu_to_keras"])
def test_weights_file_round_trip(keras, tmp_path, builder, direction):
    source, target = (keras, cornu) if direction == "keras_to_cornu" else (cornu, keras)
    model, other = builder(source), builder(target)
    path = str(tmp_path / "model.weights.h5")
    model.save_weights(path)
    other.load_weights(path)
    _same_predictions(model, other, _inputs(builder))


def test_archive_layout_is_keras(tmp_path):
    model = sequential_mlp(cornu)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.ones((4, 3)), np.zeros(4), verbose=0)
    path = tmp_path / "m.keras"
    model.save(str(path))
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        config = json.loads(archive.read("config.json"))
        archive.extract("model.weights.h5", tmp_path)
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    assert config["config"]["layers"][1]["module"] == "keras.layers"
    assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
    import h5py

    names = []
    with h5py.File(tmp_path / "model.weights.h5") as h5:
        h5.visit(names.append)
        assert h5["layers/dense/vars"].attrs["name"] == "first"
    assert "layers/dense_1/vars/1" in names and "optimizer/vars/9" in names


def test_compiled_model_continues_training_exactly(tmp_path):
    rng = np.random.RandomState(1)
    x, y = rng.rand(32, 3).astype("float32"), rng.randint(0, 2, 32)

    def fresh():
        cornu.utils.set_random_seed(0)
        model = sequential_mlp(cornu)
        model.layers[1].rate = 0.0
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    straight = fresh()
    straight.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    first = fresh()
    first.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    first.save(str(tmp_path / "mid.keras"))
    resumed = cornu.saving.load_model(str(tmp_path / "mid.keras"))
    resumed.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(straight.get_weights(), resumed.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert int(resumed.optimizer.iterations.numpy()) == 8


def test_json_clone_and_folder_format(tmp_path):
    model = two_in_two_out(cornu)
    rebuilt = cornu.models.model_from_json(model.to_json())
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]
    clone = cornu.models.clone_model(model)
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    clone.set_weights(model.get_weights())
    _same_predictions(model, clone, _inputs(two_in_two_out))
    model.save(str(tmp_path / "folder.keras"), zipped=False)
    _same_predictions(
        model, cornu.saving.load_model(str(tmp_path / "folder.keras")), _inputs(two_in_two_out)
    )


@cornu.saving.register_keras_serializable(package="tests")
class Scale(cornu.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_registered_custom_layer_round_trips(tmp_path):
    inputs = cornu.Input((2,))
    model = cornu.Model(inputs, Scale(3.0)(inputs))
    model.save(str(tmp_path / "c.keras"))
    loaded = cornu.saving.load_model(str(tmp_path / "c.keras"))
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[3.0, 3.0]])


def test_wrong_extensions_are_refused(tmp_path):
    model = sequential_mlp(cornu)
    with pytest.raises(ValueError, match=r"\.keras"):
        model.save(str(tmp_path / "model.h5x"))
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(str(tmp_path / "model.h5"))
    with pytest.raises(ValueError, match="not supported"):
        cornu.saving.load_model(str(tmp_path / "model.txt"))
