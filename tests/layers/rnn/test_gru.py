"""GRU and GRUCell (reset_after True and False): Keras's numbers, weights, masks, states."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    for reset_after in (True, False):
        run_layer_test(
            layers.GRU,
            {"units": 3, "reset_after": reset_after},
            input_shape=(2, 4, 5),
            expected_output_shape=(2, 3),
            expected_num_trainable_weights=3,
            expected_num_non_trainable_weights=0,
            supports_masking=True,
        )


def test_weights_layout():
    layer = layers.GRU(3)
    layer(np.zeros((2, 4, 5), "float32"))
    assert [w.shape for w in layer.weights] == [(5, 9), (3, 9), (2, 9)]
    before = layers.GRU(3, reset_after=False)
    before(np.zeros((2, 4, 5), "float32"))
    assert [w.shape for w in before.weights] == [(5, 9), (3, 9), (9,)]
    no_bias = layers.GRU(3, use_bias=False)
    no_bias(np.zeros((2, 4, 5), "float32"))
    assert [w.name for w in no_bias.weights] == ["kernel", "recurrent_kernel"]


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_same_numbers_as_keras(keras, rnn_helpers, reset_after, return_sequences, go_backwards):
    x = rnn_helpers.inputs()
    kwargs = dict(
        reset_after=reset_after,
        return_sequences=return_sequences,
        return_state=True,
        go_backwards=go_backwards,
    )
    theirs = keras.layers.GRU(3, **kwargs)
    for use_cudnn in ("auto", False):
        ours = layers.GRU(3, use_cudnn=use_cudnn, **kwargs)
        rnn_helpers.share(theirs, ours, x)
        rnn_helpers.assert_same(keras, ours(x), theirs(x))


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("mask_name", ["right", "left", "arbitrary"])
def test_masks_match_keras(keras, rnn_helpers, reset_after, mask_name):
    x, mask = rnn_helpers.inputs(), rnn_helpers.MASKS[mask_name]
    for return_sequences, go_backwards in ((True, False), (False, True)):
        kwargs = dict(
            reset_after=reset_after,
            return_sequences=return_sequences,
            return_state=True,
            go_backwards=go_backwards,
        )
        theirs = keras.layers.GRU(3, **kwargs)
        for use_cudnn in ("auto", False):
            ours = layers.GRU(3, use_cudnn=use_cudnn, **kwargs)
            rnn_helpers.share(theirs, ours, x)
            rnn_helpers.assert_same(keras, ours(x, mask=mask), theirs(x, mask=mask))


def test_no_bias_and_initial_state_match_keras(keras, rnn_helpers):
    x = rnn_helpers.inputs()
    h0 = np.random.RandomState(5).standard_normal((3, 3)).astype("float32")
    for reset_after in (True, False):
        theirs = keras.layers.GRU(3, use_bias=False, reset_after=reset_after, return_state=True)
        ours = layers.GRU(3, use_bias=False, reset_after=reset_after, return_state=True)
        rnn_helpers.share(theirs, ours, x)
        rnn_helpers.assert_same(keras, ours(x, initial_state=[h0]), theirs(x, initial_state=[h0]))
        rnn_helpers.assert_same(keras, ours(x, initial_state=h0), theirs(x, initial_state=h0))


def test_stateful_matches_keras(keras, rnn_helpers):
    x = rnn_helpers.inputs((2, 4, 3))
    theirs = keras.layers.GRU(3, stateful=True)
    ours = layers.GRU(3, stateful=True)
    rnn_helpers.share(theirs, ours, x)
    ours.reset_state()
    theirs.reset_state()
    for _ in range(2):
        rnn_helpers.assert_same(keras, ours(x), theirs(x))
    ours.reset_state()
    theirs.reset_state()
    rnn_helpers.assert_same(keras, ours(x), theirs(x))


def test_recurrent_dropout_uses_the_step_loop_in_training(rnn_helpers):
    x = rnn_helpers.inputs()
    for reset_after in (True, False):
        layer = layers.GRU(3, dropout=0.3, recurrent_dropout=0.3, reset_after=reset_after, seed=2)
        inference = ops.convert_to_numpy(layer(x))
        trained = ops.convert_to_numpy(layer(x, training=True))
        assert not np.allclose(trained, inference)
        assert layer.cell.implementation == 1 and layer.cell.dropout_mask_count == 3


def test_config_round_trip_matches_keras_keys(keras):
    layer = layers.GRU(4, reset_after=False, return_state=True, recurrent_dropout=0.2)
    config = layer.get_config()
    reference = keras.layers.GRU(4, reset_after=False, return_state=True).get_config()
    assert set(config) == set(reference)
    assert layers.GRU.from_config(config).get_config() == config
    clone = layers.GRU.from_config(reference)
    assert clone.reset_after is False and clone.return_state is True


def test_use_cudnn_true_needs_reset_after(rnn_helpers):
    with pytest.raises(ValueError, match="reset_after=True"):
        layers.GRU(3, reset_after=False, use_cudnn=True)(rnn_helpers.inputs())


def test_cell_in_rnn_matches_keras(keras, rnn_helpers):
    x = rnn_helpers.inputs()
    for reset_after in (True, False):
        theirs = keras.layers.RNN(keras.layers.GRUCell(3, reset_after=reset_after))
        ours = layers.RNN(layers.GRUCell(3, reset_after=reset_after))
        rnn_helpers.share(theirs, ours, x)
        rnn_helpers.assert_same(keras, ours(x), theirs(x))
