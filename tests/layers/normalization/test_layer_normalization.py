"""LayerNormalization, GroupNormalization, RMSNormalization and UnitNormalization against
Keras."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def _compare(keras, name, kwargs, shape, seed=0):
    rng = np.random.RandomState(seed)
    x = (rng.standard_normal(shape) * 2 + 0.5).astype("float32")
    ours = getattr(layers, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    ours.build(shape)
    theirs.build(shape)
    assert [v.name for v in ours.weights] == [v.name for v in theirs.weights]
    weights = [rng.standard_normal(v.shape).astype("float32") for v in theirs.weights]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    expected = keras.ops.convert_to_numpy(theirs(x))
    got = ops.convert_to_numpy(ours(x))
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=1e-5)
    assert same_config(ours.get_config(), theirs.get_config())


def same_config(ours, theirs):
    """Configs equal but for the name and Keras's dtype-policy object."""
    skip = ("name", "dtype")
    return {k: v for k, v in ours.items() if k not in skip} == {
        k: v for k, v in theirs.items() if k not in skip
    }


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({}, (3, 5)),
        ({"axis": [1, 2]}, (2, 3, 4)),
        ({"axis": -1, "epsilon": 0.1, "center": False}, (2, 3, 4)),
        ({"scale": False}, (2, 4)),
    ],
)
def test_layer_normalization_matches_keras(keras, kwargs, shape):
    _compare(keras, "LayerNormalization", kwargs, shape)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # raised inside Keras
def test_layer_normalization_rms_scaling_matches_keras(keras):
    with pytest.warns(UserWarning, match="deprecated"):
        ours = layers.LayerNormalization(rms_scaling=True)
    assert ours.rms_scaling
    with pytest.warns(UserWarning):
        _compare(keras, "LayerNormalization", {"rms_scaling": True}, (3, 4))


def test_layer_normalization_over_a_middle_axis():
    # Keras on torch cannot do this (it normalizes the last axis); the math is the same as
    # on Keras's other backends.
    x = np.random.RandomState(1).standard_normal((2, 3, 4)).astype("float32")
    out = ops.convert_to_numpy(layers.LayerNormalization(axis=1)(x))
    expected = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_layer_normalization_checks_and_errors():
    run_layer_test(
        layers.LayerNormalization,
        {"axis": -1},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=2,
        supports_masking=True,
    )
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints"):
        layers.LayerNormalization(axis="x")
    with pytest.raises(ValueError, match="Axis 3 is out of bounds for input shape"):
        layers.LayerNormalization(axis=3)(np.ones((2, 3), "float32"))


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({"groups": 2}, (2, 4, 6)),
        ({"groups": 3, "axis": 1}, (2, 6, 2, 3)),
        ({"groups": -1}, (2, 5, 4)),
        ({"groups": 1, "center": False, "epsilon": 0.01}, (3, 4)),
    ],
)
def test_group_normalization_matches_keras(keras, kwargs, shape):
    _compare(keras, "GroupNormalization", kwargs, shape)


def test_group_normalization_checks_and_errors():
    run_layer_test(
        layers.GroupNormalization,
        {"groups": 2},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=2,
    )
    with pytest.raises(ValueError, match="invalid value for argument `groups`"):
        layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match=r"'gn': number of groups \(3\) must divide"):
        layers.GroupNormalization(groups=3, name="gn")(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"groups \(8\) cannot be more than the number"):
        layers.GroupNormalization(groups=8)(np.ones((2, 4), "float32"))
    assert layers.GroupNormalization().groups == 32


@pytest.mark.parametrize("kwargs,shape", [({}, (3, 5)), ({"axis": [1, 2]}, (2, 3, 4))])
def test_rms_normalization_matches_keras(keras, kwargs, shape):
    _compare(keras, "RMSNormalization", kwargs, shape)


@pytest.mark.parametrize("kwargs,shape", [({}, (3, 5)), ({"axis": [1, 2]}, (2, 3, 4))])
def test_unit_normalization_matches_keras(keras, kwargs, shape):
    _compare(keras, "UnitNormalization", kwargs, shape)


def test_unit_normalization_values_and_errors():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], "float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(layers.UnitNormalization()(x)), [[0.6, 0.8], [0.0, 0.0]]
    )
    run_layer_test(
        layers.UnitNormalization,
        {"axis": -1},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )
    with pytest.raises(TypeError, match="Invalid value for `axis` argument"):
        layers.UnitNormalization(axis=1.5)
