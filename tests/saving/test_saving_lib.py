"""model.save / load_model / save_weights / load_weights: the files, the checks, the errors."""

import json
import os
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import cornu
from cornu.saving import SavedFileError


def _mlp(units=1):
    return cornu.Sequential(
        [cornu.Input((3,)), cornu.layers.Dense(4, activation="relu"), cornu.layers.Dense(units)]
    )


def _data():
    rng = np.random.RandomState(1)
    return rng.rand(32, 3).astype("float32"), rng.randint(0, 2, 32)


@pytest.mark.requires_training
@pytest.mark.xfail(
    cornu.config.backend() == "jax",
    strict=True,
    reason="known JAX bug: the loaded model's compiled step differs from the original's by "
    "1 ulp in some weights from its first step (its eager step matches; continuing the "
    "original without saving matches too)",
)
def test_a_loaded_compiled_model_continues_training_exactly(tmp_path):
    x, y = _data()

    def fresh():
        cornu.utils.set_random_seed(0)
        model = cornu.Sequential(
            [
                cornu.Input((3,)),
                cornu.layers.Dense(4, activation="relu"),
                cornu.layers.Dropout(0.0),
                cornu.layers.Dense(2),
            ]
        )
        model.compile(
            optimizer=cornu.optimizers.Adam(learning_rate=0.01),
            loss=cornu.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        return model

    straight = fresh()
    straight.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    first = fresh()
    first.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    first.save(str(tmp_path / "mid.keras"))
    resumed = cornu.saving.load_model(str(tmp_path / "mid.keras"))
    assert resumed.compiled and isinstance(resumed.optimizer, cornu.optimizers.Adam)
    assert resumed.optimizer.learning_rate == pytest.approx(0.01)
    resumed.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(straight.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(resumed.optimizer.iterations.numpy()) == 8
    for a, b in zip(straight.optimizer.variables, resumed.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.requires_training
def test_compile_false_and_weights_only_resume(tmp_path):
    x, y = _data()
    model = _mlp(2)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    model.save(str(tmp_path / "m.keras"))
    plain = cornu.saving.load_model(str(tmp_path / "m.keras"), compile=False)
    assert not plain.compiled and plain.optimizer is None
    for a, b in zip(model.get_weights(), plain.get_weights()):
        np.testing.assert_array_equal(a, b)
    # A weights file carries the optimizer's state too; an unbuilt optimizer is built for it.
    model.save_weights(str(tmp_path / "m.weights.h5"))
    other = _mlp(2)
    other.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    other.load_weights(str(tmp_path / "m.weights.h5"))
    assert int(other.optimizer.iterations.numpy()) == 4


def test_an_uncompiled_model_writes_an_empty_compile_config(tmp_path):
    path = tmp_path / "m.keras"
    _mlp().save(str(path))
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    assert config["compile_config"] == {}
    assert config["config"]["dtype"] == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "float32"},
        "registered_name": None,
    }
    assert not cornu.saving.load_model(str(path)).compiled


def test_a_folder_instead_of_a_zip(tmp_path):
    model = _mlp()
    folder = tmp_path / "saved_model"
    model.save(str(folder), zipped=False)
    assert sorted(os.listdir(folder)) == ["config.json", "metadata.json", "model.weights.h5"]
    loaded = cornu.saving.load_model(str(folder))
    np.testing.assert_allclose(
        loaded.predict(np.ones((2, 3)), verbose=0), model.predict(np.ones((2, 3)), verbose=0)
    )
    with pytest.raises(ValueError, match="should not end in `.keras`"):
        model.save(str(tmp_path / "x.keras"), zipped=False)


def test_paths_like_objects_are_accepted(tmp_path):
    model = _mlp()
    model.save(tmp_path / "m.keras")
    model.save_weights(tmp_path / "m.weights.h5")
    cornu.saving.load_model(tmp_path / "m.keras").load_weights(tmp_path / "m.weights.h5")


def test_wrong_extensions_and_arguments_are_refused(tmp_path):
    model = _mlp()
    with pytest.raises(ValueError, match=r"Invalid filepath extension for saving.*\.keras"):
        model.save(str(tmp_path / "model.h5x"))
    with pytest.raises(ValueError, match=r"legacy `\.h5` format is not supported"):
        model.save(str(tmp_path / "model.h5"))
    with pytest.raises(ValueError, match="not supported: \\['foo'\\]"):
        model.save(str(tmp_path / "model.keras"), foo=1)
    with pytest.raises(ValueError, match=r"The filename must end in `\.weights\.h5`"):
        model.save_weights(str(tmp_path / "model.h5"))
    with pytest.raises(ValueError, match="File format not supported"):
        cornu.saving.load_model(str(tmp_path / "model.txt"))
    with pytest.raises(ValueError, match="File format not supported"):
        model.load_weights(str(tmp_path / "model.txt"))
    with pytest.raises(SavedFileError, match="File not found"):
        cornu.saving.load_model(str(tmp_path / "absent.keras"))
    with pytest.raises(SavedFileError, match="File not found"):
        model.load_weights(str(tmp_path / "absent.weights.h5"))


def test_overwrite_false_keeps_the_existing_file(tmp_path):
    path = tmp_path / "m.keras"
    _mlp().save(str(path))
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=False"):
        _mlp().save(str(path), overwrite=False)
    assert path.read_bytes() == before


def test_unbuilt_models_have_no_weights_to_save_or_load(tmp_path):
    unbuilt = cornu.Sequential([cornu.layers.Dense(2)])
    with pytest.raises(ValueError, match="has not yet been built"):
        unbuilt.save_weights(str(tmp_path / "u.weights.h5"))
    _mlp().save_weights(str(tmp_path / "m.weights.h5"))
    with pytest.raises(ValueError, match="has not yet been built"):
        unbuilt.load_weights(str(tmp_path / "m.weights.h5"))


def test_mismatched_weights_raise_and_change_nothing_or_are_skipped(tmp_path):
    model = _mlp()
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    other = _mlp(units=5)
    before = other.get_weights()
    with pytest.raises(SavedFileError, match=r"Layer 'dense_3' variable 0 has shape \(4, 5\)"):
        other.load_weights(path)
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="1 objects could not be loaded"):
        other.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(other.get_weights()[0], model.get_weights()[0])
    np.testing.assert_array_equal(other.get_weights()[2], before[2])
    deeper = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(4), cornu.layers.Dense(1)])
    deeper.add(cornu.layers.Dense(1))
    with pytest.raises(SavedFileError, match="expected 2 variables, but received 0"):
        deeper.load_weights(path)


@pytest.mark.requires_training
def test_another_optimizer_state_is_skipped_with_keras_warning(tmp_path):
    x, y = _data()
    model = _mlp()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.save_weights(str(tmp_path / "adam.weights.h5"))
    other = _mlp()
    other.compile(optimizer="sgd", loss="mse")
    other.fit(x, y, epochs=1, batch_size=16, verbose=0)
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'sgd'"):
        other.load_weights(str(tmp_path / "adam.weights.h5"))
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_failed_save_leaves_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    model = _mlp()
    model.save(str(path))
    model.save_weights(str(tmp_path / "m.weights.h5"))
    original = path.read_bytes()
    from cornu.saving import saving_lib

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(saving_lib, "_write_weights", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save(str(path))
    with pytest.raises(RuntimeError, match="disk full"):
        model.save_weights(str(tmp_path / "m.weights.h5"))
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == ["m.keras", "m.weights.h5"]


def test_a_subclassed_model_with_lists_of_layers_round_trips(tmp_path):
    class Block(cornu.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = [cornu.layers.Dense(2), cornu.layers.Dense(2)]
            self.proj = cornu.layers.Dense(2)

        def call(self, x):
            for layer in self.inner:
                x = layer(x)
            return self.proj(x)

    class Net(cornu.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.encoder = cornu.layers.Dense(2)
            self.zhead = cornu.layers.Dense(2)
            self.blocks = [Block(), Block()]
            self.alpha = self.add_weight(shape=(2,), initializer="ones", name="alpha")

        def call(self, x):
            x = self.encoder(x)
            for block in self.blocks:
                x = block(x)
            return self.zhead(x) * self.alpha

    x = np.random.RandomState(0).rand(2, 3).astype("float32")
    model, other = Net(), Net()
    model(x), other(x)
    model.save_weights(str(tmp_path / "net.weights.h5"))
    other.load_weights(str(tmp_path / "net.weights.h5"))
    np.testing.assert_array_equal(model.predict(x, verbose=0), other.predict(x, verbose=0))
    paths = [p for p, _ in cornu.saving.saving_lib.saveables(model)]
    # Keras's walk: attributes by name, a model's `layers` among them (here only `zhead` is
    # first met there), lists numbered per class.
    assert paths == [
        "",
        "blocks/block",
        "blocks/block/inner/dense",
        "blocks/block/inner/dense_1",
        "blocks/block/proj",
        "blocks/block_1",
        "blocks/block_1/inner/dense",
        "blocks/block_1/inner/dense_1",
        "blocks/block_1/proj",
        "encoder",
        "layers/dense_1",
    ]


def _round_trip(model, tmp_path, x):
    path = str(tmp_path / "layer.keras")
    model.save(path)
    loaded = cornu.saving.load_model(path)
    np.testing.assert_allclose(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6
    )
    return loaded


L = cornu.layers
# Every layer on its own in a model, saved and loaded: configs and weights round-trip with no
# per-layer code. (layer factory, input shape without the batch axis)
LAYER_CASES = [
    (lambda: L.Dense(3, activation="tanh", use_bias=False), (4,)),
    (lambda: L.Dropout(0.3), (4,)),
    (lambda: L.Flatten(), (2, 3)),
    (lambda: L.Reshape((3, 2)), (6,)),
    (lambda: L.Activation("softplus"), (4,)),
    (lambda: L.Identity(), (4,)),
    (lambda: L.Embedding(7, 3), (5,)),
    (lambda: L.Conv1D(2, 3, padding="same"), (6, 2)),
    (lambda: L.Conv2D(2, 3, strides=2), (7, 7, 1)),
    (lambda: L.Conv2DTranspose(2, 2), (3, 3, 2)),
    (lambda: L.SeparableConv2D(2, 3), (5, 5, 2)),
    (lambda: L.DepthwiseConv2D(3), (5, 5, 2)),
    (lambda: L.MaxPooling2D(2), (4, 4, 2)),
    (lambda: L.AveragePooling1D(2), (4, 2)),
    (lambda: L.GlobalAveragePooling2D(), (4, 4, 2)),
    (lambda: L.BatchNormalization(momentum=0.9), (4,)),
    (lambda: L.LayerNormalization(), (4,)),
    (lambda: L.GroupNormalization(groups=2), (4,)),
    (lambda: L.SimpleRNN(3), (4, 2)),
    (lambda: L.LSTM(3, return_sequences=True), (4, 2)),
    (lambda: L.GRU(3), (4, 2)),
    (lambda: L.Bidirectional(L.LSTM(2)), (4, 2)),
    (lambda: L.TimeDistributed(L.Dense(2)), (3, 4)),
    (lambda: L.Masking(0.0), (3, 2)),
    (lambda: L.Permute((2, 1)), (3, 2)),
    (lambda: L.RepeatVector(2), (3,)),
    (lambda: L.UpSampling2D(2), (2, 2, 1)),
    (lambda: L.ZeroPadding2D(1), (2, 2, 1)),
    (lambda: L.Cropping1D(1), (4, 2)),
    (lambda: L.GaussianNoise(0.1), (4,)),
]


@pytest.mark.parametrize("index", range(len(LAYER_CASES)))
def test_each_layer_round_trips_through_a_keras_file(tmp_path, index):
    factory, shape = LAYER_CASES[index]
    layer = factory()
    model = cornu.Sequential([cornu.Input(shape), layer])
    rng = np.random.RandomState(0)
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype(w.dtype) for w in model.get_weights()])
    if isinstance(layer, L.Embedding):
        x = rng.randint(0, 7, (2,) + shape)
    else:
        x = rng.rand(2, *shape).astype("float32")
    loaded = _round_trip(model, tmp_path, x)
    ours, theirs = model.layers[0].get_config(), loaded.layers[0].get_config()
    assert ours == theirs


@pytest.mark.parametrize("index", range(len(LAYER_CASES)))
def test_each_layer_file_loads_in_keras(keras, tmp_path, index):
    factory, shape = LAYER_CASES[index]
    model = cornu.Sequential([cornu.Input(shape), factory()])
    rng = np.random.RandomState(0)
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype(w.dtype) for w in model.get_weights()])
    path = str(tmp_path / "layer.keras")
    model.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = keras.saving.load_model(path)
    if isinstance(model.layers[0], L.Embedding):
        x = rng.randint(0, 7, (2,) + shape)
    else:
        x = rng.rand(2, *shape).astype("float32")
    np.testing.assert_allclose(
        theirs.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )


@pytest.mark.requires_training
def test_weights_file_layout(tmp_path):
    model = _mlp()
    model.compile(optimizer="adam", loss="mse")
    model.fit(*_data(), epochs=1, batch_size=32, verbose=0)
    model.save_weights(str(tmp_path / "m.weights.h5"))
    seen = {}
    with h5py.File(tmp_path / "m.weights.h5", "r") as f:
        f.visititems(lambda name, obj: seen.update({name: dict(obj.attrs)}))
    assert seen["vars"] == {"name": model.name}
    assert seen["layers/dense/vars"] == {"name": model.layers[0].name}
    assert "layers/dense_1/vars/1" in seen
    assert seen["optimizer/vars"] == {"name": "adam"}
    assert sorted(k for k in seen if k.startswith("optimizer/vars/")) == [
        f"optimizer/vars/{i}" for i in sorted(str(i) for i in range(10))
    ]
    assert h5py.is_hdf5(str(tmp_path / "m.weights.h5"))


def test_objects_to_skip(tmp_path):
    model, other = _mlp(), _mlp()
    path = tmp_path / "part.weights.h5"
    cornu.saving.save_weights(model, str(path), objects_to_skip=[model.layers[0]])
    with h5py.File(path, "r") as f:
        assert "layers/dense" not in f and "layers/dense_1/vars/0" in f
    before = other.get_weights()
    other.load_weights(str(path), objects_to_skip=[other.layers[0]])
    np.testing.assert_array_equal(other.get_weights()[0], before[0])
    np.testing.assert_array_equal(other.get_weights()[2], model.get_weights()[2])
    with pytest.raises(ValueError, match="only supports loading '.weights.h5'"):
        other.load_weights(str(tmp_path / "m.keras"), objects_to_skip=[other.layers[0]])
