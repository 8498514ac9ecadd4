"""ZeroPadding, Cropping, UpSampling (1D/2D/3D), Permute and RepeatVector against Keras."""

import numpy as np
import pytest
from image_reference import bicubic_resize
from oracle import keras_difference

import cornu
from cornu import layers, ops
from cornu.core.config import backend
from cornu.testing import run_layer_test


def _compare(keras, name, kwargs, shape):
    """Eager output, symbolic shape (unknown batch) and config match Keras."""
    x = np.random.RandomState(0).standard_normal(shape).astype("float32")
    ours = getattr(layers, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    expected = keras.ops.convert_to_numpy(theirs(x))
    # Where Keras on this backend computes other values than Keras on torch (which cornu
    # follows), cornu is compared with a reference of Keras-torch's values where there is one,
    # else the values are left to the torch run; shapes and configs are still compared.
    differs = keras_difference(f"layers.{name}", (x,), kwargs) is not None
    if kwargs.get("interpolation") == "bicubic":
        size = (kwargs["size"],) * 2 if isinstance(kwargs["size"], int) else kwargs["size"]
        reference = bicubic_resize(x, (shape[1] * size[0], shape[2] * size[1]))
        if backend() == "jax" or differs:
            # Keras-JAX's and Keras-TF's bicubic (a = -0.5; JAX's antialiased) differ from
            # Keras-torch's (a = -0.75); cornu follows Keras-torch on every backend.
            expected, differs = reference, False
        else:
            np.testing.assert_allclose(reference, expected, atol=1e-5, rtol=1e-5)
    got = ops.convert_to_numpy(ours(x))
    assert got.shape == expected.shape
    if not differs:
        np.testing.assert_allclose(got, expected, atol=1e-5, rtol=1e-5)
    symbolic = getattr(layers, name)(**kwargs)(cornu.Input(batch_shape=(None,) + shape[1:]))
    keras_symbolic = getattr(keras.layers, name)(**kwargs)(
        keras.Input(batch_shape=(None,) + shape[1:])
    )
    assert tuple(symbolic.shape) == tuple(keras_symbolic.shape)
    skip = ("name", "dtype")
    ours_config = {k: v for k, v in ours.get_config().items() if k not in skip}
    theirs_config = {k: v for k, v in theirs.get_config().items() if k not in skip}
    assert ours_config == theirs_config
    run_layer_test(getattr(layers, name), kwargs, input_data=x, expected_output=expected)


@pytest.mark.parametrize(
    "name,kwargs,shape",
    [
        ("ZeroPadding1D", {}, (2, 3, 4)),
        ("ZeroPadding1D", {"padding": (0, 2)}, (2, 3, 4)),
        ("ZeroPadding1D", {"padding": 1, "data_format": "channels_first"}, (2, 3, 4)),
        ("ZeroPadding2D", {}, (2, 3, 4, 2)),
        ("ZeroPadding2D", {"padding": (1, 2)}, (2, 3, 4, 2)),
        (
            "ZeroPadding2D",
            {"padding": ((0, 1), (2, 3)), "data_format": "channels_first"},
            (2, 2, 3, 4),
        ),
        ("ZeroPadding3D", {"padding": 1}, (1, 2, 3, 2, 2)),
        ("ZeroPadding3D", {"padding": ((0, 1), (1, 0), (2, 1))}, (1, 2, 3, 2, 2)),
        ("Cropping1D", {}, (2, 5, 3)),
        ("Cropping1D", {"cropping": (2, 0)}, (2, 5, 3)),
        ("Cropping2D", {"cropping": ((1, 0), (1, 2))}, (2, 4, 5, 2)),
        ("Cropping2D", {"cropping": 1, "data_format": "channels_first"}, (2, 2, 4, 5)),
        ("Cropping3D", {}, (1, 3, 4, 5, 2)),
        ("Cropping3D", {"cropping": (0, 1, 2), "data_format": "channels_first"}, (1, 2, 3, 4, 5)),
        ("UpSampling1D", {"size": 3}, (2, 3, 2)),
        ("UpSampling2D", {}, (2, 3, 4, 2)),
        ("UpSampling2D", {"size": (2, 3), "data_format": "channels_first"}, (2, 2, 3, 4)),
        ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (2, 3, 4, 2)),
        (
            "UpSampling2D",
            {"interpolation": "bilinear", "data_format": "channels_first"},
            (1, 2, 3, 3),
        ),
        ("UpSampling2D", {"size": 2, "interpolation": "bicubic"}, (1, 4, 4, 1)),
        ("UpSampling3D", {"size": (1, 2, 3)}, (1, 2, 2, 3, 2)),
        ("UpSampling3D", {"data_format": "channels_first"}, (1, 2, 2, 3, 2)),
        ("Permute", {"dims": (2, 1)}, (2, 3, 4)),
        ("Permute", {"dims": (3, 1, 2)}, (2, 3, 4, 5)),
        ("RepeatVector", {"n": 3}, (2, 4)),
    ],
)
def test_matches_keras(keras, name, kwargs, shape):
    _compare(keras, name, kwargs, shape)


def test_known_values():
    x = np.array([[[1.0], [2.0]]], "float32")  # (1, 2, 1)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layers.ZeroPadding1D((1, 2))(x))[0, :, 0], [0, 1, 2, 0, 0]
    )
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layers.UpSampling1D(2)(x))[0, :, 0], [1, 1, 2, 2]
    )
    image = np.arange(4, dtype="float32").reshape(1, 2, 2, 1)
    up = ops.convert_to_numpy(layers.UpSampling2D(2, interpolation="bilinear")(image))[0, :, :, 0]
    np.testing.assert_allclose(up[0], [0.0, 0.25, 0.75, 1.0])
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layers.Cropping2D(((1, 0), (0, 1)))(image))[0, :, :, 0], [[2.0]]
    )
    vectors = np.array([[1.0, 2.0]], "float32")
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layers.RepeatVector(2)(vectors)), [[[1, 2], [1, 2]]]
    )


def test_unknown_sizes_stay_unknown():
    assert layers.ZeroPadding2D(1)(cornu.Input((None, 4, 2))).shape == (None, None, 6, 2)
    assert layers.Cropping1D(1)(cornu.Input((None, 2))).shape == (None, None, 2)
    assert layers.UpSampling2D(2)(cornu.Input((None, 3, 1))).shape == (None, None, 6, 1)


def test_errors():
    with pytest.raises(ValueError, match="must be smaller than the input length"):
        layers.Cropping1D((2, 1))(np.ones((1, 3, 1), "float32"))
    with pytest.raises(ValueError, match="'crop': values in `cropping` argument should be"):
        layers.Cropping2D(2, name="crop")(cornu.Input((4, 5, 1)))
    with pytest.raises(ValueError, match="`cropping` cannot be negative"):
        layers.Cropping2D(-1)
    with pytest.raises(ValueError, match="`padding` should have 2 elements"):
        layers.ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="The `1st entry of padding` argument must be"):
        layers.ZeroPadding3D(((1, 2, 3), 1, 1))
    with pytest.raises(ValueError, match="The `size` argument must be a tuple of 2 integers"):
        layers.UpSampling2D((1, 2, 3))
    with pytest.raises(ValueError, match="`interpolation` should be 'nearest', 'bilinear'"):
        layers.UpSampling2D(interpolation="lanczos3")
    with pytest.raises(TypeError, match="Expected an integer value for `size`"):
        layers.UpSampling1D(1.5)
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="Argument `n` should be a positive integer"):
        layers.RepeatVector(0)
    with pytest.raises(ValueError, match='layer "zp".*expected ndim=4, found ndim=3'):
        layers.ZeroPadding2D(name="zp")(np.ones((1, 2, 3), "float32"))
