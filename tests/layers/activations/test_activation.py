"""Activation layer."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    x = np.array([[-2.0, 0.0, 3.0]], "float32")
    run_layer_test(
        layers.Activation,
        {"activation": "relu"},
        input_data=x,
        expected_output=np.array([[0.0, 0.0, 3.0]]),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_callable_and_keras_numbers(keras):
    x = np.linspace(-3, 3, 12, dtype="float32").reshape(3, 4)
    for name in ("softmax", "gelu", "selu", "hard_sigmoid", "mish"):
        expected = keras.ops.convert_to_numpy(keras.layers.Activation(name)(x))
        got = ops.convert_to_numpy(layers.Activation(name)(x))
        np.testing.assert_allclose(got, expected, atol=1e-6)
    doubled = layers.Activation(lambda t: t * 2)(x)
    np.testing.assert_allclose(ops.convert_to_numpy(doubled), x * 2)


def test_unknown_activation_suggests_the_closest():
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        layers.Activation("relux")
