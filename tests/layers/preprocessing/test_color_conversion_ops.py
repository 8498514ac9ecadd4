"""cornu.ops.image colour conversions (rgb_to_grayscale, rgb_to_hsv, hsv_to_rgb) against
keras.ops.image on torch: values, dtypes, data formats and errors."""

import numpy as np
import pytest

from cornu import ops

RNG = np.random.RandomState(0)
RGB = RNG.rand(2, 5, 6, 3).astype("float32")
# Greys, pure primaries and exact zeros exercise the branches of the hue formula.
RGB[0, 0, :6] = [[0, 0, 0], [1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.2]]


def _layouts(x):
    yield x, "channels_last"
    yield np.ascontiguousarray(np.moveaxis(x, -1, -3)), "channels_first"


@pytest.mark.parametrize("name", ["rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_conversions_equal_keras(oracle, name, dtype):
    for x, data_format in _layouts(RGB.astype(dtype)):
        tol = 1e-3 if dtype == "float16" else 1e-6
        oracle.op(f"image.{name}", x, data_format=data_format, atol=tol, rtol=tol)
        oracle.op(f"image.{name}", x[0], data_format=data_format, atol=tol, rtol=tol)


def test_grayscale_of_integers_and_one_channel_equals_keras(oracle):
    pixels = RNG.randint(0, 256, (2, 4, 4, 3)).astype("uint8")
    out = oracle.op("image.rgb_to_grayscale", pixels)
    assert out.shape == (2, 4, 4, 1) and out.dtype == np.uint8
    np.testing.assert_array_equal(
        out[..., 0], (pixels.astype("float32") @ np.float32([0.2989, 0.587, 0.114])).astype("uint8")
    )
    oracle.op("image.rgb_to_grayscale", RGB[..., :1])


def test_hsv_round_trip_and_known_values():
    hsv = ops.convert_to_numpy(ops.image.rgb_to_hsv(RGB))
    assert hsv.min() >= 0 and hsv.max() <= 1
    np.testing.assert_allclose(hsv[0, 0, :2, :2], 0.0)  # black and white: no hue or saturation
    np.testing.assert_allclose(hsv[0, 0, 1, 2], 1.0)
    np.testing.assert_allclose(hsv[0, 0, 2:5, 0], [0, 1 / 3, 2 / 3], rtol=1e-6)  # r, g, b
    np.testing.assert_allclose(hsv[0, 0, 2:5, 1:], 1.0)
    np.testing.assert_allclose(hsv[0, 0, 5], [1 / 6, 0.6, 0.5], rtol=1e-6)
    back = ops.convert_to_numpy(ops.image.hsv_to_rgb(hsv))
    np.testing.assert_allclose(back, RGB, atol=1e-6)


def test_errors():
    with pytest.raises(ValueError, match=r"rgb_to_grayscale: invalid channel size.*\(2, 4, 4, 2\)"):
        ops.image.rgb_to_grayscale(np.ones((2, 4, 4, 2), "float32"))
    with pytest.raises(ValueError, match="rgb_to_hsv: invalid images dtype: expected a float"):
        ops.image.rgb_to_hsv(np.ones((4, 4, 3), "int32"))
    with pytest.raises(ValueError, match="hsv_to_rgb: invalid channel size: expected 3"):
        ops.image.hsv_to_rgb(np.ones((4, 4, 3), "float32"), data_format="channels_first")
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.rgb_to_hsv(np.ones((4, 3), "float32"))
