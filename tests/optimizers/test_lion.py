import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9},
    {"learning_rate": 0.05, "beta_1": 1.0},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.Lion(**config), keras.optimizers.Lion(**config), steps=5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Lion().get_config(), keras.optimizers.Lion().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_each_weight_moves_by_the_learning_rate():
    w = backend.Variable(np.zeros(3, "float32"))
    opt = optimizers.Lion(learning_rate=0.25)
    opt.apply([backend.convert_to_tensor(np.array([3.0, -1e-3, 0.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [-0.25, 0.25, 0.0])
    np.testing.assert_allclose(opt.variables[2].numpy(), [0.03, -1e-5, 0.0], rtol=1e-5)


@pytest.mark.parametrize("beta_1", [0.0, 1.5])
def test_rejects_beta_1_out_of_range(beta_1):
    with pytest.raises(ValueError, match="`beta_1` must be in the"):
        optimizers.Lion(beta_1=beta_1)
