"""Bidirectional: every merge mode against Keras, masks, states, weights order, config."""

import numpy as np
import pytest

from cornu import layers, ops


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_merge_modes_match_keras(keras, rnn_helpers, merge_mode, return_sequences):
    x, mask = rnn_helpers.inputs(), rnn_helpers.MASKS["right"]
    theirs = keras.layers.Bidirectional(
        keras.layers.LSTM(3, return_sequences=return_sequences), merge_mode=merge_mode
    )
    ours = layers.Bidirectional(
        layers.LSTM(3, return_sequences=return_sequences), merge_mode=merge_mode
    )
    rnn_helpers.share(theirs, ours, x)
    rnn_helpers.assert_same(keras, ours(x), theirs(x))
    rnn_helpers.assert_same(keras, ours(x, mask=mask), theirs(x, mask=mask))


@pytest.mark.parametrize("merge_mode", ["concat", None])
def test_return_state_and_initial_state_match_keras(keras, rnn_helpers, merge_mode):
    x = rnn_helpers.inputs()
    states = list(np.random.RandomState(2).standard_normal((4, 3, 3)).astype("float32"))
    theirs = keras.layers.Bidirectional(
        keras.layers.LSTM(3, return_state=True, return_sequences=True), merge_mode=merge_mode
    )
    ours = layers.Bidirectional(
        layers.LSTM(3, return_state=True, return_sequences=True), merge_mode=merge_mode
    )
    rnn_helpers.share(theirs, ours, x)
    outputs = ours(x)
    assert len(outputs) == (6 if merge_mode is None else 5)
    rnn_helpers.assert_same(keras, outputs, theirs(x))
    rnn_helpers.assert_same(keras, ours(x, initial_state=states), theirs(x, initial_state=states))
    symbolic = ours(layers.Input((5, 4)))
    assert [tuple(t.shape) for t in symbolic][-4:] == [(None, 3)] * 4


def test_gru_and_left_padded_mask_match_keras(keras, rnn_helpers):
    x, mask = rnn_helpers.inputs(), rnn_helpers.MASKS["left"]
    theirs = keras.layers.Bidirectional(
        keras.layers.GRU(2, return_sequences=True), merge_mode="sum"
    )
    ours = layers.Bidirectional(layers.GRU(2, return_sequences=True), merge_mode="sum")
    rnn_helpers.share(theirs, ours, x)
    out = ours(x, mask=mask)
    rnn_helpers.assert_same(keras, out, theirs(x, mask=mask))
    np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), mask)


def test_weights_order_names_and_shapes():
    layer = layers.Bidirectional(layers.LSTM(3, name="enc"))
    out = layer(np.zeros((2, 5, 4), "float32"))
    assert tuple(out.shape) == (2, 6)
    assert layer.forward_layer.name == "forward_enc" and layer.backward_layer.name == "backward_enc"
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert [w.path for w in layer.weights] == [
        "bidirectional/forward_enc/lstm_cell/kernel",
        "bidirectional/forward_enc/lstm_cell/recurrent_kernel",
        "bidirectional/forward_enc/lstm_cell/bias",
        "bidirectional/backward_enc/lstm_cell/kernel",
        "bidirectional/backward_enc/lstm_cell/recurrent_kernel",
        "bidirectional/backward_enc/lstm_cell/bias",
    ]
    weights = [np.full(w.shape, i, "float32") for i, w in enumerate(layer.weights)]
    preset = layers.Bidirectional(layers.LSTM(3), weights=weights)
    preset(np.zeros((2, 5, 4), "float32"))
    for w, expected in zip(preset.get_weights(), weights):
        np.testing.assert_array_equal(w, expected)


def test_custom_backward_layer_and_errors():
    forward, backward = layers.GRU(2), layers.GRU(2, go_backwards=True)
    layer = layers.Bidirectional(forward, backward_layer=backward, merge_mode="ave")
    assert layer.backward_layer is backward
    assert tuple(layer(np.ones((1, 3, 2), "float32")).shape) == (1, 2)
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.GRU(2), backward_layer=layers.GRU(2))
    with pytest.raises(ValueError, match="return_sequences"):
        layers.Bidirectional(
            layers.GRU(2), backward_layer=layers.GRU(2, go_backwards=True, return_sequences=True)
        )
    with pytest.raises(ValueError, match="merge mode"):
        layers.Bidirectional(layers.GRU(2), merge_mode="max")
    with pytest.raises(ValueError, match="Layer"):
        layers.Bidirectional("lstm")


def test_stateful_reset_and_config_round_trip(keras):
    layer = layers.Bidirectional(layers.SimpleRNN(2, stateful=True), merge_mode="mul")
    x = np.ones((2, 3, 2), "float32")
    first = ops.convert_to_numpy(layer(x))
    assert len(layer.states) == 2
    assert not np.allclose(ops.convert_to_numpy(layer(x)), first)
    layer.reset_states()
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), first, atol=1e-6)
    with pytest.raises(AttributeError, match="stateful"):
        layers.Bidirectional(layers.GRU(2)).reset_state()
    config = layers.Bidirectional(
        layers.LSTM(3, return_sequences=True), merge_mode="sum"
    ).get_config()
    clone = layers.Bidirectional.from_config(config)
    assert clone.merge_mode == "sum" and clone.return_sequences
    assert clone.get_config()["layer"]["config"]["name"] == config["layer"]["config"]["name"]
    theirs = keras.layers.Bidirectional.from_config(config)
    assert theirs.merge_mode == "sum"


def test_symbolic_initial_state_in_a_functional_model(keras, rnn_helpers):
    import cornu

    x = rnn_helpers.inputs()
    states = list(np.random.RandomState(4).standard_normal((2, 3, 3)).astype("float32"))

    def build(lib):
        seq, h_f, h_b = lib.Input((5, 4)), lib.Input((3,)), lib.Input((3,))
        outputs = lib.layers.Bidirectional(lib.layers.GRU(3, return_state=True))(
            seq, initial_state=[h_f, h_b]
        )
        assert isinstance(outputs, tuple) and len(outputs) == 3
        return lib.Model([seq, h_f, h_b], list(outputs))

    theirs, ours = build(keras), build(cornu)
    ours.set_weights(theirs.get_weights())
    rnn_helpers.assert_same(keras, ours([x, *states]), theirs([x, *states]))
    with pytest.raises(ValueError, match=r"initial state.*\(None, 3\).*\(None, 5\)"):
        layers.Bidirectional(layers.GRU(3))(
            layers.Input((5, 4)), initial_state=[layers.Input((3,)), layers.Input((5,))]
        )
