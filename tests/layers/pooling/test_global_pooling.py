"""GlobalMax/AveragePooling1D/2D/3D: values against Keras, keepdims, masks, shapes, errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.testing import run_layer_test

SHAPES = {
    1: {"channels_last": (2, 5, 3), "channels_first": (2, 3, 5)},
    2: {"channels_last": (2, 4, 5, 3), "channels_first": (2, 3, 4, 5)},
    3: {"channels_last": (2, 3, 4, 2, 3), "channels_first": (2, 3, 3, 4, 2)},
}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("kind", ["GlobalMaxPooling", "GlobalAveragePooling"])
def test_same_numbers_as_keras(keras, kind, rank, data_format, keepdims):
    x = np.random.RandomState(rank).standard_normal(SHAPES[rank][data_format]).astype("float32")
    kwargs = {"data_format": data_format, "keepdims": keepdims}
    expected = keras.ops.convert_to_numpy(getattr(keras.layers, f"{kind}{rank}D")(**kwargs)(x))
    layer = getattr(layers, f"{kind}{rank}D")(**kwargs)
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), expected, atol=1e-6)
    assert tuple(layer.compute_output_shape(x.shape)) == expected.shape


def test_known_numbers():
    x = np.arange(12, dtype="float32").reshape(1, 2, 2, 3)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layers.GlobalAveragePooling2D()(x)), [[4.5, 5.5, 6.5]]
    )
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layers.GlobalMaxPooling2D(keepdims=True)(x)), [[[[9, 10, 11]]]]
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_average_1d_honours_a_mask_as_keras(keras, data_format):
    x = np.random.RandomState(0).standard_normal(SHAPES[1][data_format]).astype("float32")
    mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 0]], bool)
    ref = keras.layers.GlobalAveragePooling1D(data_format=data_format)
    expected = keras.ops.convert_to_numpy(ref(x, mask=mask))
    layer = layers.GlobalAveragePooling1D(data_format=data_format)
    out = ops.convert_to_numpy(layer(x, mask=mask))
    np.testing.assert_allclose(out, expected, atol=1e-6)
    steps = x if data_format == "channels_last" else np.moveaxis(x, 1, 2)
    np.testing.assert_allclose(out[0], steps[0, :2].mean(0), atol=1e-6)


def test_mask_travelling_on_the_tensor_is_used():
    x = ops.convert_to_tensor(np.array([[[1.0], [3.0], [100.0]]], "float32"))
    x._keras_mask = ops.convert_to_tensor(np.array([[True, True, False]]))
    out = ops.convert_to_numpy(layers.GlobalAveragePooling1D()(x))
    np.testing.assert_allclose(out, [[2.0]])


def test_layer_checks():
    run_layer_test(
        layers.GlobalAveragePooling1D,
        {"keepdims": True},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 1, 3),
        supports_masking=True,
    )
    run_layer_test(
        layers.GlobalMaxPooling3D,
        {"data_format": "channels_first"},
        input_shape=(2, 3, 2, 2, 2),
        expected_output_shape=(2, 3),
    )


def test_output_carries_no_mask():
    layer = layers.GlobalAveragePooling1D()
    assert layer.compute_mask(np.zeros((1, 3, 2)), np.ones((1, 3), bool)) is None


def test_symbolic_shapes():
    assert layers.GlobalMaxPooling2D()(cornu.Input((None, None, 7))).shape == (None, 7)
    keep = layers.GlobalAveragePooling3D(keepdims=True, data_format="channels_first")
    assert keep(cornu.Input((4, 2, 3, 5))).shape == (None, 4, 1, 1, 1)


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match=r"'gap' \(GlobalAveragePooling2D\) expects a 4-D input"):
        layers.GlobalAveragePooling2D(name="gap")(np.zeros((2, 3, 4), "float32"))


def test_aliases_and_config():
    assert layers.GlobalMaxPool1D is layers.GlobalMaxPooling1D
    assert layers.GlobalMaxPool2D is layers.GlobalMaxPooling2D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert layers.GlobalAvgPool3D is layers.GlobalAveragePooling3D
    config = layers.GlobalAveragePooling2D(keepdims=True).get_config()
    assert config["keepdims"] is True and config["data_format"] == "channels_last"
