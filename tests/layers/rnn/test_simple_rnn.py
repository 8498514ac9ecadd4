"""SimpleRNN and SimpleRNNCell: Keras's numbers, masks, states, config."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    run_layer_test(
        layers.SimpleRNN,
        {"units": 3, "return_sequences": True},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=3,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("mask_name", [None, "right", "left", "arbitrary"])
def test_same_numbers_as_keras(keras, rnn_helpers, return_sequences, go_backwards, mask_name):
    x = rnn_helpers.inputs()
    mask = None if mask_name is None else rnn_helpers.MASKS[mask_name]
    kwargs = dict(return_sequences=return_sequences, return_state=True, go_backwards=go_backwards)
    theirs = keras.layers.SimpleRNN(3, **kwargs)
    ours = layers.SimpleRNN(3, **kwargs)
    rnn_helpers.share(theirs, ours, x)
    rnn_helpers.assert_same(keras, ours(x, mask=mask), theirs(x, mask=mask))


def test_activation_bias_and_weights(keras, rnn_helpers):
    x = rnn_helpers.inputs()
    theirs = keras.layers.SimpleRNN(3, activation="relu", use_bias=False, return_sequences=True)
    ours = layers.SimpleRNN(3, activation="relu", use_bias=False, return_sequences=True)
    rnn_helpers.share(theirs, ours, x)
    assert [w.shape for w in ours.weights] == [(4, 3), (3, 3)]
    rnn_helpers.assert_same(keras, ours(x), theirs(x))


def test_dropout_changes_training_outputs_only(rnn_helpers):
    x = rnn_helpers.inputs()
    layer = layers.SimpleRNN(3, dropout=0.5, recurrent_dropout=0.5, seed=3)
    inference = ops.convert_to_numpy(layer(x))
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), inference)
    assert not np.allclose(ops.convert_to_numpy(layer(x, training=True)), inference)


def test_config_matches_keras_keys(keras):
    config = layers.SimpleRNN(2, go_backwards=True).get_config()
    reference = keras.layers.SimpleRNN(2, go_backwards=True).get_config()
    assert set(config) == set(reference)
    assert layers.SimpleRNN.from_config(reference).go_backwards is True
