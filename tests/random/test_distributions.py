"""cornu.random.categorical, gamma, binomial and beta: the same draws as Keras on torch for an
int seed, the right distribution, shapes and dtypes, and seed reproducibility."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

import cornu
from cornu import ops, random

DRAWS = {
    "categorical": lambda m, seed, **kw: m.random.categorical(
        np.log(np.array([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]], "float32")), 6, seed=seed, **kw
    ),
    "gamma": lambda m, seed, **kw: m.random.gamma((3, 4), alpha=2.0, seed=seed, **kw),
    "binomial": lambda m, seed, **kw: m.random.binomial(
        (3, 4), counts=10, probabilities=0.3, seed=seed, **kw
    ),
    "beta": lambda m, seed, **kw: m.random.beta((3, 4), alpha=2.0, beta=5.0, seed=seed, **kw),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_same_draws_as_keras_for_an_int_seed(oracle, keras, name):
    ours = DRAWS[name](cornu, 42)
    theirs = DRAWS[name](keras, 42)
    oracle.values(ours, theirs)


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_seeds_reproduce_and_generators_advance(name):
    first = ops.convert_to_numpy(DRAWS[name](cornu, 7))
    np.testing.assert_array_equal(first, ops.convert_to_numpy(DRAWS[name](cornu, 7)))
    generator = random.SeedGenerator(3)
    a = ops.convert_to_numpy(DRAWS[name](cornu, generator))
    b = ops.convert_to_numpy(DRAWS[name](cornu, generator))
    assert not np.array_equal(a, b)
    again = random.SeedGenerator(3)
    np.testing.assert_array_equal(a, ops.convert_to_numpy(DRAWS[name](cornu, again)))


def test_a_seeded_draw_leaves_the_global_stream_alone():
    cornu.utils.set_random_seed(1)
    expected = ops.convert_to_numpy(random.normal((4,)))
    cornu.utils.set_random_seed(1)
    random.gamma((5,), alpha=1.0, seed=9)
    np.testing.assert_array_equal(expected, ops.convert_to_numpy(random.normal((4,))))


def test_dtypes_and_shapes():
    assert ops.convert_to_numpy(DRAWS["categorical"](cornu, 1)).dtype == "int32"
    wide = ops.convert_to_numpy(DRAWS["categorical"](cornu, 1, dtype="int64"))
    assert wide.dtype == backend_dtype("int64")  # int32 on jax without x64, as Keras-JAX
    for name in ("gamma", "binomial", "beta"):
        out = DRAWS[name](cornu, 1)
        assert tuple(out.shape) == (3, 4)
        assert cornu.backend.standardize_dtype(out.dtype) == "float32"
        half = DRAWS[name](cornu, 1, dtype="float16")
        assert cornu.backend.standardize_dtype(half.dtype) == "float16"
    broadcast = random.gamma((2, 3), alpha=np.array([1.0, 5.0, 50.0], "float32"), seed=0)
    assert tuple(broadcast.shape) == (2, 3)


def test_distributions_have_their_moments():
    n = 20000
    gamma = ops.convert_to_numpy(random.gamma((n,), alpha=3.0, seed=1))
    assert abs(gamma.mean() - 3.0) < 0.1 and abs(gamma.var() - 3.0) < 0.2 and gamma.min() > 0
    binomial = ops.convert_to_numpy(random.binomial((n,), counts=10, probabilities=0.3, seed=1))
    assert set(np.unique(binomial)) <= set(range(11))
    assert abs(binomial.mean() - 3.0) < 0.05 and abs(binomial.var() - 2.1) < 0.1
    beta = ops.convert_to_numpy(random.beta((n,), alpha=2.0, beta=5.0, seed=1))
    assert 0 < beta.min() and beta.max() < 1 and abs(beta.mean() - 2 / 7) < 0.01
    logits = np.log(np.array([[0.2, 0.3, 0.5]], "float32"))
    classes = ops.convert_to_numpy(random.categorical(logits, n, seed=1))
    assert classes.shape == (1, n)
    np.testing.assert_allclose(np.bincount(classes[0]) / n, [0.2, 0.3, 0.5], atol=0.015)


def test_categorical_needs_2d_logits():
    with pytest.raises(ValueError, match="`logits` should be a 2-D tensor"):
        random.categorical(np.zeros((3,), "float32"), 2)


def test_random_has_every_keras_name(keras):
    theirs = {n for n in dir(keras.random) if not n.startswith("_")}
    assert theirs <= set(dir(random))
