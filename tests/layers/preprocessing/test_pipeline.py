"""Pipeline: layers applied in order with training and masks passed along, against Keras;
configs both ways and errors."""

import numpy as np
import pytest

from cornu import layers, ops

X = np.random.RandomState(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")


def test_applies_layers_in_order(oracle, keras):
    ours = layers.Pipeline([layers.Rescaling(1 / 255.0), layers.CenterCrop(4, 4)])
    theirs = keras.layers.Pipeline(
        [keras.layers.Rescaling(1 / 255.0), keras.layers.CenterCrop(4, 4)]
    )
    oracle.layer(ours, theirs, X)
    assert [type(layer).__name__ for layer in ours.layers] == ["Rescaling", "CenterCrop"]


def test_training_defaults_to_true():
    pipeline = layers.Pipeline([layers.Dropout(0.5, seed=1)])
    out = ops.convert_to_numpy(pipeline(np.ones((4, 50), "float32")))
    assert np.any(out == 0.0)  # dropout ran: Pipeline calls its layers with training=True
    out = ops.convert_to_numpy(pipeline(np.ones((4, 50), "float32"), training=False))
    np.testing.assert_array_equal(out, 1.0)


def test_masks_travel_between_layers():
    class ZeroMasked(layers.Layer):
        def call(self, inputs, mask=None):
            return inputs * ops.cast(ops.expand_dims(mask, -1), inputs.dtype)

    pipeline = layers.Pipeline([layers.Embedding(10, 4, mask_zero=True), ZeroMasked()])
    out = ops.convert_to_numpy(pipeline(np.array([[3, 0, 5]])))
    assert np.all(out[0, 1] == 0.0) and np.all(out[0, 0] != 0.0)  # the Embedding's mask


def test_config_round_trip_and_keras(keras):
    pipeline = layers.Pipeline([layers.Rescaling(0.5), layers.Dense(2)], name="pipe")
    config = pipeline.get_config()
    theirs = keras.layers.Pipeline(
        [keras.layers.Rescaling(0.5), keras.layers.Dense(2)], name="pipe"
    ).get_config()
    assert sorted(config) == sorted(theirs) == ["layers", "name"]
    again = layers.Pipeline.from_config(config)
    assert again.name == "pipe" and isinstance(again.layers[1], layers.Dense)
    from_keras = layers.deserialize(keras.layers.serialize(keras.layers.Pipeline(
        [keras.layers.Rescaling(0.5)])))  # fmt: skip
    assert isinstance(from_keras, layers.Pipeline)
    to_keras = keras.layers.deserialize(layers.serialize(pipeline))
    assert isinstance(to_keras, keras.layers.Pipeline) and len(to_keras.layers) == 2


def test_weights_are_tracked():
    pipeline = layers.Pipeline([layers.Dense(3), layers.Dense(2)])
    pipeline(np.ones((1, 4), "float32"))
    assert len(pipeline.trainable_weights) == 4


def test_bad_config():
    with pytest.raises(ValueError, match="`layers` key"):
        layers.Pipeline.from_config({"name": "p"})
