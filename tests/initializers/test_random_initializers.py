"""Random initializers: the same numbers as Keras (torch backend) for the same seed, and stats."""

import random as python_random

import numpy as np
import pytest
from backend_dtype import backend_dtype

from cornu import initializers, ops
from cornu import random as cornu_random
from cornu.core.config import backend

RANDOM_NAMES = [
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "GlorotUniform",
    "GlorotNormal",
    "HeUniform",
    "HeNormal",
    "LecunUniform",
    "LecunNormal",
    "Orthogonal",
]
SHAPES = [(4, 3), (3, 7), (3, 3, 2, 4), (5, 2, 6)]


def _np(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("name", RANDOM_NAMES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_same_values_as_keras_for_the_same_seed(keras, name, shape):
    ours = getattr(initializers, name)(seed=1337)(shape)
    theirs = getattr(keras.initializers, name)(seed=1337)(shape)
    assert ops.is_tensor(ours)
    assert tuple(ours.shape) == shape
    assert ops.dtype(ours) == "float32"
    np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"},
        {"scale": 0.5, "mode": "fan_avg", "distribution": "untruncated_normal"},
        {"scale": 3.0, "mode": "fan_in", "distribution": "normal"},
        {"input_axes": [0, 1], "output_axes": [2]},
    ],
)
def test_variance_scaling_options_match_keras(keras, kwargs):
    ours = initializers.VarianceScaling(seed=7, **kwargs)((3, 4, 5))
    theirs = keras.initializers.VarianceScaling(seed=7, **kwargs)((3, 4, 5))
    np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("RandomNormal", {"mean": 1.0, "stddev": 3.0}),
        ("TruncatedNormal", {"mean": -2.0, "stddev": 0.5}),
        ("RandomUniform", {"minval": 2.0, "maxval": 5.0}),
        ("Orthogonal", {"gain": 2.5}),
    ],
)
def test_arguments_match_keras(keras, name, kwargs):
    ours = getattr(initializers, name)(seed=3, **kwargs)((6, 4))
    theirs = getattr(keras.initializers, name)(seed=3, **kwargs)((6, 4))
    np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", RANDOM_NAMES)
def test_float64_matches_keras(keras, name):
    ours = getattr(initializers, name)(seed=11)((3, 5), dtype="float64")
    theirs = getattr(keras.initializers, name)(seed=11)((3, 5), dtype="float64")
    assert ops.dtype(ours) == backend_dtype("float64")
    np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-12, atol=1e-12)


def test_seed_generator_gives_new_values_each_call_like_keras(keras):
    ours = initializers.GlorotUniform(seed=cornu_random.SeedGenerator(5))
    theirs = keras.initializers.GlorotUniform(seed=keras.random.SeedGenerator(5))
    first, second = _np(ours((3, 3))), _np(ours((3, 3)))
    assert not np.allclose(first, second)
    np.testing.assert_allclose(first, _np(theirs((3, 3))), atol=1e-6)
    np.testing.assert_allclose(second, _np(theirs((3, 3))), atol=1e-6)


@pytest.mark.parametrize("seed", [0, 2**31 + 5, 2**32 + 7])
def test_unusual_int_seeds_match_keras(keras, seed):
    ours = initializers.RandomNormal(seed=seed)((4,))
    assert np.all(np.isfinite(_np(ours)))
    if seed >= 2**32 and backend() == "jax":
        pytest.skip(
            "Keras's JAX SeedGenerator stores the seed in a uint32 state and raises "
            "OverflowError for seeds of 2**32 and above"
        )
    theirs = keras.initializers.RandomNormal(seed=seed)((4,))
    np.testing.assert_allclose(_np(ours), _np(theirs), atol=1e-6)


@pytest.mark.parametrize("name", RANDOM_NAMES)
def test_an_instance_repeats_its_values_as_in_keras(name):
    # Keras 3: seed=None draws one seed when the initializer is made; each call reuses it.
    for seed in (None, 42):
        init = getattr(initializers, name)(seed=seed)
        np.testing.assert_array_equal(_np(init((4, 3))), _np(init((4, 3))))


def test_unseeded_instances_differ_and_python_seed_makes_them_reproducible():
    python_random.seed(123)
    a = _np(initializers.GlorotUniform()((5, 5)))
    b = _np(initializers.GlorotUniform()((5, 5)))
    assert not np.allclose(a, b)
    python_random.seed(123)
    np.testing.assert_array_equal(a, _np(initializers.GlorotUniform()((5, 5))))


def test_no_warning_when_an_instance_is_reused(recwarn):
    init = initializers.HeNormal(seed=1)
    init((2, 2))
    init((2, 2))
    assert len(recwarn) == 0


def test_bad_seed_is_refused():
    with pytest.raises(ValueError, match="`seed` must be None, an int or"):
        initializers.RandomNormal(seed="abc")
    with pytest.raises(ValueError, match="`seed`"):
        initializers.RandomNormal(seed=1.5)


@pytest.mark.parametrize(
    ("name", "scale", "mode"),
    [
        ("GlorotUniform", 1.0, "fan_avg"),
        ("HeUniform", 2.0, "fan_in"),
        ("LecunUniform", 1.0, "fan_in"),
    ],
)
def test_uniform_limits(name, scale, mode):
    shape = (3, 3, 8, 16)
    fan_in, fan_out = 3 * 3 * 8, 3 * 3 * 16
    fan = fan_in if mode == "fan_in" else (fan_in + fan_out) / 2
    limit = np.sqrt(3 * scale / fan)
    values = _np(getattr(initializers, name)(seed=0)(shape))
    assert values.min() >= -limit and values.max() <= limit
    assert values.max() > 0.9 * limit and values.min() < -0.9 * limit


@pytest.mark.parametrize(("name", "scale"), [("HeNormal", 2.0), ("LecunNormal", 1.0)])
def test_truncated_normal_stddev_and_bounds(name, scale):
    fan_in = 200
    values = _np(getattr(initializers, name)(seed=0)((fan_in, 100)))
    target = np.sqrt(scale / fan_in)
    assert abs(values.std() - target) < 0.03 * target
    assert np.abs(values).max() <= 2 * target / 0.87962566103423978 + 1e-6


def test_untruncated_normal_stddev():
    init = initializers.VarianceScaling(scale=4.0, distribution="untruncated_normal", seed=0)
    values = _np(init((100, 200)))
    assert abs(values.std() - np.sqrt(4.0 / 100)) < 0.01


def test_random_normal_and_uniform_statistics():
    values = _np(initializers.RandomNormal(mean=1.0, stddev=2.0, seed=0)((200, 100)))
    assert abs(values.mean() - 1.0) < 0.05 and abs(values.std() - 2.0) < 0.05
    values = _np(initializers.RandomUniform(minval=-1.0, maxval=3.0, seed=0)((200, 100)))
    assert values.min() >= -1.0 and values.max() < 3.0 and abs(values.mean() - 1.0) < 0.05


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 3, 4)], ids=str)
def test_orthogonal_is_orthogonal(shape):
    values = _np(initializers.Orthogonal(gain=2.0, seed=0)(shape)).reshape(-1, shape[-1])
    small = values.T if values.shape[0] >= values.shape[1] else values
    np.testing.assert_allclose(small @ small.T, 4.0 * np.eye(small.shape[0]), atol=1e-5)


def test_orthogonal_needs_two_dimensions():
    with pytest.raises(ValueError, match="at least two dimensions"):
        initializers.Orthogonal()((4,))


@pytest.mark.parametrize(
    "shape", [(), (5,), (4, 3), (3, 3, 8, 16), (2, 3, 4, 5, 6)], ids=lambda s: str(s)
)
def test_compute_fans_matches_keras(keras, shape):
    from keras.src.initializers.random_initializers import compute_fans

    assert initializers.compute_fans(shape) == compute_fans(shape)


def test_variance_scaling_argument_errors():
    with pytest.raises(ValueError, match="`scale` must be a positive"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="`mode` must be one of"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="`distribution` must be one of"):
        initializers.VarianceScaling(distribution="cauchy")
    assert initializers.VarianceScaling(distribution="Normal").distribution == "truncated_normal"


@pytest.mark.parametrize("name", RANDOM_NAMES)
def test_config_matches_keras_and_round_trips(keras, name):
    ours = getattr(initializers, name)(seed=9)
    theirs = getattr(keras.initializers, name)(seed=9)
    assert ours.get_config() == theirs.get_config()
    rebuilt = type(ours).from_config(ours.get_config())
    np.testing.assert_array_equal(_np(rebuilt((3, 4))), _np(ours((3, 4))))
    clone = ours.clone()
    assert clone is not ours and clone.get_config() == ours.get_config()


def test_unseeded_config_keeps_seed_none():
    assert initializers.GlorotUniform().get_config()["seed"] is None
    assert initializers.RandomNormal().get_config() == {"seed": None, "mean": 0.0, "stddev": 0.05}


def test_seed_generator_config_round_trips(keras):
    init = initializers.RandomNormal(seed=cornu_random.SeedGenerator(4))
    rebuilt = initializers.RandomNormal.from_config(init.get_config())
    np.testing.assert_array_equal(_np(rebuilt((3,))), _np(init((3,))))
    keras_config = keras.initializers.RandomNormal(seed=keras.random.SeedGenerator(4)).get_config()
    from_keras = initializers.RandomNormal.from_config(keras_config)
    assert isinstance(from_keras.seed, cornu_random.SeedGenerator)
