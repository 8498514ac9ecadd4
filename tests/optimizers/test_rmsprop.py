import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "momentum": 0.9},
    {"learning_rate": 0.1, "centered": True},
    {"learning_rate": 0.1, "centered": True, "momentum": 0.5, "rho": 0.8},
    {"learning_rate": 0.1, "weight_decay": 0.1},
    {"learning_rate": 0.1, "clipnorm": 0.5},
    {"learning_rate": 0.1, "clipvalue": 0.2},
    {"learning_rate": 0.1, "global_clipnorm": 0.7},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.RMSprop(**config), keras.optimizers.RMSprop(**config))


def test_one_step_epsilon_inside_the_square_root():
    w = backend.Variable(np.array([1.0, -2.0, 3.0], "float32"))
    opt = optimizers.RMSprop(learning_rate=0.1)
    opt.apply([backend.convert_to_tensor(np.array([1e-4, -0.5, 2.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [0.96853, -1.68377, 2.68377], atol=1e-5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.RMSprop().get_config(), keras.optimizers.RMSprop().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs
