"""layers.serialize / layers.deserialize: the dict Keras writes, round trips both ways, errors."""

import numpy as np
import pytest

from cornu import layers, ops


def test_serialize_writes_what_keras_writes(keras):
    ours = layers.serialize(layers.Dense(3, activation="relu", name="d"))
    theirs = keras.layers.serialize(keras.layers.Dense(3, activation="relu", name="d"))
    assert ours["module"] == theirs["module"] == "keras.layers"
    assert ours["class_name"] == theirs["class_name"] == "Dense"
    assert ours["config"]["units"] == 3 and ours["config"]["activation"] == "relu"
    assert sorted(ours) == sorted(theirs)


def test_round_trip_and_keras_configs(keras):
    layer = layers.deserialize(layers.serialize(layers.LeakyReLU(0.1, name="leaky")))
    assert isinstance(layer, layers.LeakyReLU)
    assert layer.name == "leaky" and layer.negative_slope == 0.1
    from_keras = layers.deserialize(keras.layers.serialize(keras.layers.Dense(4, use_bias=False)))
    assert isinstance(from_keras, layers.Dense) and from_keras.units == 4
    assert from_keras.use_bias is False
    back = keras.layers.deserialize(layers.serialize(layers.Dropout(0.25)))
    assert isinstance(back, keras.layers.Dropout) and back.rate == 0.25


def test_custom_objects():
    class Doubler(layers.Layer):
        def call(self, x):
            return x * 2

    config = layers.serialize(Doubler(name="doubler"))
    layer = layers.deserialize(config, custom_objects={"Doubler": Doubler})
    assert isinstance(layer, Doubler)
    np.testing.assert_allclose(ops.convert_to_numpy(layer(np.ones(2, "float32"))), [2.0, 2.0])


def test_not_a_layer():
    config = {"module": "keras.optimizers", "class_name": "SGD", "config": {}}
    with pytest.raises(ValueError, match="not a `Layer`"):
        layers.deserialize(config)
    with pytest.raises(ValueError):
        layers.deserialize({"module": "keras.layers", "class_name": "NoSuchLayer", "config": {}})


def test_new_layers_in_keras_files_both_ways(keras, tmp_path):
    import cornu

    x = np.random.RandomState(0).standard_normal((2, 40, 2)).astype("float32")
    model = cornu.Sequential(
        [
            cornu.Input((40, 2)),
            layers.STFTSpectrogram(mode="magnitude", frame_length=8, frame_step=4, window=None),
            layers.PReLU(alpha_initializer="ones", shared_axes=[1]),
            layers.ReLU(max_value=3.0),
            layers.LeakyReLU(0.1),
            layers.ELU(0.5),
            layers.AdaptiveAveragePooling1D(4),
            layers.AdaptiveMaxPooling1D(2),
            layers.Softmax(axis=1),
        ]
    )
    expected = ops.convert_to_numpy(model(x))
    model.save(tmp_path / "ours.keras")
    theirs = keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs(x)), expected, atol=1e-5)
    theirs.save(tmp_path / "theirs.keras")
    again = cornu.saving.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(ops.convert_to_numpy(again(x)), expected, atol=1e-5)
