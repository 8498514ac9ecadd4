import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "l1_regularization_strength": 0.5},
    {
        "learning_rate": 0.1,
        "learning_rate_power": -0.3,
        "initial_accumulator_value": 0.5,
        "l1_regularization_strength": 0.1,
        "l2_regularization_strength": 0.2,
        "l2_shrinkage_regularization_strength": 0.05,
        "beta": 0.3,
    },
    {"learning_rate": 0.1, "learning_rate_power": 0.0},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(
        optimizers.Ftrl(**config), keras.optimizers.Ftrl(**config), steps=5, atol=1e-5
    )


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Ftrl().get_config(), keras.optimizers.Ftrl().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_l1_zeroes_weights_with_small_linear_terms():
    w = backend.Variable(np.array([0.0, 0.0], "float32"))
    opt = optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=1.0)
    opt.apply([backend.convert_to_tensor(np.array([0.5, -3.0], "float32"))], [w])
    # linear = g; |0.5| <= l1 gives 0; the other is (-1 - (-3)) / (sqrt(9.1) / 0.1) > 0.
    np.testing.assert_allclose(w.numpy(), [0.0, 2.0 * 0.1 / np.sqrt(9.1)], rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"initial_accumulator_value": -1.0}, "initial_accumulator_value"),
        ({"learning_rate_power": 0.5}, "learning_rate_power"),
        ({"l1_regularization_strength": -1.0}, "l1_regularization_strength"),
        ({"l2_regularization_strength": -1.0}, "l2_regularization_strength"),
        ({"l2_shrinkage_regularization_strength": -1.0}, "l2_shrinkage_regularization"),
    ],
)
def test_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        optimizers.Ftrl(**kwargs)
