"""RNN with custom and stacked cells, the step loop against the fused kernels (outputs and
gradients), and masks flowing from Embedding/Masking through recurrent models."""

import numpy as np
import pytest

import cornu
from cornu import backend, layers, ops
from cornu.saving import register_keras_serializable


@register_keras_serializable(package="tests")
class MinimalRNNCell(layers.Layer):
    """The cell of Keras's RNN documentation."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_custom_cell_and_its_config(rnn_helpers):
    x = rnn_helpers.inputs()
    layer = layers.RNN(MinimalRNNCell(3), return_sequences=True, return_state=True)
    outputs, state = layer(x)
    assert tuple(outputs.shape) == (3, 5, 3) and tuple(state.shape) == (3, 3)
    kernel, recurrent = (ops.convert_to_numpy(w) for w in layer.weights)
    h = np.zeros((3, 3), "float32")
    for t in range(5):
        h = x[:, t] @ kernel + h @ recurrent
    np.testing.assert_allclose(ops.convert_to_numpy(state), h, atol=1e-5)
    clone = layers.RNN.from_config(layer.get_config())
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(clone(x)[0]), ops.convert_to_numpy(outputs))
    symbolic = layers.RNN(MinimalRNNCell(4))(layers.Input((None, 2)))
    assert tuple(symbolic.shape) == (None, 4)


def test_cell_validation():
    with pytest.raises(ValueError, match="`call` method"):
        layers.RNN(object())
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(2))
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch_size, timesteps"):
        layers.RNN(layers.SimpleRNNCell(2))(np.zeros((2, 3), "float32"))


@pytest.mark.parametrize("as_list", [True, False])
def test_stacked_cells_match_keras(keras, rnn_helpers, as_list):
    x, mask = rnn_helpers.inputs(), rnn_helpers.MASKS["left"]
    theirs_cells = [
        keras.layers.LSTMCell(3),
        keras.layers.GRUCell(2),
        keras.layers.SimpleRNNCell(4),
    ]
    ours_cells = [layers.LSTMCell(3), layers.GRUCell(2), layers.SimpleRNNCell(4)]
    if not as_list:
        theirs_cells = keras.layers.StackedRNNCells(theirs_cells)
        ours_cells = layers.StackedRNNCells(ours_cells)
    theirs = keras.layers.RNN(theirs_cells, return_sequences=True, return_state=True)
    ours = layers.RNN(ours_cells, return_sequences=True, return_state=True)
    rnn_helpers.share(theirs, ours, x)
    assert [w.shape for w in ours.weights] == [w.shape for w in theirs.weights]
    rnn_helpers.assert_same(keras, ours(x), theirs(x))
    rnn_helpers.assert_same(keras, ours(x, mask=mask), theirs(x, mask=mask))
    config = ours.get_config()
    clone = layers.RNN.from_config(config)
    assert clone.get_config() == config
    assert isinstance(clone.cell, layers.StackedRNNCells) and len(clone.cell.cells) == 3


def test_single_stacked_lstm_cell(rnn_helpers):
    x = rnn_helpers.inputs()
    out, (h, c) = layers.RNN([layers.LSTMCell(3)], return_state=True)(x)
    assert tuple(out.shape) == tuple(h.shape) == tuple(c.shape) == (3, 3)


def _run_and_grads(layer_cls, use_cudnn, x, mask, seed=4, **kwargs):
    import torch  # the test drives autograd directly

    layer = layer_cls(3, return_sequences=True, return_state=True, use_cudnn=use_cudnn, **kwargs)
    layer(x)
    rng = np.random.RandomState(seed)
    layer.set_weights([rng.standard_normal(w.shape).astype("float32") for w in layer.weights])
    xt = torch.tensor(x, requires_grad=True)
    outputs = layer(xt, mask=None if mask is None else torch.tensor(mask))
    weights = [
        torch.sin(torch.arange(o.numel(), dtype=torch.float32)).reshape(o.shape) for o in outputs
    ]
    loss = sum((o * w).sum() for o, w in zip(outputs, weights))
    loss.backward()
    grads = [xt.grad.numpy()] + [w.value.grad.numpy().copy() for w in layer.weights]
    return [o.detach().numpy() for o in outputs], grads


@pytest.mark.backends("torch")  # the fused torch kernels
@pytest.mark.parametrize("layer_cls", [layers.LSTM, layers.GRU])
@pytest.mark.parametrize("mask_name", [None, "right", "left"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_fused_kernel_and_step_loop_agree_with_gradients(
    rnn_helpers, layer_cls, mask_name, go_backwards
):
    x = rnn_helpers.inputs()
    mask = None if mask_name is None else rnn_helpers.MASKS[mask_name]
    fused = _run_and_grads(layer_cls, "auto", x, mask, go_backwards=go_backwards)
    loop = _run_and_grads(layer_cls, False, x, mask, go_backwards=go_backwards)
    for a, b in zip(fused[0] + fused[1], loop[0] + loop[1]):
        np.testing.assert_allclose(a, b, atol=1e-5, rtol=1e-5)


@pytest.mark.backends("torch")  # the fused torch kernels
def test_fused_path_is_taken_when_allowed(rnn_helpers, monkeypatch):
    x = rnn_helpers.inputs()
    calls = []
    step_loop = backend.rnn.rnn

    def counting_loop(*args, **kwargs):
        calls.append(1)
        return step_loop(*args, **kwargs)

    monkeypatch.setattr(backend.rnn, "rnn", counting_loop)
    fused = (
        layers.LSTM(3),
        layers.GRU(3),
        layers.LSTM(3, use_bias=False),
        layers.GRU(3, dropout=0.3),
    )
    for layer in fused:
        layer(x)
        layer(x, mask=rnn_helpers.MASKS["right"])
        layer(x, mask=rnn_helpers.MASKS["left"])
        layer(x, training=True)
    assert calls == []
    layers.LSTM(3)(x, mask=rnn_helpers.MASKS["arbitrary"])
    layers.GRU(3, reset_after=False)(x)
    layers.LSTM(3, recurrent_dropout=0.2)(x, training=True)
    layers.LSTM(3, activation="relu")(x)
    layers.LSTM(3, use_cudnn=False)(x)
    assert len(calls) == 5


def test_backend_loop_masking_rules():
    x = np.arange(1, 7, dtype="float32").reshape(1, 3, 2)
    mask = np.array([[True, False, True]])

    def step(inputs, states):
        total = states[0] + inputs
        return total, [total]

    zeros = ops.zeros((1, 2))
    last, outputs, states = backend.rnn.rnn(step, ops.convert_to_tensor(x), [zeros], mask=mask)
    np.testing.assert_allclose(ops.convert_to_numpy(outputs), [[[1, 2], [1, 2], [6, 8]]])
    np.testing.assert_allclose(ops.convert_to_numpy(states[0]), [[6, 8]])
    _, outputs, _ = backend.rnn.rnn(
        step, ops.convert_to_tensor(x), [zeros], mask=mask, zero_output_for_mask=True
    )
    np.testing.assert_allclose(ops.convert_to_numpy(outputs), [[[1, 2], [0, 0], [6, 8]]])
    last, outputs, _ = backend.rnn.rnn(
        step, ops.convert_to_tensor(x), [zeros], go_backwards=True, return_all_outputs=False
    )
    np.testing.assert_allclose(ops.convert_to_numpy(last), [[9, 12]])
    assert tuple(outputs.shape) == (1, 1, 2)


def test_masks_flow_from_embedding_and_masking_through_models(keras):
    rng = np.random.RandomState(0)
    ids = rng.randint(1, 9, (4, 6))
    ids[1, 4:] = 0
    ids[2, :3] = 0

    def build(lib):
        inputs = lib.Input((6,), dtype="int32")
        x = lib.layers.Embedding(9, 4, mask_zero=True)(inputs)
        x = lib.layers.Bidirectional(lib.layers.GRU(3, return_sequences=True))(x)
        x = lib.layers.LSTM(2)(x)
        return lib.Model(inputs, lib.layers.Dense(1)(x))

    theirs, ours = build(keras), build(cornu)
    weights = [rng.standard_normal(w.shape).astype("float32") for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ours(ids)), keras.ops.convert_to_numpy(theirs(ids)), atol=1e-5
    )

    features = rng.standard_normal((3, 5, 2)).astype("float32")
    features[0, 3:] = 0.0
    seq_theirs = keras.Sequential(
        [keras.Input((5, 2)), keras.layers.Masking(), keras.layers.SimpleRNN(3)]
    )
    seq_ours = cornu.Sequential([layers.Input((5, 2)), layers.Masking(), layers.SimpleRNN(3)])
    seq_ours.set_weights(seq_theirs.get_weights())
    np.testing.assert_allclose(
        ops.convert_to_numpy(seq_ours(features)),
        keras.ops.convert_to_numpy(seq_theirs(features)),
        atol=1e-5,
    )


def test_weights_move_between_keras_and_cornu_files(keras, tmp_path):
    rng = np.random.RandomState(0)
    ids = rng.randint(0, 20, (2, 7))

    def build(lib):
        return lib.Sequential(
            [
                lib.Input((7,), dtype="int32"),
                lib.layers.Embedding(20, 4, mask_zero=True),
                lib.layers.Bidirectional(lib.layers.LSTM(3, return_sequences=True)),
                lib.layers.GRU(2),
            ]
        )

    theirs = build(keras)
    theirs.set_weights([rng.standard_normal(w.shape).astype("float32") for w in theirs.weights])
    theirs.save_weights(tmp_path / "k.weights.h5")
    ours = build(cornu)
    ours.load_weights(tmp_path / "k.weights.h5")
    expected = keras.ops.convert_to_numpy(theirs(ids))
    np.testing.assert_allclose(ops.convert_to_numpy(ours(ids)), expected, atol=1e-5)
    ours.save(tmp_path / "c.keras")
    reloaded = keras.saving.load_model(tmp_path / "c.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(reloaded(ids)), expected, atol=1e-5)


@pytest.mark.requires_training
@pytest.mark.parametrize("layer_cls", [layers.LSTM, layers.GRU, layers.SimpleRNN])
def test_stateful_layers_train_with_fit(layer_cls):
    rng = np.random.RandomState(0)
    x, y = rng.rand(8, 5, 3).astype("float32"), rng.rand(8, 1).astype("float32")
    model = cornu.Sequential(
        [layers.Input((5, 3), batch_size=4), layer_cls(4, stateful=True), layers.Dense(1)]
    )
    model.compile("adam", "mse")
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    state = ops.convert_to_numpy(model.layers[0].states[0])
    assert state.shape == (4, 4) and np.abs(state).sum() > 0


def test_seq2seq_with_symbolic_initial_state_round_trips_through_keras_files(keras, tmp_path):
    encoder_inputs, decoder_inputs = layers.Input((None, 3)), layers.Input((None, 4))
    _, h, c = layers.LSTM(5, return_state=True)(encoder_inputs)
    decoded = layers.LSTM(5, return_sequences=True)(decoder_inputs, initial_state=[h, c])
    outputs = layers.TimeDistributed(layers.Dense(2))(decoded)
    model = cornu.Model([encoder_inputs, decoder_inputs], outputs)
    rng = np.random.RandomState(0)
    x = [rng.rand(2, 6, 3).astype("float32"), rng.rand(2, 4, 4).astype("float32")]
    expected = ops.convert_to_numpy(model(x))
    model.save(tmp_path / "s2s.keras")
    theirs = keras.saving.load_model(tmp_path / "s2s.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs(x)), expected, atol=1e-5)
    theirs.save(tmp_path / "back.keras")
    ours = cornu.saving.load_model(tmp_path / "back.keras")
    np.testing.assert_allclose(ops.convert_to_numpy(ours(x)), expected, atol=1e-5)
