"""The JAX image family against cornu-on-torch on small inputs (values, shapes and dtypes),
under ``jax.jit``, and the elastic noise against Keras's JAX backend."""

import os
import subprocess
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = jax.numpy
pytest.importorskip("torch")

from cornu.backend.jax import image as jax_image  # noqa: E402
from cornu.backend.torch import image as torch_image  # noqa: E402

RNG = np.random.default_rng(0)
FLOATS = RNG.random((2, 9, 11, 3)).astype(np.float32)
BYTES = (RNG.random((2, 9, 11, 3)) * 255).astype(np.uint8)
TRANSFORMS = np.array(
    [[1.1, 0.2, 1.5, -0.1, 0.9, -1.0, 0, 0], [0.8, -0.3, -2.0, 0.25, 1.2, 2.5, 0, 0]],
    dtype=np.float32,
)
START = np.array([[0, 0], [10, 0], [0, 8], [10, 8]], np.float32)
END = START + np.array([[1, 0.5], [-1, 1], [0.5, -1], [-1.5, -0.5]], np.float32)


def check(name, *args, atol=1e-5, **kwargs):
    ours = np.asarray(getattr(jax_image, name)(*args, **kwargs))
    theirs = getattr(torch_image, name)(*args, **kwargs).detach().numpy()
    assert ours.shape == theirs.shape
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(
        ours.astype(np.float64), theirs.astype(np.float64), atol=atol, rtol=atol
    )


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("size", [(4, 5), (13, 17)])
@pytest.mark.parametrize(
    "aspect", [{}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True, "fill_value": 0.5}]
)
def test_resize_matches_torch(interpolation, antialias, size, aspect):
    check("resize", FLOATS, size, interpolation=interpolation, antialias=antialias, **aspect)
    check("resize", BYTES, size, interpolation=interpolation, antialias=antialias, atol=1)


def test_resize_layouts_and_single_image():
    check("resize", FLOATS.transpose(0, 3, 1, 2), (5, 7), data_format="channels_first")
    check("resize", FLOATS[0], (5, 7), interpolation="lanczos5", antialias=True)
    with pytest.raises(ValueError, match="interpolation"):
        jax_image.resize(FLOATS, (4, 4), interpolation="cubic")


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_affine_transform_and_map_coordinates_match_torch(fill_mode, interpolation):
    kwargs = {"interpolation": interpolation, "fill_mode": fill_mode}
    check("affine_transform", FLOATS, TRANSFORMS, fill_value=0.3, **kwargs)
    check("affine_transform", BYTES, TRANSFORMS, fill_value=7, **kwargs)
    check("affine_transform", FLOATS[0], TRANSFORMS[0], **kwargs)
    coordinates = RNG.normal(size=(3, 5, 4)).astype(np.float32) * 6
    order = 0 if interpolation == "nearest" else 1
    check("map_coordinates", FLOATS[0], coordinates, order, fill_mode=fill_mode, fill_value=0.2)


@pytest.mark.parametrize("name", ["rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb"])
def test_color_conversions_match_torch(name):
    check(name, FLOATS)
    check(name, FLOATS[0].transpose(2, 0, 1), data_format="channels_first")


def test_grayscale_of_integers_and_float_checks():
    check("rgb_to_grayscale", BYTES)
    with pytest.raises(ValueError, match="expected a float dtype"):
        jax_image.rgb_to_hsv(BYTES)
    with pytest.raises(ValueError, match="channel size"):
        jax_image.hsv_to_rgb(FLOATS[..., :2])


def test_filters_match_torch():
    check("gaussian_blur", FLOATS, kernel_size=(3, 5), sigma=(1.0, 2.0))
    check(
        "gaussian_blur", FLOATS, kernel_size=(4, 4), sigma=(1.5, 1.5), data_format="channels_first"
    )
    check("sobel_edges", FLOATS)
    check("sobel_edges", FLOATS, data_format="channels_first")
    check("ssim", FLOATS, FLOATS[::-1] * 0.9, filter_size=5)
    check("ssim", FLOATS[0], FLOATS[1], filter_size=3, max_val=2.0)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_perspective_transform_matches_torch(interpolation):
    check("perspective_transform", FLOATS, START, END, interpolation=interpolation, fill_value=0.5)
    check("perspective_transform", FLOATS[0], START, END, interpolation=interpolation)


@pytest.mark.parametrize("method", ["linear", "bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("antialias", [True, False])
def test_scale_and_translate_matches_torch(method, antialias):
    scale, shift = np.array([0.6, 0.7], np.float32), np.array([0.5, -1.0], np.float32)
    args = ((2, 5, 7, 3), scale, shift, (1, 2), method)
    check("scale_and_translate", FLOATS, *args, antialias=antialias)
    up = ((2, 15, 17, 3), scale + 1, shift, (1, 2), method)
    check("scale_and_translate", BYTES, *up, antialias=antialias, atol=1)


def test_pad_crop_and_patches_match_torch():
    check("pad_images", FLOATS, 1, 2, 3, 4)
    check("pad_images", FLOATS, 1, None, None, 2, 12, 20, data_format="channels_first")
    check("crop_images", FLOATS, 1, 2, 3, 4)
    check("crop_images", FLOATS[0], 1, None, None, 2, 5, 1)
    check("extract_patches", FLOATS, (3, 3))
    check("extract_patches", FLOATS, 2, strides=(1, 2), padding="same")
    check("extract_patches", FLOATS, (2, 3), dilation_rate=2)
    check("extract_patches", FLOATS.transpose(0, 3, 1, 2), 3, padding="same", strides=2,
          data_format="channels_first")  # fmt: skip
    volumes = RNG.random((2, 5, 6, 7, 2)).astype(np.float32)
    check("extract_patches_3d", volumes, 2)
    check("extract_patches", volumes, (2, 3, 2), strides=1, padding="same")
    with pytest.raises(ValueError, match="exactly two of top_padding"):
        jax_image.pad_images(FLOATS, 1, 1, 1, 1, 12, 12)
    with pytest.raises(ValueError, match="cannot take"):
        jax_image.crop_images(FLOATS, 5, 0, None, 0, 6, 3)


def test_ops_trace_under_jit():
    """Every op runs on tracers, with a traced blur sigma as an augmentation draws it."""

    @jax.jit
    def augment(images, transform, sigma):
        return (
            jax_image.affine_transform(images, transform, fill_mode="reflect"),
            jax_image.resize(images, (5, 6), antialias=True),
            jax_image.gaussian_blur(images, (3, 3), sigma),
            jax_image.hsv_to_rgb(jax_image.rgb_to_hsv(images)),
            jax_image.perspective_transform(images, START, END),
            jax_image.elastic_transform(images, alpha=2.0, sigma=1.0, seed=1),
            jax_image.crop_images(images, 1, 1, target_height=4, target_width=5),
        )

    sigma = np.array([1.0, 2.0], np.float32)
    out = augment(jnp.asarray(FLOATS), jnp.asarray(TRANSFORMS), jnp.asarray(sigma))
    eager = jax_image.gaussian_blur(FLOATS, (3, 3), sigma)
    np.testing.assert_allclose(np.asarray(out[2]), np.asarray(eager), atol=1e-6)
    np.testing.assert_allclose(np.asarray(out[3]), FLOATS, atol=1e-5)
    assert [o.shape for o in out][-1] == (2, 4, 5, 3)
    assert out[5].shape == FLOATS.shape


_KERAS_ELASTIC = """
import os, sys
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np, keras
x = np.load(sys.argv[1])
image = keras.ops.image
out = image.elastic_transform(x, alpha=3.0, sigma=1.0, seed=3, data_format="channels_last")
np.save(sys.argv[2], np.asarray(out))
"""


def test_elastic_transform_draws_as_keras_jax(tmp_path):
    """A seeded elastic transform equals Keras's on its JAX backend (one draw for both axes)."""
    pytest.importorskip("keras")
    np.save(tmp_path / "x.npy", FLOATS)
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    subprocess.run(
        [sys.executable, "-c", _KERAS_ELASTIC, str(tmp_path / "x.npy"), str(tmp_path / "k.npy")],
        check=True,
        env=env,
        timeout=300,
    )
    ours = jax_image.elastic_transform(FLOATS, alpha=3.0, sigma=1.0, seed=3)
    np.testing.assert_allclose(np.asarray(ours), np.load(tmp_path / "k.npy"), atol=1e-5)
    assert not np.allclose(np.asarray(ours), FLOATS)


def test_warps_and_resize_are_differentiable_in_the_images():
    def total(images):
        warped = jax_image.affine_transform(images, TRANSFORMS, fill_mode="reflect")
        return warped.sum() + jax_image.resize(images, (4, 5), antialias=True).sum()

    grad = jax.grad(total)(jnp.asarray(FLOATS))
    assert grad.shape == FLOATS.shape and float(jnp.abs(grad).sum()) > 0
