"""`.keras` files of application models move both ways between cornu and Keras, including the
applications' own layers (LayerScale, StochasticDepth, CustomScaleLayer)."""

import numpy as np
from app_checks import images

import cornu
from cornu.applications.convnext import LayerScale, StochasticDepth
from cornu.applications.inception_resnet_v2 import CustomScaleLayer


def _custom_layers_model(library, layer_scale, stochastic_depth, custom_scale):
    inputs = library.Input((4, 4, 8))
    x = layer_scale(0.5, 8)(inputs)
    x = stochastic_depth(0.1)(x)
    outputs = custom_scale(0.2)([inputs, x])
    return library.Model(inputs, outputs)


def test_keras_file_with_application_layers_loads_in_cornu(keras, oracle, tmp_path):
    from keras.src.applications import convnext, inception_resnet_v2

    theirs = _custom_layers_model(
        keras, convnext.LayerScale, convnext.StochasticDepth, inception_resnet_v2.CustomScaleLayer
    )
    path = str(tmp_path / "model.keras")
    theirs.save(path)
    ours = cornu.saving.load_model(path)
    assert [type(layer).__name__ for layer in ours.layers[1:]] == [
        "LayerScale",
        "StochasticDepth",
        "CustomScaleLayer",
    ]
    x = np.random.default_rng(0).random((2, 4, 4, 8)).astype("float32")
    oracle.values(ours(x), theirs(x), atol=1e-6)


def test_cornu_file_with_application_layers_loads_in_keras_and_cornu(keras, oracle, tmp_path):
    ours = _custom_layers_model(cornu, LayerScale, StochasticDepth, CustomScaleLayer)
    path = str(tmp_path / "model.keras")
    ours.save(path)
    x = np.random.default_rng(0).random((2, 4, 4, 8)).astype("float32")
    oracle.values(keras.saving.load_model(path)(x), ours(x), atol=1e-6)
    oracle.values(cornu.saving.load_model(path)(x), ours(x), atol=1e-6)


def test_application_model_keras_file_round_trip(keras, oracle, tmp_path):
    ours = cornu.applications.MobileNetV2(
        weights=None, alpha=0.35, include_top=False, input_shape=(32, 32, 3)
    )
    path = str(tmp_path / "mobilenet.keras")
    ours.save(path)
    x = images((1, 32, 32, 3))
    oracle.values(keras.saving.load_model(path)(x), ours(x), atol=1e-5)
    oracle.values(cornu.saving.load_model(path)(x), ours(x), atol=1e-6)
