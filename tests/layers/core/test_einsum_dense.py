"""EinsumDense against Keras: kernel and bias shapes, numbers, ellipses, config, errors."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test

CASES = [
    ("ab,bc->ac", 4, None, (2, 3)),
    ("ab,bc->ac", 4, "c", (2, 3)),
    ("abc,cd->abd", (None, 4), "d", (2, 5, 3)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 5, 3)),
    ("abcd,cde->abe", (None, 4), "e", (2, 5, 3, 2)),
    ("...b,bc->...c", 4, "c", (2, 5, 3)),
    ("ab...,bc->ac...", 4, "c", (2, 3, 5)),
    ("abc,cd->abd", (5, 4), "bd", (2, 5, 3)),
]


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape", CASES)
def test_same_as_keras(keras, equation, output_shape, bias_axes, input_shape):
    x = np.random.RandomState(0).standard_normal(input_shape).astype("float32")
    ref = keras.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes, activation="tanh")
    mine = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes, activation="tanh")
    expected = keras.ops.convert_to_numpy(ref(x))
    mine(x)
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    weights = [w + np.float32(0.5) for w in ref.get_weights()]
    ref.set_weights(weights)
    mine.set_weights(weights)
    expected = keras.ops.convert_to_numpy(ref(x))
    np.testing.assert_allclose(ops.convert_to_numpy(mine(x)), expected, atol=1e-5)
    assert mine.compute_output_shape(input_shape) == expected.shape


def test_layer_checks_and_initializer_fans():
    run_layer_test(
        layers.EinsumDense,
        {"equation": "abc,cde->abde", "output_shape": (None, 2, 8), "bias_axes": "de"},
        input_shape=(2, 3, 16),
        expected_output_shape=(2, 3, 2, 8),
        expected_num_trainable_weights=2,
    )
    layer = layers.EinsumDense("ab,bcd->acd", (64, 64))
    layer.build((None, 64))
    kernel = ops.convert_to_numpy(layer.kernel)
    # glorot_uniform with fan_in 64 (the contracted axis) and fan_out 64 * 64.
    limit = np.sqrt(6.0 / (64 + 64 * 64))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.9 * limit


def test_config_round_trip_with_keras(keras):
    layer = layers.EinsumDense("abc,cd->abd", (None, 4), bias_axes="d", kernel_regularizer="l2")
    config = layer.get_config()
    assert layers.EinsumDense.from_config(config).get_config() == config
    assert keras.layers.EinsumDense.from_config(config).equation == "abc,cd->abd"
    theirs = keras.layers.EinsumDense("ab,bc->ac", 3, bias_axes="c").get_config()
    clone = layers.EinsumDense.from_config(theirs)
    assert clone.partial_output_shape == (3,) and clone.bias_axes == "c"


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"EinsumDense 'ed': Invalid einsum equation 'ab->b'"):
        layers.EinsumDense("ab->b", 3, name="ed")
    with pytest.raises(ValueError, match=r"Bias dimension 'z' was requested"):
        layers.EinsumDense("ab,bc->ac", 3, bias_axes="z")
    with pytest.raises(ValueError, match=r"Weight dimension 'd' did not have a match"):
        layers.EinsumDense("ab,bcd->ac", 3)
    with pytest.raises(ValueError, match=r"'ed'.*expects inputs of rank 2.*\(2, 3, 4\)"):
        layers.EinsumDense("ab,bc->ac", 3, name="ed")(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match=r"do not match at shared dimension 'b'"):
        layers.EinsumDense("abc,cd->abd", (7, 4))(np.zeros((2, 3, 4), "float32"))
