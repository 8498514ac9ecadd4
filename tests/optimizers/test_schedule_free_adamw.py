"""ScheduleFreeAdamW against Keras: the interpolated weights, warmup and its variables."""

import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
    {"learning_rate": 0.1, "warmup_steps": 3},
    {"learning_rate": 0.1, "weight_decay": 0.2, "warmup_steps": 2},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(
        optimizers.ScheduleFreeAdamW(**config),
        keras.optimizers.ScheduleFreeAdamW(**config),
        steps=5,
    )


def test_momentum_starts_at_the_weights():
    w = backend.Variable(np.array([1.5, -2.0], "float32"), name="w")
    opt = optimizers.ScheduleFreeAdamW()
    opt.build([w])
    assert [v.name for v in opt.variables] == [
        "iteration",
        "learning_rate",
        "w_momentum",
        "w_velocity",
    ]
    np.testing.assert_array_equal(opt.variables[2].numpy(), [1.5, -2.0])
    np.testing.assert_array_equal(opt.variables[3].numpy(), [0.0, 0.0])


def test_first_step_is_an_adam_sign_step():
    # At step 1 the average is the iterate itself: y = z = w - lr * g / (|g| + eps).
    w = backend.Variable(np.array([1.0, 2.0, -1.0], "float32"))
    opt = optimizers.ScheduleFreeAdamW(learning_rate=0.1)
    opt.apply([backend.convert_to_tensor(np.array([0.5, -1.0, 2.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [0.9, 2.1, -1.1], rtol=1e-6)


def test_config_matches_keras(keras):
    ours = optimizers.ScheduleFreeAdamW(warmup_steps=10).get_config()
    theirs = keras.optimizers.ScheduleFreeAdamW(warmup_steps=10).get_config()
    assert ours.pop("name") == "schedule_free_adam_w"
    theirs.pop("name")
    assert ours == theirs
    assert ours["learning_rate"] == pytest.approx(0.0025) and ours["epsilon"] == 1e-8
