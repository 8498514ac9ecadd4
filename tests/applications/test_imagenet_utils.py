"""`preprocess_input` in its three modes and both data formats, and the input-shape and
argument checks every architecture makes, against Keras."""

import re

import numpy as np
import pytest

import cornu
from cornu import ops
from cornu.applications import imagenet_utils


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("ndim", [3, 4])
def test_preprocess_input_matches_keras(keras, oracle, mode, data_format, ndim):
    shape = (2, 5, 4, 3) if data_format == "channels_last" else (2, 3, 5, 4)
    x = (np.random.default_rng(0).random(shape[4 - ndim :]) * 255).astype("float32")
    theirs = keras.applications.imagenet_utils.preprocess_input(
        x.copy(), data_format=data_format, mode=mode
    )
    ours = imagenet_utils.preprocess_input(x.copy(), data_format=data_format, mode=mode)
    oracle.values(ours, theirs, atol=1e-5, rtol=1e-5)
    ours_tensor = imagenet_utils.preprocess_input(
        ops.convert_to_tensor(x), data_format=data_format, mode=mode
    )
    oracle.values(ours_tensor, theirs, atol=1e-4, rtol=1e-5)


def test_preprocess_input_casts_integer_arrays_to_float32(keras, oracle):
    x = np.arange(2 * 4 * 4 * 3, dtype="uint8").reshape(2, 4, 4, 3)
    ours = cornu.applications.resnet50.preprocess_input(x)
    oracle.values(ours, keras.applications.resnet50.preprocess_input(x))
    assert ours.dtype == np.float32


@pytest.mark.parametrize(
    "module", ["mobilenet_v2", "vgg19", "densenet", "inception_v3", "xception", "resnet_v2"]
)
def test_family_preprocess_input_matches_keras(keras, oracle, module):
    x = (np.random.default_rng(1).random((1, 4, 4, 3)) * 255).astype("float32")
    ours = getattr(cornu.applications, module).preprocess_input(x.copy())
    theirs = getattr(keras.applications, module).preprocess_input(x.copy())
    oracle.values(ours, theirs, atol=1e-5, rtol=1e-5)


def test_preprocess_input_rejects_unknown_mode_and_format():
    x = np.zeros((1, 2, 2, 3), "float32")
    with pytest.raises(ValueError, match="Received: mode=bgr"):
        imagenet_utils.preprocess_input(x, mode="bgr")
    with pytest.raises(ValueError, match="Received: data_format=nhwc"):
        imagenet_utils.preprocess_input(x, data_format="nhwc")


def _keras_and_cornu_errors(keras, name, **kwargs):
    messages = []
    for library in (keras, cornu):
        with pytest.raises(ValueError) as info:
            getattr(library.applications, name)(**kwargs)
        messages.append(str(info.value))
    return messages


@pytest.mark.parametrize(
    "name, kwargs, expected",
    [
        (
            "ResNet50",
            {"weights": None, "include_top": False, "input_shape": (31, 64, 3)},
            "Input size must be at least 32x32",
        ),
        (
            "InceptionV3",
            {"weights": None, "include_top": False, "input_shape": (64, 64, 3)},
            "Input size must be at least 75x75",
        ),
        (
            "ResNet50",
            {"weights": "imagenet", "include_top": True, "input_shape": (128, 128, 3)},
            r"`input_shape` should be \(224, 224, 3\)",
        ),
        ("ResNet50", {"weights": "imagenet", "classes": 10}, "`classes` should be 1000"),
        ("VGG16", {"weights": "no/such/file.h5"}, "The `weights` argument should be either"),
        (
            "ResNet50",
            {"weights": None, "input_shape": (None, None, 3)},
            "you should specify a static `input_shape`",
        ),
        (
            "ResNet50",
            {"weights": "imagenet", "include_top": False, "input_shape": (64, 64, 1)},
            "The input must have 3 channels",
        ),
        (
            "MobileNetV3Small",
            {"weights": None, "input_shape": (16, 16, 3)},
            "Input size must be at least 32x32",
        ),
    ],
)
def test_bad_arguments_raise_keras_errors(keras, name, kwargs, expected):
    theirs, ours = _keras_and_cornu_errors(keras, name, **kwargs)
    if name == "ResNet50":
        assert ours == theirs
    for message in (ours, theirs):
        assert re.search(expected, message), message


def test_pretrained_classifier_activation_is_checked():
    with pytest.raises(ValueError, match="Only `None` and `softmax` activations are allowed"):
        cornu.applications.VGG16(weights="imagenet", classifier_activation="relu")


def test_input_tensor_is_used_as_the_model_input():
    inputs = cornu.layers.Input((32, 32, 3))
    x = cornu.layers.Rescaling(1 / 255)(inputs)
    model = cornu.applications.ResNet50(weights=None, include_top=False, input_tensor=x)
    assert model.inputs[0] is inputs
    assert tuple(model.output.shape) == (None, 1, 1, 2048)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_preprocess_input_inside_a_functional_model(keras, oracle, mode, data_format):
    shape = (4, 4, 3) if data_format == "channels_last" else (3, 4, 4)
    x = (np.random.default_rng(2).random((2,) + shape) * 255).astype("float32")
    inputs = cornu.layers.Input(shape)
    outputs = imagenet_utils.preprocess_input(inputs, data_format=data_format, mode=mode)
    model = cornu.Model(inputs, outputs)
    theirs = keras.applications.imagenet_utils.preprocess_input(
        x.copy(), data_format=data_format, mode=mode
    )
    oracle.values(model(x), theirs, atol=1e-4, rtol=1e-5)
