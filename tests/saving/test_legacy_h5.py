"""Keras 2 whole-model .h5 files load into cornu."""

import json

import h5py
import numpy as np
import pytest

import cornu


def _write_keras2_file(path, config, weights):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
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


def test_keras2_sequential_and_functional_files_load(tmp_path):
    rng = np.random.RandomState(0)
    k1, b1 = rng.rand(3, 4).astype("float32"), rng.rand(4).astype("float32")
    k2, b2 = rng.rand(4, 2).astype("float32"), rng.rand(2).astype("float32")
    weights = {"d1": [("kernel", k1), ("bias", b1)], "d2": [("kernel", k2), ("bias", b2)]}
    x = rng.rand(5, 3).astype("float32")
    expected = np.maximum(x @ k1 + b1, 0) @ k2 + b2

    sequential = {
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
                _dense("d1", 4, "relu"),
                _dense("d2", 2, "linear"),
            ],
        },
    }
    _write_keras2_file(tmp_path / "seq.h5", sequential, weights)
    model = cornu.saving.load_model(str(tmp_path / "seq.h5"))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5)

    functional = {
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
    _write_keras2_file(tmp_path / "fun.h5", functional, weights)
    model = cornu.saving.load_model(str(tmp_path / "fun.h5"))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5)


def test_an_h5_file_without_a_model_is_refused(tmp_path):
    with h5py.File(tmp_path / "w.h5", "w") as f:
        f.create_dataset("x", data=np.ones(3))
    with pytest.raises(cornu.saving.SavedFileError, match="no model_config"):
        cornu.saving.load_model(str(tmp_path / "w.h5"))
