"""Embedding: Keras's numbers, masks, initializer, weights, config, errors."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    run_layer_test(
        layers.Embedding,
        {"input_dim": 10, "output_dim": 3},
        input_data=np.array([[1, 2, 3], [4, 5, 0]]),
        expected_output_shape=(2, 3, 3),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        supports_masking=False,
    )


def test_same_numbers_and_mask_as_keras(keras):
    ids = np.array([[1, 2, 0, 0], [3, 9, 4, 0]])
    ref = keras.layers.Embedding(10, 3, mask_zero=True)
    ref(ids)
    layer = layers.Embedding(10, 3, mask_zero=True)
    layer(ids)
    layer.set_weights(ref.get_weights())
    for data in (ids, ids.astype("int32"), ids.astype("float32")):
        out = layer(data)
        np.testing.assert_allclose(ops.convert_to_numpy(out), keras.ops.convert_to_numpy(ref(ids)))
        assert ops.dtype(out) == "float32"
        np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), ids != 0)
    assert layer.supports_masking
    assert getattr(layers.Embedding(10, 3)(ids), "_keras_mask", None) is None


def test_symbolic_mask_and_higher_rank():
    inputs = layers.Input((None,), dtype="int32")
    out = layers.Embedding(5, 2, mask_zero=True)(inputs)
    assert tuple(out.shape) == (None, None, 2)
    assert tuple(out._keras_mask.shape) == (None, None)
    assert tuple(layers.Embedding(5, 2)(np.zeros((2, 3, 4), "int64")).shape) == (2, 3, 4, 2)


def test_weights_initializer_and_gradient():
    layer = layers.Embedding(1000, 8)
    layer(np.array([[0]]))
    table = ops.convert_to_numpy(layer.embeddings)
    assert layer.weights[0].name == "embeddings" and table.shape == (1000, 8)
    assert table.min() >= -0.05 and table.max() <= 0.05 and table.std() > 0.02
    preset = layers.Embedding(3, 2, weights=[np.arange(6, dtype="float32").reshape(3, 2)])
    np.testing.assert_array_equal(ops.convert_to_numpy(preset(np.array([2, 0]))), [[4, 5], [0, 1]])
    assert len(layers.Embedding(4, 2, embeddings_regularizer="l2").losses) == 0


def test_config_round_trip_with_keras(keras):
    layer = layers.Embedding(7, 3, mask_zero=True, embeddings_regularizer="l1")
    config = layer.get_config()
    assert layers.Embedding.from_config(config).get_config() == config
    theirs = keras.layers.Embedding(7, 3, mask_zero=True).get_config()
    clone = layers.Embedding.from_config(theirs)
    assert clone.mask_zero and clone.output_dim == 3
    assert keras.layers.Embedding.from_config(config).input_dim == 7


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"`input_dim` must be a positive integer.*0"):
        layers.Embedding(0, 3)
    with pytest.raises(ValueError, match=r"`output_dim`.*2.5"):
        layers.Embedding(3, 2.5)
