"""Zeros, Ones, Constant, Identity and STFT: values, dtypes, configs, against Keras."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

from cornu import initializers, ops


def _np(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize(
    ("name", "kwargs", "shape"),
    [
        ("Zeros", {}, (2, 3)),
        ("Ones", {}, (4,)),
        ("Constant", {"value": 0.3}, (3, 2)),
        ("Constant", {"value": -2}, (2, 2, 2)),
        ("Identity", {}, (3, 3)),
        ("Identity", {"gain": 2.5}, (2, 4)),
        ("Identity", {"gain": 0.5}, (4, 2)),
    ],
)
@pytest.mark.parametrize("dtype", [None, "float64"])
def test_matches_keras(keras, name, kwargs, shape, dtype):
    ours = getattr(initializers, name)(**kwargs)(shape, dtype=dtype)
    theirs = getattr(keras.initializers, name)(**kwargs)(shape, dtype=dtype)
    assert ops.is_tensor(ours)
    assert tuple(ours.shape) == shape
    assert ops.dtype(ours) == backend_dtype(dtype or "float32")
    np.testing.assert_array_equal(_np(ours), _np(theirs))


def test_integer_dtypes():
    assert ops.dtype(initializers.Zeros()((2,), dtype="int32")) == "int32"
    values = initializers.Constant(3)((2,), dtype="int64")
    assert ops.dtype(values) == backend_dtype("int64")
    np.testing.assert_array_equal(_np(values), [3, 3])


def test_identity_needs_a_matrix():
    with pytest.raises(ValueError, match="only makes 2-D matrices"):
        initializers.Identity()((2, 2, 2))


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("Zeros", {}), ("Ones", {}), ("Constant", {"value": 1.5})],
)
def test_config_matches_keras(keras, name, kwargs):
    ours = getattr(initializers, name)(**kwargs)
    assert ours.get_config() == getattr(keras.initializers, name)(**kwargs).get_config()
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()


def test_constant_array_value_config_is_keras_compatible(keras):
    value = np.array([1.0, 2.0, 3.0])
    ours = initializers.Constant(value)
    theirs = keras.initializers.Constant(value)
    assert ours.get_config() == theirs.get_config()
    rebuilt = initializers.Constant.from_config(theirs.get_config())
    np.testing.assert_array_equal(_np(rebuilt((2, 3))), np.tile(value, (2, 1)))
    assert initializers.Constant(np.float32(2.0)).get_config() == {"value": 2.0}


@pytest.mark.parametrize("side", ["real", "imag"])
@pytest.mark.parametrize("scaling", [None, "density", "spectrum"])
def test_stft_matches_keras_without_named_window(keras, side, scaling):
    window = np.linspace(0.1, 1.0, 8)
    for win in (None, window):
        ours = initializers.STFT(side=side, window=win, scaling=scaling)((8, 1, 5))
        theirs = keras.initializers.STFT(side=side, window=win, scaling=scaling)((8, 1, 5))
        np.testing.assert_allclose(_np(ours), _np(theirs), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("periodic", [False, True])
def test_stft_hann_window(periodic):
    n = 8
    size = n + 1 if periodic else n
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(size) / (size - 1))
    expected = initializers.STFT(window=hann[:n], scaling=None)((n, 1, 5))
    result = initializers.STFT(window="hann", scaling=None, periodic=periodic)((n, 1, 5))
    np.testing.assert_allclose(_np(result), _np(expected), atol=1e-6)
    if not periodic:
        np.testing.assert_allclose(hann, np.hanning(n))


def test_stft_argument_errors():
    with pytest.raises(ValueError, match="`side` must be"):
        initializers.STFT(side="both")
    with pytest.raises(ValueError, match="`scaling` must be"):
        initializers.STFT(scaling="l2")
    with pytest.raises(ValueError, match="The window must have shape"):
        initializers.STFT(window=np.ones(3))((8, 1, 5))


def test_identity_config_keeps_gain_and_keras_reads_it(keras):
    # Keras 3 drops `gain` from Identity's config; cornu keeps it, and Keras accepts it.
    config = initializers.Identity(gain=3.0).get_config()
    assert config == {"gain": 3.0}
    np.testing.assert_array_equal(
        _np(keras.initializers.Identity.from_config(config)((2, 2))), 3.0 * np.eye(2)
    )
    assert initializers.Identity.from_config({}).gain == 1.0


def test_constant_by_name_defaults_to_zero():
    # Keras's get("constant") raises KeyError; cornu gives Constant(0.0).
    np.testing.assert_array_equal(_np(initializers.get("constant")((2,))), [0.0, 0.0])
