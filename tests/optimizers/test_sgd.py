import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1, "momentum": 0.9},
    {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
    {"learning_rate": 0.1, "weight_decay": 0.05},
    {"learning_rate": 0.1, "momentum": 0.5, "clipnorm": 0.5},
    {"learning_rate": 0.1, "clipvalue": 0.3},
    {"learning_rate": 0.1, "global_clipnorm": 0.8},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.SGD(**config), keras.optimizers.SGD(**config))


def test_defaults_and_config(keras):
    ours, theirs = optimizers.SGD().get_config(), keras.optimizers.SGD().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_plain_step():
    w = backend.Variable(np.array([1.0, 2.0], "float32"))
    optimizers.SGD(learning_rate=0.5).apply([backend.convert_to_tensor([1.0, -2.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.5, 3.0])


def test_no_momentum_slots_without_momentum():
    w = backend.Variable(np.zeros(2, "float32"), name="w")
    opt = optimizers.SGD()
    opt.build([w])
    assert [v.name for v in opt.variables] == ["iteration", "learning_rate"]


def test_rejects_bad_momentum():
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)
