import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "amsgrad": True},
    {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
    {"learning_rate": 0.1, "weight_decay": 0.1},
    {"learning_rate": 0.1, "clipnorm": 0.5},
    {"learning_rate": 0.1, "clipvalue": 0.2},
    {"learning_rate": 0.1, "global_clipnorm": 1.0, "amsgrad": True},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.Adam(**config), keras.optimizers.Adam(**config), steps=3)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Adam().get_config(), keras.optimizers.Adam().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_first_step_moves_each_weight_by_the_learning_rate():
    # After one step m / sqrt(v) = sign(g): each weight moves by almost exactly lr.
    w = backend.Variable(np.zeros(3, "float32"))
    optimizers.Adam(learning_rate=0.01).apply([backend.convert_to_tensor([3.0, -0.2, 5.0])], [w])
    np.testing.assert_allclose(w.numpy(), [-0.01, 0.01, -0.01], rtol=1e-4)


@pytest.mark.backends("torch", "numpy")  # jax keeps x64 off (as Keras): no float64 weights
def test_float64_weights(keras, compare_with_keras):
    w = backend.Variable(np.ones(2), name="w")
    opt = optimizers.Adam(learning_rate=0.1)
    opt.apply([backend.convert_to_tensor(np.array([0.5, -1.0]))], [w])
    assert opt.variables[2].dtype == "float64"
    np.testing.assert_allclose(w.numpy(), [0.9, 1.1], rtol=1e-6)
