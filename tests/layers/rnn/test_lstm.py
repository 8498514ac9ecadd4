"""LSTM and LSTMCell: Keras's numbers (fused kernel and step loop), weights, masks, states,
config, errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    run_layer_test(
        layers.LSTM,
        {"units": 3, "return_sequences": True},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=3,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_weights_layout_gate_order_and_forget_bias(keras):
    layer = layers.LSTM(3)
    layer(np.zeros((2, 4, 5), "float32"))
    assert [w.shape for w in layer.weights] == [(5, 12), (3, 12), (12,)]
    assert [w.path for w in layer.weights] == [
        "lstm/lstm_cell/kernel",
        "lstm/lstm_cell/recurrent_kernel",
        "lstm/lstm_cell/bias",
    ]
    # unit_forget_bias: ones on the forget gate (the second block of i, f, c, o).
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layer.cell.bias), [0] * 3 + [1] * 3 + [0] * 6
    )
    recurrent = ops.convert_to_numpy(layer.cell.recurrent_kernel)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-5)  # orthogonal
    no_forget = layers.LSTM(3, unit_forget_bias=False, bias_initializer="ones")
    no_forget(np.zeros((2, 4, 5), "float32"))
    np.testing.assert_array_equal(ops.convert_to_numpy(no_forget.cell.bias), np.ones(12))


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_same_numbers_as_keras(keras, rnn_helpers, return_sequences, go_backwards, use_cudnn):
    x = rnn_helpers.inputs()
    kwargs = dict(return_sequences=return_sequences, return_state=True, go_backwards=go_backwards)
    theirs = keras.layers.LSTM(3, **kwargs)
    ours = layers.LSTM(3, use_cudnn=use_cudnn, **kwargs)
    rnn_helpers.share(theirs, ours, x)
    rnn_helpers.assert_same(keras, ours(x), theirs(x))


@pytest.mark.parametrize("mask_name", ["right", "left", "arbitrary"])
@pytest.mark.parametrize("use_cudnn", ["auto", False])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_masks_match_keras(keras, rnn_helpers, mask_name, use_cudnn, go_backwards):
    x, mask = rnn_helpers.inputs(), rnn_helpers.MASKS[mask_name]
    for return_sequences in (False, True):
        kwargs = dict(
            return_sequences=return_sequences, return_state=True, go_backwards=go_backwards
        )
        theirs = keras.layers.LSTM(3, **kwargs)
        ours = layers.LSTM(3, use_cudnn=use_cudnn, **kwargs)
        rnn_helpers.share(theirs, ours, x)
        rnn_helpers.assert_same(keras, ours(x, mask=mask), theirs(x, mask=mask))


def test_zero_output_for_mask_matches_keras(keras, rnn_helpers):
    x, mask = rnn_helpers.inputs(), rnn_helpers.MASKS["right"]
    for return_sequences in (False, True):
        theirs = keras.layers.LSTM(3, return_sequences=return_sequences, zero_output_for_mask=True)
        ours = layers.LSTM(3, return_sequences=return_sequences, zero_output_for_mask=True)
        rnn_helpers.share(theirs, ours, x)
        rnn_helpers.assert_same(keras, ours(x, mask=mask), theirs(x, mask=mask))


def test_other_activations_and_no_bias_match_keras(keras, rnn_helpers):
    x = rnn_helpers.inputs()
    for kwargs in (
        {"activation": "relu", "recurrent_activation": "hard_sigmoid"},
        {"use_bias": False},
    ):
        theirs = keras.layers.LSTM(3, return_sequences=True, **kwargs)
        ours = layers.LSTM(3, return_sequences=True, **kwargs)
        rnn_helpers.share(theirs, ours, x)
        rnn_helpers.assert_same(keras, ours(x), theirs(x))


def test_initial_state_eager_and_symbolic(keras, rnn_helpers):
    x = rnn_helpers.inputs()
    rng = np.random.RandomState(3)
    h0, c0 = rng.standard_normal((2, 3, 3)).astype("float32")
    theirs = keras.layers.LSTM(3, return_state=True)
    ours = layers.LSTM(3, return_state=True)
    rnn_helpers.share(theirs, ours, x)
    rnn_helpers.assert_same(
        keras, ours(x, initial_state=[h0, c0]), theirs(x, initial_state=[h0, c0])
    )

    seq, h, c = layers.Input((5, 4)), layers.Input((3,)), layers.Input((3,))
    outputs = layers.LSTM(3, return_state=True, name="decoder")(seq, initial_state=[h, c])
    assert [tuple(t.shape) for t in outputs] == [(None, 3)] * 3
    model = cornu.Model([seq, h, c], outputs)
    model.set_weights(theirs.get_weights())
    rnn_helpers.assert_same(keras, model([x, h0, c0]), theirs(x, initial_state=[h0, c0]))


def test_input_mask_is_ignored_with_an_initial_state_as_in_keras(keras, rnn_helpers):
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    h0, c0 = np.random.RandomState(0).standard_normal((2, 2, 3)).astype("float32")
    theirs_embed, ours_embed = (
        keras.layers.Embedding(5, 4, mask_zero=True),
        layers.Embedding(5, 4, mask_zero=True),
    )
    rnn_helpers.share(theirs_embed, ours_embed, ids)
    theirs = keras.layers.LSTM(3, return_sequences=True)
    ours = layers.LSTM(3, return_sequences=True)
    rnn_helpers.share(theirs, ours, np.zeros((2, 3, 4), "float32"))
    e_theirs, e_ours = theirs_embed(ids), ours_embed(ids)
    for extra in ({}, {"mask": ids != 0}):
        out = ours(e_ours, initial_state=[h0, c0], **extra)
        rnn_helpers.assert_same(keras, out, theirs(e_theirs, initial_state=[h0, c0], **extra))
        np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), ids != 0)
    masked = ours(e_ours, initial_state=[h0, c0], mask=ids != 0)
    unmasked = ours(e_ours, initial_state=[h0, c0])
    assert not np.allclose(ops.convert_to_numpy(masked), ops.convert_to_numpy(unmasked))


def test_stateful_carries_states_and_resets(keras, rnn_helpers):
    x = rnn_helpers.inputs((2, 4, 3))
    theirs = keras.layers.LSTM(3, stateful=True, return_sequences=True)
    ours = layers.LSTM(3, stateful=True, return_sequences=True)
    rnn_helpers.share(theirs, ours, x)
    theirs.reset_states()
    ours.reset_states()
    first = rnn_helpers.to_numpy(ours(x))
    theirs(x)
    for _ in range(2):
        rnn_helpers.assert_same(keras, ours(x), theirs(x))
    assert not np.allclose(rnn_helpers.to_numpy(ours(x))[0], first[0])
    assert len(ours.weights) == 3 and len(ours.states) == 2
    ours.reset_state()
    np.testing.assert_allclose(rnn_helpers.to_numpy(ours(x))[0], first[0], atol=1e-6)
    with pytest.raises(ValueError, match=r"lstm.*stateful with batch size 2.*\(3, 4, 3\)"):
        ours(rnn_helpers.inputs((3, 4, 3)))
    with pytest.raises(ValueError, match="fixed batch size"):
        layers.LSTM(2, stateful=True)(layers.Input((4, 3)))


def test_dropout_in_training_only(rnn_helpers):
    x = rnn_helpers.inputs()
    for kwargs in ({"dropout": 0.5}, {"recurrent_dropout": 0.5}):
        layer = layers.LSTM(3, seed=1, **kwargs)
        inference = ops.convert_to_numpy(layer(x))
        np.testing.assert_allclose(ops.convert_to_numpy(layer(x, training=False)), inference)
        trained = ops.convert_to_numpy(layer(x, training=True))
        assert trained.shape == inference.shape and not np.allclose(trained, inference)
        assert layer.cell._dropout_mask is None  # cleared after each call


def test_config_round_trip_and_keras_config(keras):
    layer = layers.LSTM(
        4,
        return_sequences=True,
        go_backwards=True,
        dropout=0.1,
        kernel_regularizer="l2",
        recurrent_activation="hard_sigmoid",
        unit_forget_bias=False,
    )
    config = layer.get_config()
    reference = keras.layers.LSTM(
        4,
        return_sequences=True,
        go_backwards=True,
        dropout=0.1,
        kernel_regularizer="l2",
        recurrent_activation="hard_sigmoid",
        unit_forget_bias=False,
    ).get_config()
    assert set(config) == set(reference)
    for key in ("units", "return_sequences", "go_backwards", "dropout", "unit_forget_bias"):
        assert config[key] == reference[key]
    clone = layers.LSTM.from_config(config)
    assert clone.get_config() == config
    assert keras.layers.LSTM.from_config(config).units == 4
    assert layers.LSTM.from_config(reference).recurrent_dropout == 0.0


def test_regularizers_add_losses():
    layer = layers.LSTM(2, kernel_regularizer="l2", recurrent_regularizer="l1")
    layer(np.ones((1, 3, 2), "float32"))
    assert len(layer.losses) == 2


def test_errors_name_the_layer_and_shapes():
    layer = layers.LSTM(3)
    with pytest.raises(ValueError, match=r'layer "lstm".*ndim=3.*\(4, 5\)'):
        layer(np.zeros((4, 5), "float32"))
    x = np.zeros((2, 5, 4), "float32")
    with pytest.raises(ValueError, match=r"'lstm'.*mask of shape.*\(2, 5\).*\(2, 5, 4\).*\(2, 4\)"):
        layer(x, mask=np.ones((2, 4), bool))
    with pytest.raises(
        ValueError, match=r"'lstm' expects 2 initial state.*\[\(2, 3\), \(2, 3\)\].*1"
    ):
        layer(x, initial_state=[np.zeros((2, 3), "float32")])
    with pytest.raises(ValueError, match=r"'lstm'.*\(2, 3\).*\(2, 7\)"):
        layer(x, initial_state=[np.zeros((2, 3), "float32"), np.zeros((2, 7), "float32")])
    h = layers.Input((7,))
    with pytest.raises(ValueError, match=r"'lstm_1'.*\(None, 3\).*\(None, 7\)"):
        layers.LSTM(3)(layers.Input((5, 4)), initial_state=[h, h])
    with pytest.raises(ValueError, match="units"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="use_cudnn"):
        layers.LSTM(2, use_cudnn="yes")


@pytest.mark.backends("torch")  # the fused torch kernels
def test_use_cudnn_true_refuses_what_the_kernel_cannot_run(rnn_helpers):
    x = rnn_helpers.inputs()
    layer = layers.LSTM(3, use_cudnn=True)
    layer(x, mask=rnn_helpers.MASKS["right"])
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layer(x, mask=rnn_helpers.MASKS["arbitrary"])
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layers.LSTM(3, activation="relu", use_cudnn=True)(x)


def test_cell_in_rnn_matches_keras(keras, rnn_helpers):
    x = rnn_helpers.inputs()
    theirs = keras.layers.RNN(keras.layers.LSTMCell(3), return_sequences=True)
    ours = layers.RNN(layers.LSTMCell(3), return_sequences=True)
    rnn_helpers.share(theirs, ours, x)
    rnn_helpers.assert_same(keras, ours(x), theirs(x))
    cell = layers.LSTMCell(2)
    h, (h2, c2) = cell(np.ones((1, 3), "float32"), [np.zeros((1, 2), "float32")] * 2)
    assert tuple(h.shape) == (1, 2) and h is h2 and tuple(c2.shape) == (1, 2)
