import numpy as np
import pytest

from cornu import backend, optimizers

SHAPES = {"a": (3,), "b": (2, 4), "c": (2, 3, 2)}
CONFIGS = [
    {},
    {"learning_rate": 0.1},
    {"learning_rate": 0.5, "beta_2_decay": -0.5, "epsilon_2": 0.1, "clip_threshold": 0.5},
    {"learning_rate": 0.1, "relative_step": False, "epsilon_1": 1e-3},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(
        optimizers.Adafactor(**config),
        keras.optimizers.Adafactor(**config),
        steps=5,
        shapes=SHAPES,
    )


def test_defaults_and_config(keras):
    ours, theirs = optimizers.Adafactor().get_config(), keras.optimizers.Adafactor().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


def test_factored_variables():
    variables = [backend.Variable(np.zeros(s, "float32"), name=n) for n, s in SHAPES.items()]
    opt = optimizers.Adafactor()
    opt.build(variables)
    described = [(v.name, v.shape, v.dtype) for v in opt.variables[2:]]
    assert described == [
        ("a", (), "int32"),
        ("a", (), "int32"),
        ("a_velocity", (3,), "float32"),
        ("b", (2,), "float32"),
        ("b", (4,), "float32"),
        ("b_velocity", (2, 4), "float32"),
        ("c", (2, 3), "float32"),
        ("c", (2, 2), "float32"),
        ("c_velocity", (2, 3, 2), "float32"),
    ]


def test_first_step_of_a_vector():
    # beta_2 is 0 at t=1: v = g**2, u = sign(g), rms(u) = 1; the step is max(1e-3, rms(w)) *
    # min(lr, 1) = 0.5 * 0.1.
    w = backend.Variable(np.array([0.5, -0.5], "float32"))
    opt = optimizers.Adafactor(learning_rate=0.1)
    opt.apply([backend.convert_to_tensor(np.array([2.0, 3.0], "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [0.45, -0.55], rtol=1e-5)
