import numpy as np
import pytest

from cornu import backend, optimizers

CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "weight_decay": 0.5},
    {"learning_rate": 0.1, "weight_decay": 0.2, "amsgrad": True, "beta_1": 0.5},
    {"learning_rate": 0.1, "clipnorm": 0.5},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(optimizers.AdamW(**config), keras.optimizers.AdamW(**config), steps=5)


def test_defaults_and_config(keras):
    ours, theirs = optimizers.AdamW().get_config(), keras.optimizers.AdamW().get_config()
    assert ours.pop("name") == "adam_w"
    theirs.pop("name")
    assert ours == theirs
    assert ours["weight_decay"] == 0.004


def test_decay_is_decoupled_from_the_gradient():
    # A zero gradient leaves Adam's step at 0: only the decay w -= w * wd * lr acts.
    w = backend.Variable(np.array([2.0, -4.0], "float32"))
    opt = optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    opt.apply([backend.convert_to_tensor(np.zeros(2, "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [1.9, -3.8], rtol=1e-6)


def test_weight_decay_is_required():
    with pytest.raises(ValueError, match="`weight_decay` must be a float"):
        optimizers.AdamW(weight_decay=None)
