"""SeparableConv1D/2D and DepthwiseConv1D/2D: values against Keras, weight layouts, errors."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def assert_same_as_keras(keras, name, kwargs, input_shape, seed=0):
    x = np.random.RandomState(seed).standard_normal(input_shape).astype("float32")
    ref = getattr(keras.layers, name)(**kwargs)
    expected = keras.ops.convert_to_numpy(ref(x))
    layer = getattr(layers, name)(**kwargs)
    layer(x)
    assert [w.shape for w in layer.weights] == [tuple(w.shape) for w in ref.weights]
    layer.set_weights(ref.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), expected, atol=1e-5, rtol=1e-5)
    assert tuple(layer.compute_output_shape(x.shape)) == expected.shape


CASES = [
    ("SeparableConv1D", {"filters": 3, "kernel_size": 3}, (2, 7, 4)),
    (
        "SeparableConv1D",
        {"filters": 3, "kernel_size": 3, "depth_multiplier": 2, "padding": "same", "strides": 2},
        (2, 7, 4),
    ),
    (
        "SeparableConv1D",
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"},
        (2, 3, 8),
    ),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "activation": "relu"}, (2, 6, 7, 3)),
    (
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 3},
        (2, 7, 6, 2),
    ),
    (
        "SeparableConv2D",
        {"filters": 2, "kernel_size": 2, "data_format": "channels_first", "use_bias": False},
        (2, 3, 5, 5),
    ),
    ("DepthwiseConv1D", {"kernel_size": 3}, (2, 7, 4)),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, (2, 7, 3)),
    (
        "DepthwiseConv1D",
        {"kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        (2, 3, 9),
    ),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (2, 6, 5, 3)),
    (
        "DepthwiseConv2D",
        {"kernel_size": (3, 2), "strides": 2, "padding": "same", "activation": "tanh"},
        (2, 7, 6, 3),
    ),
    ("DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": 2, "padding": "same"}, (1, 7, 7, 2)),
    (
        "DepthwiseConv2D",
        {"kernel_size": 3, "depth_multiplier": 2, "data_format": "channels_first"},
        (2, 3, 5, 6),
    ),
]


@pytest.mark.parametrize("name,kwargs,input_shape", CASES)
def test_same_numbers_as_keras(keras, name, kwargs, input_shape):
    assert_same_as_keras(keras, name, kwargs, input_shape)


def test_layer_checks():
    run_layer_test(
        layers.SeparableConv2D,
        {"filters": 3, "kernel_size": 3, "depth_multiplier": 2},
        input_shape=(2, 5, 5, 2),
        expected_output_shape=(2, 3, 3, 3),
        expected_num_trainable_weights=3,
    )
    run_layer_test(
        layers.DepthwiseConv2D,
        {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
        input_shape=(2, 5, 5, 2),
        expected_output_shape=(2, 5, 5, 4),
        expected_num_trainable_weights=2,
    )


def test_weight_layouts():
    sep = layers.SeparableConv2D(5, (3, 2), depth_multiplier=2)
    sep(np.zeros((1, 6, 6, 3), "float32"))
    assert [w.name for w in sep.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert [w.shape for w in sep.weights] == [(3, 2, 3, 2), (1, 1, 6, 5), (5,)]
    depthwise = layers.DepthwiseConv1D(3, depth_multiplier=4)
    depthwise(np.zeros((1, 6, 3), "float32"))
    assert [w.shape for w in depthwise.weights] == [(3, 3, 4), (12,)]


def test_depthwise_output_channel_order():
    # Channel c * depth_multiplier + m of the output comes from input channel c.
    layer = layers.DepthwiseConv1D(1, depth_multiplier=2, use_bias=False)
    x = np.array([[[1.0, 10.0]]], "float32")
    layer(x)
    layer.set_weights([np.array([[[1.0, 2.0], [3.0, 4.0]]], "float32")])
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x))[0, 0], [1.0, 2.0, 30.0, 40.0])


def test_errors():
    with pytest.raises(ValueError, match="`depth_multiplier` must be a positive int"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="`filters` must be a positive int"):
        layers.SeparableConv1D(0, 3)
    layer = layers.DepthwiseConv2D(3, name="dw")
    layer(np.zeros((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"'dw' \(DepthwiseConv2D\) was built for inputs with 3"):
        layer(np.zeros((1, 3, 5, 5), "float32"))
    with pytest.raises(ValueError, match=r"'sep' \(SeparableConv2D\).*too small"):
        layers.SeparableConv2D(2, 3, name="sep")(np.zeros((1, 2, 2, 3), "float32"))
