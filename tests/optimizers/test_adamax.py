import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.Adamax(**config), keras.optimizers.Adamax(**config), steps=5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Adamax().get_config(), keras.optimizers.Adamax().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_first_step_moves_by_the_learning_rate():
    # m = 0.1 g, u = |g|, step = lr * m / (0.1 * (u + eps)) = lr * sign(g).
    w = backend.Variable(np.zeros(2, "float32"))
    optimizers.Adamax(learning_rate=0.01).apply(
        [backend.convert_to_tensor(np.array([4.0, -0.5], "float32"))], [w]
    )
    np.testing.assert_allclose(w.numpy(), [-0.01, 0.01], rtol=1e-5)
