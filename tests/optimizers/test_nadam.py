import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.9, "epsilon": 1e-3},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.Nadam(**config), keras.optimizers.Nadam(**config), steps=5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Nadam().get_config(), keras.optimizers.Nadam().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_momentum_schedule_product():
    # The last variable holds prod_t u_t with u_t = 0.9 * (1 - 0.5 * 0.96**t).
    w = backend.Variable(np.zeros(2, "float32"))
    opt = optimizers.Nadam()
    for _ in range(3):
        opt.apply([backend.convert_to_tensor(np.ones(2, "float32"))], [w])
    expected = np.prod([0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2, 3)])
    product = opt.variables[-1]
    assert (product.name, product.shape) == ("variable", ())
    np.testing.assert_allclose(product.numpy(), expected, rtol=1e-6)
