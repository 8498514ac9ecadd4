import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "initial_accumulator_value": 0.0, "epsilon": 1e-3},
    {"learning_rate": 0.5, "initial_accumulator_value": 2.0},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.Adagrad(**config), keras.optimizers.Adagrad(**config), steps=5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Adagrad().get_config(), keras.optimizers.Adagrad().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs
    assert (ours["learning_rate"], ours["initial_accumulator_value"]) == (
        pytest.approx(0.001),
        0.1,
    )


def test_one_step_epsilon_inside_the_square_root():
    # accumulator = 0.1 + 0.3**2 = 0.19; w = 1 - 0.5 * 0.3 / sqrt(0.19 + 1e-7)
    w = backend.Variable(np.array([1.0], "float32"))
    opt = optimizers.Adagrad(learning_rate=0.5)
    opt.apply([backend.convert_to_tensor(np.array([0.3], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [1 - 0.15 / np.sqrt(0.19 + 1e-7)], rtol=1e-6)
    np.testing.assert_allclose(opt.variables[2].numpy(), [0.19], rtol=1e-6)
