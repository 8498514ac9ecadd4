"""Legacy whole-model .h5 files (Keras 2's layout) and legacy .h5 weights files load into
cornu."""

import json

import h5py
import numpy as np
import pytest

import cornu
from cornu.saving import SavedFileError


def _write_keras2_file(path, config, weights, training_config=None):
    """A whole-model file in Keras 2's layout (as tf.keras 2.x wrote it)."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config)
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = [name.encode() for name in weights]
        for name, arrays in weights.items():
            layer_group = group.create_group(name)
            names = [f"{name}/{w}:0".encode() for w, _ in arrays]
            layer_group.attrs["weight_names"] = names
            for weight_name, (_, value) in zip(names, arrays):
                layer_group.create_dataset(weight_name.decode(), data=value)


def _dense(name, units, activation, **extra):
    config = {
        "name": name,
        "trainable": True,
        "dtype": "float32",
        "units": units,
        "activation": activation,
        "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }
    config.update(extra)
    return {"class_name": "Dense", "config": config}


@pytest.fixture
def keras2_weights():
    rng = np.random.RandomState(0)
    k1, b1 = rng.rand(3, 4).astype("float32"), rng.rand(4).astype("float32")
    k2, b2 = rng.rand(4, 2).astype("float32"), rng.rand(2).astype("float32")
    x = rng.rand(5, 3).astype("float32")
    weights = {"in": [], "d1": [("kernel", k1), ("bias", b1)], "d2": [("kernel", k2), ("bias", b2)]}
    return weights, x, np.maximum(x @ k1 + b1, 0) @ k2 + b2


def test_keras2_sequential_file_loads_and_compiles(tmp_path, keras2_weights):
    weights, x, expected = keras2_weights
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "seq",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {
                        "batch_input_shape": [None, 3],
                        "dtype": "float32",
                        "sparse": False,
                        "ragged": False,
                        "name": "in",
                    },
                },
                _dense("d1", 4, "relu", batch_input_shape=[None, 3]),
                _dense("d2", 2, "linear"),
            ],
        },
    }
    training = {
        "loss": "mse",
        "metrics": ["mae"],
        "weighted_metrics": None,
        "loss_weights": None,
        "optimizer_config": {
            "class_name": "Adam",
            "config": {"name": "Adam", "learning_rate": 0.005, "decay": 0.0, "beta_1": 0.9},
        },
    }
    _write_keras2_file(tmp_path / "seq.h5", config, weights, training)
    model = cornu.saving.load_model(str(tmp_path / "seq.h5"))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5)
    assert model.compiled and isinstance(model.optimizer, cornu.optimizers.Adam)
    assert model.optimizer.learning_rate == pytest.approx(0.005)
    assert not cornu.saving.load_model(str(tmp_path / "seq.h5"), compile=False).compiled


def test_keras2_functional_file_loads(tmp_path, keras2_weights):
    weights, x, expected = keras2_weights
    config = {
        "class_name": "Model",
        "config": {
            "name": "fun",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "name": "in",
                    "inbound_nodes": [],
                    "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "in"},
                },
                {**_dense("d1", 4, "relu"), "name": "d1", "inbound_nodes": [[["in", 0, 0, {}]]]},
                {**_dense("d2", 2, "linear"), "name": "d2", "inbound_nodes": [[["d1", 0, 0, {}]]]},
            ],
            "input_layers": [["in", 0, 0]],
            "output_layers": [["d2", 0, 0]],
        },
    }
    _write_keras2_file(tmp_path / "fun.h5", config, weights)
    model = cornu.saving.load_model(str(tmp_path / "fun.h5"))
    assert not model.compiled  # no training configuration in the file
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5)


def _keras_model(keras):
    layers = keras.layers
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    shared = layers.Dense(2, name="shared")
    merged = layers.Concatenate()([shared(a), layers.Dense(2, name="side")(b)])
    inner = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3), layers.BatchNormalization()], name="inner"
    )
    outputs = [layers.Dense(1, name="o1")(inner(merged)), shared(layers.Dense(3)(merged))]
    return keras.Model([a, b], outputs)


def test_files_of_keras_legacy_saver_load(keras, tmp_path):
    from keras.src.legacy.saving import legacy_h5_format

    model = _keras_model(keras)
    rng = np.random.RandomState(0)
    model.set_weights(
        [rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in model.get_weights()]
    )
    model.compile(optimizer="adam", loss="mse")
    x = [rng.rand(4, 3).astype("float32"), rng.rand(4, 2).astype("float32")]
    model.fit(x, [np.zeros((4, 1)), np.zeros((4, 2))], verbose=0)
    path = str(tmp_path / "legacy.h5")
    legacy_h5_format.save_model_to_hdf5(model, path)
    loaded = cornu.saving.load_model(path)
    for ours, theirs in zip(loaded.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    assert loaded.compiled
    assert int(loaded.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy())

    # The weights alone, in the legacy weights-only layout, by order and by name.
    with h5py.File(tmp_path / "weights.h5", "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    fresh = cornu.models.clone_model(loaded)
    fresh.load_weights(str(tmp_path / "weights.h5"))
    named = cornu.models.clone_model(loaded)
    named.load_weights(str(tmp_path / "weights.h5"), by_name=True)
    for other in (fresh, named):
        for a, b in zip(other.get_weights(), loaded.get_weights()):
            np.testing.assert_array_equal(a, b)


def test_bad_legacy_files_raise_one_error_and_change_nothing(tmp_path, keras2_weights):
    with h5py.File(tmp_path / "w.h5", "w") as f:
        f.create_dataset("x", data=np.ones(3))
    with pytest.raises(SavedFileError, match="no model_config"):
        cornu.saving.load_model(str(tmp_path / "w.h5"))
    (tmp_path / "junk.h5").write_bytes(b"junk")
    with pytest.raises(SavedFileError, match="not a readable HDF5 file"):
        cornu.saving.load_model(str(tmp_path / "junk.h5"))
    weights, _, _ = keras2_weights
    weights["d2"] = [("kernel", np.ones((4, 5), "float32")), ("bias", np.ones(5, "float32"))]
    _write_keras2_file(tmp_path / "w2.h5", {"class_name": "Sequential", "config": {}}, weights)
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(4), cornu.layers.Dense(2)])
    before = model.get_weights()
    with pytest.raises(SavedFileError, match="Shape mismatch in layer #1"):
        model.load_weights(str(tmp_path / "w2.h5"))
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="Shape mismatch"):
        model.load_weights(str(tmp_path / "w2.h5"), skip_mismatch=True)
    np.testing.assert_array_equal(model.get_weights()[0], weights["d1"][0][1])
