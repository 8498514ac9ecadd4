"""The JAX backend's random ops draw what Keras's JAX backend draws (int seeds, the global
stream, SeedGenerators), SeedGenerators advance inside ``jax.jit`` through their state
Variable, and layers list that state in their variables but not in their weights.

Keras runs in a subprocess on its JAX backend (the test process's Keras runs on torch)."""

import json
import os
import random as python_random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import cornu  # noqa: E402
from cornu.backend.jax import random as jax_random  # noqa: E402
from cornu.backend.jax.core import StatelessScope  # noqa: E402

on_jax = pytest.mark.backends("jax")

LOGITS = [[0.2, 0.8, 0.0], [-1.0, 0.5, 0.5]]
# name -> (function, args, kwargs): the same call on keras.random and on the jax backend.
DRAWS = {
    "normal": ("normal", [(3, 2)], {"mean": 1.0, "stddev": 2.0}),
    "uniform": ("uniform", [(4,)], {"minval": -1.0, "maxval": 3.0}),
    "uniform_float16": ("uniform", [(4,)], {"dtype": "float16"}),
    "truncated_normal": ("truncated_normal", [(5, 2)], {}),
    "randint": ("randint", [(6,), 0, 10], {}),
    "categorical": ("categorical", [LOGITS, 6], {}),
    "gamma": ("gamma", [(4,)], {"alpha": 2.0}),
    "binomial": ("binomial", [(4,)], {"counts": 10, "probabilities": 0.3}),
    "beta": ("beta", [(4,)], {"alpha": 2.0, "beta": 3.0}),
    "shuffle": ("shuffle", [np.arange(12).reshape(4, 3).tolist()], {"axis": 1}),
    "dropout": ("dropout", [np.ones((4, 5), "float32").tolist(), 0.5], {}),
    "dropout_noise_shape": (
        "dropout",
        [np.ones((4, 5), "float32").tolist(), 0.3],
        {"noise_shape": (None, 1)},
    ),
}

KERAS_SCRIPT = """
import json, sys
import numpy as np
import keras
from keras import ops

draws = json.loads(sys.argv[1])
out = {}
def tensor(value, name):
    if name in ("categorical", "shuffle", "dropout"):
        return ops.convert_to_tensor(np.asarray(value, "float32" if name != "shuffle" else "int32"))
    return value
for key, (name, args, kwargs) in draws.items():
    args = [tensor(args[0], name)] + args[1:]
    out[key] = np.asarray(getattr(keras.random, name)(*args, seed=42, **kwargs)).tolist()
generator = keras.random.SeedGenerator(7)
out["generator"] = [
    np.asarray(keras.random.uniform((3,), seed=generator)).tolist() for _ in range(3)
]
out["generator_state"] = np.asarray(generator.state.value).tolist()
keras.utils.set_random_seed(0)
out["unseeded"] = [np.asarray(keras.random.normal((2,))).tolist() for _ in range(3)]
print("RESULT" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def keras_jax():
    """Keras's JAX-backend draws for the calls above (and a SeedGenerator, and the global
    stream after ``set_random_seed(0)``)."""
    pytest.importorskip("keras")
    env = dict(os.environ, KERAS_BACKEND="jax")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KERAS_SCRIPT), json.dumps(DRAWS, default=list)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])


def _ours(name, args, kwargs, seed):
    if name in ("categorical", "dropout"):
        args = [np.asarray(args[0], "float32")] + list(args[1:])
    if name == "shuffle":
        args = [np.asarray(args[0], "int32")]
    return np.asarray(getattr(jax_random, name)(*args, seed=seed, **kwargs))


@pytest.mark.parametrize("key", sorted(DRAWS))
def test_int_seeds_draw_what_keras_jax_draws(keras_jax, key):
    name, args, kwargs = DRAWS[key]
    ours = _ours(name, args, kwargs, seed=42)
    np.testing.assert_array_equal(ours, np.asarray(keras_jax[key], dtype=ours.dtype))


def test_results_have_keras_dtypes():
    assert jax_random.normal((2,), seed=1).dtype == "float32"
    assert jax_random.uniform((2,), dtype="bfloat16", seed=1).dtype == "bfloat16"
    # jax's 64-bit mode is off, as in Keras: int64 becomes int32.
    assert jax_random.randint((2,), 0, 5, dtype="int64", seed=1).dtype == "int32"
    assert jax_random.categorical(np.zeros((2, 3)), 4, dtype="int16", seed=1).dtype == "int16"
    assert jax_random.gamma((3,), 1.0, dtype="float16", seed=1).shape == (3,)
    assert jax_random.normal(4, seed=1).shape == (4,)


def test_unseeded_draws_follow_keras_global_stream(keras_jax):
    python_random.seed(0)
    jax_random.set_seed(0)
    ours = [np.asarray(jax_random.normal((2,))) for _ in range(3)]
    np.testing.assert_array_equal(ours, np.asarray(keras_jax["unseeded"], "float32"))


def test_rng_state_round_trips():
    python_random.seed(5)
    jax_random.set_seed(5)
    assert jax_random.get_rng_state().size == 0  # nothing drawn yet
    jax_random.normal((2,))
    state = jax_random.get_rng_state()
    assert state.dtype == np.uint8 and state.shape == (8,)
    first = np.asarray(jax_random.normal((3,)))
    jax_random.set_rng_state(state)
    np.testing.assert_array_equal(first, np.asarray(jax_random.normal((3,))))
    with pytest.raises(ValueError, match="8 bytes"):
        jax_random.set_rng_state(np.zeros(5, np.uint8))


def test_unseeded_draws_refuse_to_be_traced():
    with pytest.raises(ValueError, match="seeded random ops"):
        jax.jit(lambda x: x + jax_random.normal((2,)))(np.zeros(2, "float32"))


def test_seed_errors_name_the_argument():
    with pytest.raises(ValueError, match="Argument `seed` must be"):
        jax_random.normal((2,), seed="abc")
    with pytest.raises(ValueError, match="`seed` must be an int"):
        cornu.random.SeedGenerator(1.5)


def test_dropout_rates_zero_and_one_draw_nothing():
    x = np.ones((3,), "float32")
    np.testing.assert_array_equal(np.asarray(jax_random.dropout(x, 0.0, seed=1)), x)
    np.testing.assert_array_equal(np.asarray(jax_random.dropout(x, 1.0, seed=1)), 0 * x)
    kept = np.asarray(jax_random.dropout(np.ones((1000,), "float32"), 0.25, seed=3))
    assert set(np.unique(kept)) <= {0.0, np.float32(1 / 0.75)}
    assert 0.15 < np.mean(kept == 0) < 0.35


@on_jax
def test_seed_generators_draw_what_keras_jax_draws(keras_jax):
    generator = cornu.random.SeedGenerator(7)
    ours = [np.asarray(cornu.random.uniform((3,), seed=generator)) for _ in range(3)]
    np.testing.assert_array_equal(ours, np.asarray(keras_jax["generator"], "float32"))
    np.testing.assert_array_equal(generator.state.numpy(), keras_jax["generator_state"])
    assert generator.state.dtype == "uint32" and generator._count == 3


@on_jax
def test_seed_generators_advance_inside_jit_through_their_state():
    generator = cornu.random.SeedGenerator(3)

    @jax.jit
    def draw(state):
        with StatelessScope([(generator.state, state)]) as scope:
            sample = cornu.random.normal((2,), seed=generator)
        return sample, scope.get_current_value(generator.state)

    first, state = draw(generator.state.value)
    second, state = draw(state)
    assert not np.array_equal(np.asarray(first), np.asarray(second))
    np.testing.assert_array_equal(np.asarray(state), [3, 2])
    eager = cornu.random.SeedGenerator(3)
    expected = [np.asarray(cornu.random.normal((2,), seed=eager)) for _ in range(2)]
    np.testing.assert_array_equal([np.asarray(first), np.asarray(second)], expected)
    np.testing.assert_array_equal(generator.state.numpy(), [3, 0])  # the step was stateless


def test_seed_generator_count_can_be_restored():
    generator = cornu.random.SeedGenerator(11)
    first = [np.asarray(cornu.random.uniform((2,), seed=generator)) for _ in range(2)]
    assert generator._count == 2
    generator._count = 1
    np.testing.assert_array_equal(np.asarray(cornu.random.uniform((2,), seed=generator)), first[1])
    state = generator.state.numpy()
    assert list(state.astype("int64") & 0xFFFFFFFF) == [11, 2]
    assert generator.state.name == "seed_generator_state" and not generator.state.trainable


def test_layers_list_seed_states_in_variables_not_weights():
    x = cornu.Input((4,))
    h = cornu.layers.Dense(3)(x)
    h = cornu.layers.Dropout(0.5, seed=1)(h)
    model = cornu.Model(x, cornu.layers.GaussianNoise(0.1, seed=2)(h))
    states = [v for v in model.variables if v.name == "seed_generator_state"]
    assert len(states) == 2
    assert [v.path for v in states] == [
        "seed_generator/seed_generator_state",
        "seed_generator_1/seed_generator_state",
    ]
    assert len(model.weights) == 2 and len(model.get_weights()) == 2
    assert [v.name for v in model.non_trainable_variables] == ["seed_generator_state"] * 2
    assert model.non_trainable_weights == []


@on_jax
def test_dropout_layer_in_stateless_call_advances_its_seed():
    layer = cornu.layers.Dropout(0.5, seed=4)
    x = np.ones((2, 6), "float32")
    layer(x)  # builds it

    @jax.jit
    def call(non_trainable):
        return layer.stateless_call([], non_trainable, x, training=True)

    state = [v.value for v in layer.non_trainable_variables]
    first, state = call(state)
    second, state = call(state)
    assert not np.array_equal(np.asarray(first), np.asarray(second))
    assert int(np.asarray(state[0])[1]) == 2
