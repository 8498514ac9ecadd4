"""Conv1D/2D/3D and ops.conv: values against Keras, TensorFlow's 'same' rule, shapes, errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.testing import run_layer_test


def assert_same_as_keras(keras, name, kwargs, input_shape, seed=0):
    """Copies a Keras layer's weights into the cornu layer and compares outputs and shapes."""
    x = np.random.RandomState(seed).standard_normal(input_shape).astype("float32")
    ref = getattr(keras.layers, name)(**kwargs)
    expected = keras.ops.convert_to_numpy(ref(x))
    layer = getattr(layers, name)(**kwargs)
    layer(x)
    assert [w.shape for w in layer.weights] == [tuple(w.shape) for w in ref.weights]
    layer.set_weights(ref.get_weights())
    out = ops.convert_to_numpy(layer(x))
    np.testing.assert_allclose(out, expected, atol=1e-5, rtol=1e-5)
    assert tuple(layer.compute_output_shape(x.shape)) == expected.shape
    return layer


CONV_CASES = [
    ("Conv1D", {"filters": 3, "kernel_size": 3}, (2, 9, 4)),
    ("Conv1D", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 9, 4)),
    ("Conv1D", {"filters": 3, "kernel_size": 2, "padding": "same", "dilation_rate": 2}, (2, 8, 4)),
    (
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        (2, 9, 2),
    ),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "groups": 2, "activation": "relu"}, (2, 7, 6)),
    (
        "Conv1D",
        {"filters": 3, "kernel_size": 3, "padding": "causal", "data_format": "channels_first"},
        (2, 4, 7),
    ),
    ("Conv2D", {"filters": 4, "kernel_size": 3}, (2, 8, 7, 3)),
    (
        "Conv2D",
        {"filters": 4, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same"},
        (2, 9, 8, 3),
    ),
    ("Conv2D", {"filters": 2, "kernel_size": 4, "strides": 3, "padding": "same"}, (1, 10, 11, 2)),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
        (2, 9, 9, 2),
    ),
    ("Conv2D", {"filters": 6, "kernel_size": 3, "groups": 3, "use_bias": False}, (2, 6, 6, 3)),
    (
        "Conv2D",
        {"filters": 4, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
        (2, 3, 9, 8),
    ),
    (
        "Conv2D",
        {"filters": 4, "kernel_size": 2, "padding": "same", "data_format": "channels_first"},
        (2, 3, 5, 6),
    ),
    ("Conv3D", {"filters": 2, "kernel_size": 2}, (1, 4, 5, 3, 2)),
    ("Conv3D", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 5, 4, 6, 2)),
    (
        "Conv3D",
        {"filters": 4, "kernel_size": 2, "groups": 2, "data_format": "channels_first"},
        (1, 2, 4, 3, 3),
    ),
]


@pytest.mark.parametrize("name,kwargs,input_shape", CONV_CASES)
def test_same_numbers_as_keras(keras, name, kwargs, input_shape):
    assert_same_as_keras(keras, name, kwargs, input_shape)


def test_layer_checks():
    run_layer_test(
        layers.Conv2D,
        {"filters": 3, "kernel_size": 3, "padding": "same", "activation": "relu"},
        input_shape=(2, 5, 6, 2),
        expected_output_shape=(2, 5, 6, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    )


def test_same_padding_puts_the_odd_cell_at_the_end():
    conv = layers.Conv1D(1, 3, strides=2, padding="same", kernel_initializer="ones", use_bias=False)
    out = ops.convert_to_numpy(conv(np.array([[[1.0], [2.0], [3.0], [4.0]]], "float32")))
    np.testing.assert_array_equal(out[0, :, 0], [6.0, 7.0])
    conv2d = layers.Conv2D(1, 3, strides=2, padding="same")
    assert conv2d(np.zeros((1, 11, 11, 1), "float32")).shape == (1, 6, 6, 1)
    assert conv2d.compute_output_shape((None, 11, 11, 1)) == (None, 6, 6, 1)


def test_causal_padding_sees_only_the_past():
    conv = layers.Conv1D(1, 2, padding="causal", kernel_initializer="ones", use_bias=False)
    out = ops.convert_to_numpy(conv(np.array([[[1.0], [2.0], [3.0], [4.0]]], "float32")))
    np.testing.assert_array_equal(out[0, :, 0], [1.0, 3.0, 5.0, 7.0])


def test_kernel_layout_and_names():
    conv = layers.Conv2D(8, (3, 2), groups=2, name="c")
    conv(np.zeros((1, 5, 5, 4), "float32"))
    assert [w.shape for w in conv.weights] == [(3, 2, 2, 8), (8,)]
    assert [w.path for w in conv.weights] == ["c/kernel", "c/bias"]
    assert conv.count_params() == 3 * 2 * 2 * 8 + 8
    conv3 = layers.Conv3D(2, 2, use_bias=False)
    conv3(np.zeros((1, 3, 3, 3, 5), "float32"))
    assert [w.shape for w in conv3.weights] == [(2, 2, 2, 5, 2)]


def test_symbolic_shapes_follow_compute_output_shape():
    x = cornu.Input((None, 7, 3))
    y = layers.Conv2D(4, 3, strides=2)(x)
    assert y.shape == (None, None, 3, 4)
    z = layers.Conv1D(2, 3, padding="causal", data_format="channels_first")(cornu.Input((5, 9)))
    assert z.shape == (None, 2, 9)


def test_defaults_and_config_match_keras(keras):
    ref = keras.layers.Conv2D(4, 3).get_config()
    config = layers.Conv2D(4, 3).get_config()
    for key in ("kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups"):
        assert tuple(np.atleast_1d(config[key])) == tuple(np.atleast_1d(ref[key])), key
    assert config["activation"] == ref["activation"] and config["use_bias"] == ref["use_bias"]
    clone = layers.Conv2D.from_config(config)
    assert clone.get_config() == config


def test_data_format_default_comes_from_the_backend_setting():
    previous = cornu.backend.image_data_format()
    cornu.backend.set_image_data_format("channels_first")
    try:
        conv = layers.Conv2D(2, 3)
    finally:
        cornu.backend.set_image_data_format(previous)
    assert conv.data_format == "channels_first"
    assert conv(np.zeros((1, 3, 6, 6), "float32")).shape == (1, 2, 4, 4)


@pytest.mark.requires_training
def test_training_updates_the_keras_layout_parameter():
    model = cornu.Sequential([cornu.Input((6, 6, 2)), layers.Conv2D(3, 3), layers.Flatten()])
    model.compile(optimizer="sgd", loss="mse")
    conv = model.layers[0]
    before = conv.kernel.numpy()
    x = np.random.RandomState(0).standard_normal((4, 6, 6, 2)).astype("float32")
    model.fit(x, np.ones((4, 48), "float32"), epochs=1, batch_size=4, verbose=0)
    assert conv.kernel.shape == (3, 3, 2, 3)
    assert not np.allclose(conv.kernel.numpy(), before)
    if cornu.backend.backend() == "torch":  # the torch module's parameters
        assert any(p is conv.kernel.value for p in model.parameters())


def test_regularizer_and_constraint_are_applied():
    conv = layers.Conv1D(
        2,
        2,
        kernel_initializer="ones",
        kernel_regularizer=lambda w: ops.sum(w),
        bias_constraint=lambda w: ops.clip(w, 0.0, 0.5),
    )
    conv(np.zeros((1, 4, 3), "float32"))
    assert float(ops.convert_to_numpy(conv.losses[0])) == 12.0
    assert conv.bias.constraint is not None


def test_ops_conv_matches_keras_ops(keras):
    rng = np.random.RandomState(3)
    x = rng.standard_normal((2, 7, 6, 4)).astype("float32")
    kernel = rng.standard_normal((3, 3, 2, 6)).astype("float32")
    for strides, padding, dilation in ((1, "valid", 1), (2, "same", 1), (1, "same", 2)):
        got = ops.convert_to_numpy(ops.conv(x, kernel, strides, padding, None, dilation))
        expected = keras.ops.convert_to_numpy(
            keras.ops.conv(x, kernel, strides, padding, None, dilation)
        )
        np.testing.assert_allclose(got, expected, atol=1e-5, rtol=1e-5)


def test_overridden_convolution_op_is_used_as_in_keras(keras):
    """A subclass that transforms the kernel in ``convolution_op(inputs, kernel)`` (Keras's
    weight-standardization recipe) gets the same numbers as in Keras."""

    def standardized(base, backend_ops):
        class StandardizedConv2D(base):
            def convolution_op(self, inputs, kernel):
                mean = backend_ops.mean(kernel, axis=(0, 1, 2), keepdims=True)
                return super().convolution_op(inputs, kernel - mean)

        return StandardizedConv2D

    x = np.random.RandomState(1).standard_normal((2, 6, 6, 3)).astype("float32")
    ref = standardized(keras.layers.Conv2D, keras.ops)(4, 3, bias_initializer="ones")
    expected = keras.ops.convert_to_numpy(ref(x))
    layer = standardized(layers.Conv2D, ops)(4, 3)
    layer(x)
    layer.set_weights(ref.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), expected, atol=1e-5)
    plain = layers.Conv2D(4, 3)
    plain(x)
    plain.set_weights(ref.get_weights())
    assert not np.allclose(ops.convert_to_numpy(plain(x)), expected, atol=1e-3)


@pytest.mark.backends("torch")  # conv_with_bias is a torch extension
def test_fused_bias_equals_conv_plus_bias():
    rng = np.random.RandomState(2)
    x = rng.standard_normal((2, 3, 5, 7)).astype("float32")  # channels_first
    kernel = rng.standard_normal((2, 2, 3, 4)).astype("float32")
    bias = rng.standard_normal((4,)).astype("float32")
    fused = cornu.backend.nn.conv_with_bias(x, kernel, bias, 2, "same", "channels_first")
    plain = ops.add(
        ops.conv(x, kernel, 2, "same", "channels_first"),
        ops.convert_to_tensor(bias.reshape(4, 1, 1)),
    )
    np.testing.assert_allclose(ops.convert_to_numpy(fused), ops.convert_to_numpy(plain), atol=1e-5)


def test_wrong_rank_names_layer_shapes_and_fix():
    conv = layers.Conv2D(2, 3, name="conv")
    with pytest.raises(
        ValueError,
        match=r"'conv' \(Conv2D\) expects a 4-D input \(batch, height, width, channels\).*"
        r"shape \(8, 8, 3\).*add a batch axis",
    ):
        conv(np.zeros((8, 8, 3), "float32"))


def test_channels_first_data_into_a_channels_last_layer():
    conv = layers.Conv2D(2, 3, name="conv")
    conv(np.zeros((1, 8, 8, 3), "float32"))
    with pytest.raises(
        ValueError,
        match=r"'conv' \(Conv2D\) was built for inputs with 3 channels.*"
        r"expected shape \(None, None, None, 3\).*\(2, 3, 8, 8\).*"
        r"pass data_format='channels_first'",
    ):
        conv(np.zeros((2, 3, 8, 8), "float32"))


def test_channels_first_data_into_a_model_names_the_layer():
    model = cornu.Sequential([layers.Conv2D(2, 3, input_shape=(8, 8, 3), name="conv")])
    with pytest.raises(ValueError, match="data_format='channels_first'"):
        model.predict(np.zeros((2, 3, 8, 8), "float32"), verbose=0)


def test_too_small_input_for_a_valid_convolution():
    conv = layers.Conv2D(2, 3, name="conv")
    with pytest.raises(ValueError, match=r"'conv' \(Conv2D\).*\(1, 2, 9, 1\) is too small.*'same'"):
        conv(np.zeros((1, 2, 9, 1), "float32"))
    with pytest.raises(ValueError, match="too small"):
        layers.Conv1D(1, 3, dilation_rate=3)(cornu.Input((6, 1)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="`filters` must be a positive int"):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="`filters` must be a multiple of `groups`"):
        layers.Conv2D(5, 3, groups=2)
    with pytest.raises(ValueError, match="multiple of `groups`.*3 channels"):
        layers.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match="`strides > 1` cannot be combined"):
        layers.Conv1D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="`padding`.*Received: padding='causal'"):
        layers.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="`kernel_size` argument must be an int or a tuple of 2"):
        layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="data_format"):
        layers.Conv2D(2, 3, data_format="nhwc")


def test_aliases():
    assert layers.Convolution2D is layers.Conv2D
    assert cornu.layers.Convolution1D is layers.Conv1D
    assert cornu.layers.Convolution3D is layers.Conv3D


def test_ops_conv_rejects_mismatched_channels():
    with pytest.raises(ValueError, match="input's 3 channels must be a multiple of the kernel's 2"):
        ops.conv(np.zeros((1, 5, 5, 3), "float32"), np.zeros((3, 3, 2, 4), "float32"))
    with pytest.raises(ValueError, match="`padding` must be 'valid' or 'same'"):
        ops.max_pool(np.zeros((1, 4, 4, 1), "float32"), 2, padding="full")
