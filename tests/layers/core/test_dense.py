"""Dense: values against Keras, shapes, weights, config, errors, torch interop."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    run_layer_test(
        layers.Dense,
        {"units": 4, "activation": "relu"},
        input_shape=(3, 5),
        expected_output_shape=(3, 4),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_same_numbers_as_keras(keras):
    x = np.random.RandomState(1).standard_normal((4, 6)).astype("float32")
    for activation in ("relu", "softmax", "sigmoid", None):
        ref = keras.layers.Dense(3, activation=activation)
        expected = keras.ops.convert_to_numpy(ref(x))
        layer = layers.Dense(3, activation=activation)
        layer(x)
        layer.set_weights(ref.get_weights())
        np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), expected, atol=1e-6)


def test_higher_rank_inputs_use_the_last_axis():
    layer = layers.Dense(2, use_bias=False, kernel_initializer="ones")
    out = ops.convert_to_numpy(layer(np.ones((2, 3, 4), "float32")))
    assert out.shape == (2, 3, 2)
    np.testing.assert_allclose(out, 4.0)


def test_weights_layout_and_names():
    layer = layers.Dense(5)
    layer(np.zeros((1, 3), "float32"))
    assert [w.shape for w in layer.weights] == [(3, 5), (5,)]
    assert [w.path for w in layer.weights] == ["dense/kernel", "dense/bias"]
    assert layer.count_params() == 20
    assert layers.Dense(1).name == "dense_1"
    assert layers.Dense(1, name="head").name == "head"


def test_wrong_input_width_names_layer_and_shapes():
    layer = layers.Dense(2)
    layer(np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match=r'layer "dense".*axis -1.*value 3.*\(4, 7\)'):
        layer(np.zeros((4, 7), "float32"))


def test_bad_units():
    with pytest.raises(ValueError, match="`units` must be a positive int. Received: units=0"):
        layers.Dense(0)


def test_set_weights_mismatch_names_layer_weight_and_shapes():
    layer = layers.Dense(2)
    layer(np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match=r"'dense' weight 'kernel' has shape \(3, 2\).*\(4, 2\)"):
        layer.set_weights([np.zeros((4, 2)), np.zeros(2)])
    with pytest.raises(ValueError, match="expected 2 weights"):
        layer.set_weights([np.zeros((3, 2))])


def test_unknown_keyword_is_an_error():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(2, kernel_init="ones")


@pytest.mark.backends("torch")
def test_is_a_torch_module_with_parameters():
    import torch

    layer = layers.Dense(2)
    layer(np.zeros((1, 3), "float32"))
    assert isinstance(layer, torch.nn.Module)
    params = dict(layer.named_parameters())
    assert set(params) == {"kernel", "bias"}
    assert all(isinstance(p, torch.nn.Parameter) for p in params.values())
    assert layer.kernel.value is params["kernel"]
    assert set(layer.state_dict()) == {"kernel", "bias"}
    out = layer.forward(torch.ones(1, 3))
    assert out.shape == (1, 2)


@pytest.mark.backends("torch")  # requires_grad
def test_trainable_false_freezes_weights():
    layer = layers.Dense(2)
    layer(np.zeros((1, 3), "float32"))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 2
    assert not layer.kernel.value.requires_grad
    layer.trainable = True
    assert layer.kernel.value.requires_grad


def test_regularizer_adds_a_loss():
    layer = layers.Dense(2, kernel_initializer="ones", kernel_regularizer=lambda w: ops.sum(w))
    layer(np.zeros((1, 3), "float32"))
    assert float(ops.convert_to_numpy(layer.losses[0])) == 6.0


def test_config_round_trip():
    layer = layers.Dense(3, activation="tanh", use_bias=False, name="d")
    config = layer.get_config()
    assert config["units"] == 3 and config["activation"] == "tanh" and not config["use_bias"]
    clone = layers.Dense.from_config(config)
    assert clone.get_config() == config


def test_public_alias():
    assert cornu.layers.Dense is layers.Dense
