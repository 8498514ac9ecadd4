"""The TensorFlow backend's random ops draw what Keras's TensorFlow backend draws (int seeds,
the global stream, SeedGenerators), SeedGenerators advance inside a ``tf.function`` through
their state Variable, and the global state round-trips.

Keras runs in a subprocess on its TensorFlow backend, so the comparison holds whichever
backend the suite runs on."""

import json
import os
import random as python_random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import cornu  # noqa: E402
from cornu.backend.tensorflow import random as tf_random  # noqa: E402
from cornu.backend.tensorflow.core import StatelessScope  # noqa: E402

on_tf = pytest.mark.backends("tensorflow")

LOGITS = [[0.2, 0.8, 0.0], [-1.0, 0.5, 0.5]]
# name -> (function, args, kwargs): the same call on keras.random and on the TF backend.
DRAWS = {
    "normal": ("normal", [(3, 2)], {"mean": 1.0, "stddev": 2.0}),
    "uniform": ("uniform", [(4,)], {"minval": -1.0, "maxval": 3.0}),
    "uniform_float16": ("uniform", [(4,)], {"dtype": "float16"}),
    "truncated_normal": ("truncated_normal", [(5, 2)], {}),
    "randint": ("randint", [(6,), 0, 10], {}),
    "randint_uint8": ("randint", [(6,), 0, 10], {"dtype": "uint8"}),
    "categorical": ("categorical", [LOGITS, 6], {"dtype": "int32"}),
    "gamma": ("gamma", [(4,)], {"alpha": 2.0}),
    "binomial": ("binomial", [(4,)], {"counts": 10.0, "probabilities": 0.3}),
    "beta": ("beta", [(4,)], {"alpha": 2.0, "beta": 3.0}),
    "shuffle": ("shuffle", [np.arange(12).reshape(4, 3).tolist()], {"axis": 1}),
    "shuffle_rows": ("shuffle", [np.arange(12).reshape(4, 3).tolist()], {}),
    "dropout": ("dropout", [np.ones((4, 5), "float32").tolist(), 0.5], {}),
    "dropout_noise_shape": (
        "dropout",
        [np.ones((4, 5), "float32").tolist(), 0.3],
        {"noise_shape": (None, 1)},
    ),
}
SEEDS = (42, 2**31 + 7)

KERAS_SCRIPT = """
import json, sys
import numpy as np
import keras
from keras import ops

draws = json.loads(sys.argv[1])
seeds = json.loads(sys.argv[2])
out = {}
def tensor(value, name):
    if name in ("categorical", "shuffle", "dropout"):
        return ops.convert_to_tensor(np.asarray(value, "float32" if name != "shuffle" else "int32"))
    return value
for seed in seeds:
    for key, (name, args, kwargs) in draws.items():
        args = [tensor(args[0], name)] + args[1:]
        value = getattr(keras.random, name)(*args, seed=seed, **kwargs)
        out[f"{key}/{seed}"] = np.asarray(value).tolist()
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
def keras_tf():
    """Keras's TensorFlow-backend draws for the calls above (and a SeedGenerator, and the
    global stream after ``set_random_seed(0)``)."""
    pytest.importorskip("keras")
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(KERAS_SCRIPT),
            json.dumps(DRAWS, default=list),
            json.dumps(SEEDS),
        ],
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
    return np.asarray(getattr(tf_random, name)(*args, seed=seed, **kwargs))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("key", sorted(DRAWS))
def test_int_seeds_draw_what_keras_tf_draws(keras_tf, key, seed):
    name, args, kwargs = DRAWS[key]
    ours = _ours(name, args, kwargs, seed=seed)
    np.testing.assert_array_equal(ours, np.asarray(keras_tf[f"{key}/{seed}"], dtype=ours.dtype))


def test_results_have_keras_dtypes():
    assert tf_random.normal((2,), seed=1).dtype == tf.float32
    assert tf_random.uniform((2,), dtype="bfloat16", seed=1).dtype == tf.bfloat16
    # TensorFlow keeps 64-bit dtypes, as torch does.
    assert tf_random.randint((2,), 0, 5, dtype="int64", seed=1).dtype == tf.int64
    assert tf_random.categorical(np.zeros((2, 3)), 4, dtype="int16", seed=1).dtype == tf.int16
    assert tf_random.gamma((3,), 1.0, dtype="bfloat16", seed=1).dtype == tf.bfloat16
    assert tf_random.normal(4, seed=1).shape == (4,)


def test_unseeded_draws_follow_keras_global_stream(keras_tf):
    python_random.seed(0)
    tf_random.set_seed(0)
    ours = [np.asarray(tf_random.normal((2,))) for _ in range(3)]
    np.testing.assert_array_equal(ours, np.asarray(keras_tf["unseeded"], "float32"))


def test_unseeded_draws_differ_between_tf_function_calls():
    tf_random.set_seed(0)
    draw = tf.function(lambda: tf_random.normal((3,)))
    first, second = np.asarray(draw()), np.asarray(draw())
    assert not np.array_equal(first, second)


def test_rng_state_round_trips():
    python_random.seed(5)
    tf_random.set_seed(5)
    assert tf_random.get_rng_state().size == 0  # nothing drawn yet
    tf_random.normal((2,))
    state = tf_random.get_rng_state()
    assert state.dtype == np.uint8 and state.shape == (16,)
    first = np.asarray(tf_random.normal((3,)))
    tf_random.set_rng_state(state)
    np.testing.assert_array_equal(first, np.asarray(tf_random.normal((3,))))
    tf_random.set_rng_state(np.zeros(0, np.uint8))
    assert tf_random.get_rng_state().size == 0
    with pytest.raises(ValueError, match="16 bytes"):
        tf_random.set_rng_state(np.zeros(8, np.uint8))


def test_seed_errors_name_the_argument():
    with pytest.raises(ValueError, match="Argument `seed` must be"):
        tf_random.normal((2,), seed="abc")


def test_dropout_rates_zero_and_one_draw_nothing():
    x = np.ones((3,), "float32")
    np.testing.assert_array_equal(np.asarray(tf_random.dropout(x, 0.0, seed=1)), x)
    np.testing.assert_array_equal(np.asarray(tf_random.dropout(x, 1.0, seed=1)), 0 * x)
    kept = np.asarray(tf_random.dropout(np.ones((1000,), "float32"), 0.25, seed=3))
    assert set(np.unique(kept)) <= {0.0, np.float32(1 / 0.75)}
    assert 0.15 < np.mean(kept == 0) < 0.35


@on_tf
def test_seed_generators_draw_what_keras_tf_draws(keras_tf):
    generator = cornu.random.SeedGenerator(7)
    ours = [np.asarray(cornu.random.uniform((3,), seed=generator)) for _ in range(3)]
    np.testing.assert_array_equal(ours, np.asarray(keras_tf["generator"], "float32"))
    np.testing.assert_array_equal(generator.state.numpy(), keras_tf["generator_state"])
    assert generator.state.dtype == "int64" and generator._count == 3


@on_tf
def test_seed_generators_advance_inside_tf_function():
    generator = cornu.random.SeedGenerator(3)
    eager = cornu.random.SeedGenerator(3)
    expected = [np.asarray(cornu.random.normal((2,), seed=eager)) for _ in range(3)]

    @tf.function
    def assigned():
        return cornu.random.normal((2,), seed=generator)

    first = np.asarray(assigned())
    np.testing.assert_array_equal(first, expected[0])
    np.testing.assert_array_equal(np.asarray(assigned()), expected[1])
    np.testing.assert_array_equal(generator.state.numpy(), [3, 2])

    threaded = cornu.random.SeedGenerator(3)

    @tf.function
    def stateless(state):
        with StatelessScope([(threaded.state, state)]) as scope:
            sample = cornu.random.normal((2,), seed=threaded)
        return sample, scope.get_current_value(threaded.state)

    sample, state = stateless(threaded.state.value)
    sample2, state = stateless(state)
    np.testing.assert_array_equal(np.asarray(sample), expected[0])
    np.testing.assert_array_equal(np.asarray(sample2), expected[1])
    np.testing.assert_array_equal(np.asarray(state), [3, 2])
    np.testing.assert_array_equal(threaded.state.numpy(), [3, 0])  # the step was stateless


@on_tf
def test_seed_generator_count_can_be_restored():
    generator = cornu.random.SeedGenerator(11)
    first = [np.asarray(cornu.random.uniform((2,), seed=generator)) for _ in range(2)]
    assert generator._count == 2
    generator._count = 1
    np.testing.assert_array_equal(np.asarray(cornu.random.uniform((2,), seed=generator)), first[1])
    np.testing.assert_array_equal(generator.state.numpy(), [11, 2])
    assert generator.state.name == "seed_generator_state" and not generator.state.trainable


@on_tf
def test_dropout_layer_in_stateless_call_advances_its_seed():
    layer = cornu.layers.Dropout(0.5, seed=4)
    x = np.ones((2, 6), "float32")
    layer(x)  # builds it

    @tf.function
    def call(non_trainable):
        return layer.stateless_call([], non_trainable, x, training=True)

    state = [v.value for v in layer.non_trainable_variables]
    first, state = call([tf.convert_to_tensor(s) for s in state])
    second, state = call(state)
    assert not np.array_equal(np.asarray(first), np.asarray(second))
    assert int(np.asarray(state[0])[1]) == 2
