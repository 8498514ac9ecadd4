"""keras.ops.image's crops, pads, patches, filters, warps and SSIM against the real Keras."""

import numpy as np
import pytest
from oracle import skip_where_keras_differs

from cornu import ops
from cornu.core.config import backend

RNG = np.random.RandomState(0)
IMAGES = RNG.rand(2, 7, 9, 3).astype("float32")
IMAGE = IMAGES[0]
VOLUMES = RNG.rand(2, 6, 5, 4, 2).astype("float32")


def _first(images, data_format):
    return images if data_format == "channels_last" else np.moveaxis(images, -1, -3)


FORMATS = ["channels_last", "channels_first"]


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize(
    "kwargs",
    [
        {"top_padding": 1, "left_padding": 2, "bottom_padding": 0, "right_padding": 3},
        {"top_padding": 2, "left_padding": 1, "target_height": 10, "target_width": 12},
        {"bottom_padding": 2, "right_padding": 1, "target_height": 9, "target_width": 10},
    ],
)
def test_pad_images(oracle, data_format, kwargs):
    for images in (IMAGES, IMAGE):
        images = _first(images, data_format)
        oracle.op("image.pad_images", images, data_format=data_format, **kwargs)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize(
    "kwargs",
    [
        {"top_cropping": 1, "left_cropping": 2, "bottom_cropping": 2, "right_cropping": 3},
        {"top_cropping": 2, "left_cropping": 1, "target_height": 4, "target_width": 5},
        {"bottom_cropping": 2, "right_cropping": 1, "target_height": 3, "target_width": 6},
    ],
)
def test_crop_images(oracle, data_format, kwargs):
    for images in (IMAGES, IMAGE):
        images = _first(images, data_format)
        oracle.op("image.crop_images", images, data_format=data_format, **kwargs)


def test_crop_and_pad_argument_errors():
    with pytest.raises(ValueError, match="exactly two of top_padding, bottom_padding"):
        ops.image.pad_images(IMAGES, top_padding=1, left_padding=1, right_padding=1)
    with pytest.raises(ValueError, match="top_padding must be >= 0"):
        ops.image.pad_images(
            IMAGES, top_padding=-1, bottom_padding=1, left_padding=0, right_padding=0
        )
    with pytest.raises(ValueError, match="top_padding must be >= 0"):
        ops.image.pad_images(
            IMAGES, bottom_padding=5, target_height=6, left_padding=0, right_padding=0
        )
    with pytest.raises(ValueError, match="exactly two of left_cropping, right_cropping"):
        ops.image.crop_images(IMAGES, top_cropping=1, bottom_cropping=1, left_cropping=1)
    with pytest.raises(ValueError, match="target_height must be >= 0"):
        ops.image.crop_images(
            IMAGES, top_cropping=4, bottom_cropping=4, left_cropping=0, right_cropping=0
        )
    with pytest.raises(ValueError, match="rank"):
        ops.image.crop_images(
            IMAGES[0, 0], top_cropping=1, bottom_cropping=1, left_cropping=0, right_cropping=0
        )


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize(
    "args",
    [
        {"size": 3},
        {"size": (2, 3), "strides": (1, 2)},
        {"size": (2, 2), "strides": 1, "padding": "same"},
        {"size": (2, 2), "strides": 1, "dilation_rate": 2},
    ],
)
def test_extract_patches(oracle, data_format, args):
    for images in (IMAGES, IMAGE):
        oracle.op(
            "image.extract_patches", _first(images, data_format), data_format=data_format, **args
        )


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("args", [{"size": 2}, {"size": (3, 2, 2), "strides": (1, 2, 1)}])
def test_extract_patches_3d(oracle, data_format, args):
    volumes = VOLUMES if data_format == "channels_last" else np.moveaxis(VOLUMES, -1, 1)
    oracle.op("image.extract_patches_3d", volumes, data_format=data_format, **args)
    oracle.op("image.extract_patches_3d", volumes[0], data_format=data_format, **args)
    if isinstance(args["size"], tuple):
        oracle.op("image.extract_patches", volumes, data_format=data_format, **args)


def test_extract_patches_errors():
    with pytest.raises(TypeError, match="Expected an int or a tuple"):
        ops.image.extract_patches(IMAGES, "3")
    with pytest.raises(ValueError, match="length 2 or 3"):
        ops.image.extract_patches(IMAGES, (1, 2, 3, 4))


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize(
    "args",
    [
        {},
        {"kernel_size": (5, 5), "sigma": (0.7, 2.0)},
        {"kernel_size": (3, 3), "sigma": (2.0, 0.5)},
    ],
)
def test_gaussian_blur(oracle, data_format, args):
    for images in (IMAGES, IMAGE):
        oracle.op(
            "image.gaussian_blur", _first(images, data_format), data_format=data_format, **args
        )


def test_gaussian_blur_follows_image_data_format():
    # Keras's torch kernel reads data_format=None as channels first; cornu follows its docs.
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.image.gaussian_blur(IMAGES)),
        ops.convert_to_numpy(ops.image.gaussian_blur(IMAGES, data_format="channels_last")),
    )


@pytest.mark.parametrize("data_format", FORMATS)
def test_sobel_edges(oracle, data_format):
    out = oracle.op("image.sobel_edges", _first(IMAGES, data_format), data_format=data_format)
    assert out.shape[-1] == 2
    with pytest.raises(ValueError, match="rank 4"):
        ops.image.sobel_edges(IMAGE)


@pytest.mark.parametrize("data_format", FORMATS)
def test_ssim(oracle, data_format):
    other = np.clip(IMAGES + RNG.normal(0, 0.1, IMAGES.shape), 0, 1).astype("float32")
    first = _first(IMAGES, data_format)
    second = _first(other, data_format)
    oracle.op("image.ssim", first, second, filter_size=5, data_format=data_format, atol=1e-5)
    oracle.op(
        "image.ssim",
        first[0],
        second[0],
        filter_size=3,
        filter_sigma=1.0,
        data_format=data_format,
        atol=1e-5,
    )
    oracle.op(
        "image.ssim",
        first * 255,
        second * 255,
        max_val=255.0,
        filter_size=5,
        k1=0.02,
        data_format=data_format,
        atol=1e-5,
    )
    same = ops.convert_to_numpy(
        ops.image.ssim(first, first, filter_size=5, data_format=data_format)
    )
    np.testing.assert_allclose(same, np.ones(2), atol=1e-5)
    with pytest.raises(ValueError, match="image2 rank"):
        ops.image.ssim(IMAGES, IMAGES[0, 0])


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_map_coordinates(oracle, order, fill_mode):
    inputs = RNG.rand(5, 6).astype("float32")
    coordinates = RNG.uniform(-3, 8, (2, 4, 3)).astype("float32")
    oracle.op(
        "image.map_coordinates", inputs, coordinates, order, fill_mode=fill_mode, fill_value=0.5
    )
    ints = (inputs * 100).astype("int32")
    oracle.op("image.map_coordinates", ints, coordinates, order, fill_mode=fill_mode)
    volume = RNG.rand(3, 4, 5).astype("float32")
    oracle.op(
        "image.map_coordinates",
        volume,
        RNG.uniform(-1, 5, (3, 7)).astype("float32"),
        order,
        fill_mode=fill_mode,
    )


def test_map_coordinates_errors():
    with pytest.raises(ValueError, match="rank of `inputs`"):
        ops.image.map_coordinates(np.zeros((3, 3)), np.zeros((3, 2)), 1)
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.map_coordinates(np.zeros((3, 3)), np.zeros((2, 2)), 1, fill_mode="edge")
    with pytest.raises(NotImplementedError, match="order"):
        ops.image.map_coordinates(np.zeros((3, 3)), np.zeros((2, 2)), 3)


def _perspective(oracle, images, start, end, atol=1e-6, **kwargs):
    """cornu's perspective_transform against Keras's. Keras-JAX fails inside jax.vmap when a
    batch of images gets one set of points, so there Keras is given the points repeated per
    image (the same transform); cornu always gets them as written."""
    ours = ops.image.perspective_transform(images, start, end, **kwargs)
    skip_where_keras_differs("image.perspective_transform", (images, start, end), kwargs)
    if backend() == "jax" and np.ndim(images) == 4 and np.ndim(start) == 2:
        start = np.repeat(start[None], len(images), axis=0)
        end = np.repeat(end[None], len(images), axis=0)
    theirs = oracle.keras.ops.image.perspective_transform(images, start, end, **kwargs)
    oracle.values(ours, theirs, atol=atol)


START = np.array([[0, 0], [8, 0], [0, 6], [8, 6]], "float32")
END = np.array(
    [[[1, 0.5], [7, -1], [0.5, 6.5], [9, 5]], [[-1, 1], [8, 1], [1, 5], [7.5, 6]]], "float32"
)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_perspective_transform(oracle, data_format, interpolation):
    images = _first(IMAGES, data_format)
    starts = np.stack([START, START])
    kwargs = {"interpolation": interpolation, "data_format": data_format}
    _perspective(oracle, images, starts, END, fill_value=0.25, atol=1e-5, **kwargs)
    _perspective(oracle, images[0], START, END[0], atol=1e-5, **kwargs)
    _perspective(oracle, images, START, END[1], atol=1e-5, **kwargs)


def test_perspective_transform_errors():
    with pytest.raises(ValueError, match="start_points shape"):
        ops.image.perspective_transform(IMAGES, START[:3], END[0, :3])
    with pytest.raises(ValueError, match="same shape"):
        ops.image.perspective_transform(IMAGES, START, END)
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.perspective_transform(IMAGES, START, END[0], interpolation="bicubic")


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize(
    "args",
    [
        {},
        {
            "alpha": 4.0,
            "sigma": 1.0,
            "interpolation": "nearest",
            "fill_mode": "constant",
            "fill_value": 0.5,
        },
        {"alpha": 8.0, "sigma": 0.6, "fill_mode": "wrap"},
    ],
)
@pytest.mark.backends("torch")  # both sides draw from torch's global generator
def test_elastic_transform_draws_as_keras(keras, oracle, data_format, args):
    import torch  # the test sets torch's global generator, which Keras on torch draws from

    images = _first(IMAGES, data_format)
    torch.manual_seed(3)
    ours = ops.image.elastic_transform(images, data_format=data_format, **args)
    torch.manual_seed(3)
    theirs = keras.ops.image.elastic_transform(images, data_format=data_format, **args)
    oracle.values(ours, theirs, atol=1e-5)


def test_elastic_transform_seed_is_reproducible():
    first = ops.convert_to_numpy(ops.image.elastic_transform(IMAGES, alpha=5.0, sigma=1.0, seed=4))
    again = ops.convert_to_numpy(ops.image.elastic_transform(IMAGES, alpha=5.0, sigma=1.0, seed=4))
    other = ops.convert_to_numpy(ops.image.elastic_transform(IMAGES, alpha=5.0, sigma=1.0, seed=5))
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).max() > 1e-3
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.elastic_transform(IMAGES, fill_mode="edge")


@pytest.mark.parametrize("method", ["linear", "bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("antialias", [True, False])
def test_scale_and_translate(oracle, method, antialias):
    images = RNG.rand(2, 6, 8, 3).astype("float32")
    for shape, scale, translation in (
        ((2, 9, 5, 3), [1.5, 0.6], [0.3, -0.5]),
        ((2, 3, 12, 3), [0.5, 1.5], [0.0, 1.0]),
    ):
        oracle.op(
            "image.scale_and_translate",
            images,
            shape,
            np.array(scale, "float32"),
            np.array(translation, "float32"),
            (1, 2),
            method,
            antialias=antialias,
            atol=1e-5,
        )
    with pytest.raises(ValueError, match="method"):
        ops.image.scale_and_translate(images, (2, 4, 4, 3), [1.0, 1.0], [0.0, 0.0], (1, 2), "area")
    ints = (images * 200).astype("uint8")
    int_args = (ints, (2, 4, 4, 3), np.array([0.7, 0.5], "float32"), np.zeros(2, "float32"))
    skip_where_keras_differs("image.scale_and_translate", int_args)
    if backend() == "jax":
        # Keras-JAX returns float32 for uint8 input, while cornu keeps uint8 as Keras-torch
        # does: Keras's float result rounded and clipped to the input's own value range.
        ours = ops.image.scale_and_translate(*int_args, (1, 2), method, antialias=antialias)
        theirs = oracle.keras.ops.image.scale_and_translate(
            *int_args, (1, 2), method, antialias=antialias
        )
        theirs = np.clip(np.round(oracle.numpy(theirs)), ints.min(), ints.max()).astype("uint8")
        oracle.values(ours, theirs)
    else:
        oracle.op("image.scale_and_translate", *int_args, (1, 2), method, antialias=antialias)


def test_dtypes_follow_keras(oracle):
    wide = RNG.rand(2, 6, 7, 3)  # float64
    start = np.array([[0, 0], [6, 0], [0, 5], [6, 5]], "float32")
    end = np.array([[1, 0], [6, 1], [0, 4], [5, 5]], "float32")
    _perspective(oracle, wide, start, end, data_format="channels_last")
    uint8 = (wide * 200).astype("uint8")
    oracle.op("image.gaussian_blur", wide, data_format="channels_last")
    oracle.op("image.ssim", uint8, (wide * 180).astype("uint8"), max_val=255.0, filter_size=3)
    oracle.op("image.pad_images", (wide * 9).astype("int32"), 1, 1, target_height=9, target_width=9)
    oracle.op("image.crop_images", uint8, 1, 1, target_height=3, target_width=3)
    # Last: Keras on tensorflow differs on these two (tests/keras_differences.py).
    _perspective(oracle, uint8, start, end, data_format="channels_last")
    oracle.op("image.sobel_edges", wide, data_format="channels_last")
    oracle.op("image.map_coordinates", wide[0, :, :, 0], np.array([[0, 1, 2], [3, 4, 5]]), 0)
    oracle.op(
        "image.scale_and_translate",
        wide,
        (2, 4, 9, 3),
        np.array([0.7, 1.3]),
        np.array([0.0, 0.5]),
        (1, 2),
        "linear",
    )
