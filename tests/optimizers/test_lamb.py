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
    compare_with_keras(optimizers.Lamb(**config), keras.optimizers.Lamb(**config), steps=5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Lamb().get_config(), keras.optimizers.Lamb().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_trust_ratio_scales_the_step_to_the_weight_norm():
    # First step: update = sign(g) (to ~1e-7), norm 2; weight norm 10 -> ratio 5.
    w = backend.Variable(np.array([6.0, 8.0, 0.0, 0.0], "float32"))
    opt = optimizers.Lamb(learning_rate=0.01)
    opt.apply([backend.convert_to_tensor(np.array([1.0, 1.0, -1.0, 1.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [5.95, 7.95, 0.05, -0.05], rtol=1e-5)


def test_zero_weights_use_a_ratio_of_one():
    w = backend.Variable(np.zeros(2, "float32"))
    optimizers.Lamb(learning_rate=0.01).apply(
        [backend.convert_to_tensor(np.array([1.0, -2.0], "float32"))], [w]
    )
    np.testing.assert_allclose(w.numpy(), [-0.01, 0.01], rtol=1e-5)
