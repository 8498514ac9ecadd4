import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 1.0},
    {"learning_rate": 0.5, "rho": 0.8, "epsilon": 1e-3},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.Adadelta(**config), keras.optimizers.Adadelta(**config), steps=5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Adadelta().get_config(), keras.optimizers.Adadelta().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs
    assert (ours["rho"], ours["epsilon"]) == (0.95, 1e-7)


def test_first_step():
    # accumulated_grad = 0.05 * g**2; delta = -sqrt(eps) * g / sqrt(0.05 * g**2 + eps)
    g, eps = 2.0, 1e-7
    w = backend.Variable(np.array([0.0], "float32"))
    optimizers.Adadelta(learning_rate=1.0).apply(
        [backend.convert_to_tensor(np.array([g], "float32"))], [w]
    )
    expected = -np.sqrt(eps) * g / np.sqrt(0.05 * g**2 + eps)
    np.testing.assert_allclose(w.numpy(), [expected], rtol=1e-5)
