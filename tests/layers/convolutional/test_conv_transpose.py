"""Conv1D/2D/3DTranspose and ops.conv_transpose: values against Keras, output sizes, errors."""

import numpy as np
import pytest

import cornu
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
    assert tuple(layer.compute_output_shape(x.shape)) == tuple(ref.compute_output_shape(x.shape))


CASES = [
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3}, (2, 5, 4)),
    (
        "Conv1DTranspose",
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
        (2, 5, 4),
    ),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 2, "strides": 3}, (2, 4, 3)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (2, 4, 3)),
    (
        "Conv1DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 3, "output_padding": 2},
        (2, 4, 3),
    ),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2}, (2, 4, 5, 2)),
    (
        "Conv2DTranspose",
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
        (2, 4, 5, 2),
    ),
    (
        "Conv2DTranspose",
        {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"},
        (2, 3, 3, 2),
    ),
    (
        "Conv2DTranspose",
        {"filters": 3, "kernel_size": 3, "strides": (2, 3), "output_padding": (1, 2)},
        (1, 3, 4, 2),
    ),
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
        (1, 3, 4, 2),
    ),
    (
        "Conv2DTranspose",
        {"filters": 4, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        (2, 3, 4, 5),
    ),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, (1, 2, 3, 2, 3)),
    (
        "Conv3DTranspose",
        {"filters": 2, "kernel_size": 3, "padding": "same", "data_format": "channels_first"},
        (1, 3, 2, 3, 2),
    ),
]


@pytest.mark.parametrize("name,kwargs,input_shape", CASES)
def test_same_numbers_as_keras(keras, name, kwargs, input_shape):
    assert_same_as_keras(keras, name, kwargs, input_shape)


def test_layer_checks():
    run_layer_test(
        layers.Conv2DTranspose,
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 3, 4, 5),
        expected_output_shape=(2, 6, 8, 2),
        expected_num_trainable_weights=2,
    )


def test_known_numbers():
    # Each input cell spreads its value over a kernel of ones, `strides` apart.
    layer = layers.Conv1DTranspose(1, 3, strides=2, kernel_initializer="ones", use_bias=False)
    out = ops.convert_to_numpy(layer(np.array([[[1.0], [10.0]]], "float32")))
    np.testing.assert_array_equal(out[0, :, 0], [1.0, 1.0, 11.0, 10.0, 10.0])


def test_kernel_layout_is_filters_then_inputs():
    layer = layers.Conv2DTranspose(5, (3, 2))
    layer(np.zeros((1, 4, 4, 3), "float32"))
    assert [w.shape for w in layer.weights] == [(3, 2, 5, 3), (5,)]


def test_output_sizes():
    x = cornu.Input((None, 7, 3))
    assert layers.Conv2DTranspose(2, 3, strides=2)(x).shape == (None, None, 15, 2)
    assert layers.Conv2DTranspose(2, 3, strides=2, padding="same")(x).shape == (None, None, 14, 2)
    same_padded = layers.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=0)
    assert same_padded.compute_output_shape((None, 4, 7, 3)) == (None, 7, 13, 2)


def test_ops_conv_transpose_matches_keras_ops(keras):
    rng = np.random.RandomState(2)
    x = rng.standard_normal((2, 4, 5, 3)).astype("float32")
    kernel = rng.standard_normal((3, 3, 2, 3)).astype("float32")
    for strides, padding in ((1, "valid"), (2, "same"), (3, "valid")):
        got = ops.conv_transpose(x, kernel, strides, padding)
        expected = keras.ops.conv_transpose(x, kernel, strides, padding)
        np.testing.assert_allclose(
            ops.convert_to_numpy(got), keras.ops.convert_to_numpy(expected), atol=1e-5
        )


def test_errors():
    with pytest.raises(ValueError, match="`output_padding` must be smaller than"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="`filters` must be a positive int"):
        layers.Conv1DTranspose(-1, 3)
    layer = layers.Conv2DTranspose(2, 3, name="up")
    layer(np.zeros((1, 4, 4, 3), "float32"))
    with pytest.raises(ValueError, match=r"'up' \(Conv2DTranspose\) was built for inputs with 3"):
        layer(np.zeros((1, 4, 4, 2), "float32"))
    with pytest.raises(ValueError, match=r"'up' \(Conv2DTranspose\) expects a 4-D input"):
        layer(np.zeros((4, 4, 3), "float32"))
