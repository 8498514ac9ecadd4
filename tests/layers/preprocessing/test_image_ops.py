"""cornu.ops.image: resize and affine_transform, against keras.ops.image (on torch; on JAX,
the cases where Keras-JAX computes differently compare with NumPy references of Keras-torch,
``tests/image_reference.py``, which the torch run checks against Keras-torch)."""

import numpy as np
import pytest
from image_reference import affine_transform, bicubic_resize
from oracle import skip_where_keras_differs

from cornu import ops
from cornu.core.config import backend

RNG = np.random.RandomState(0)
IMAGES = RNG.rand(2, 7, 9, 3).astype("float32")
TRANSFORMS = np.array(
    [[1.3, 0.2, -2.5, -0.3, 0.9, 1.7, 0, 0], [0.7, -0.4, 3.1, 0.25, 1.2, -3.3, 0, 0]],
    "float32",
)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _layout(images, data_format):
    return images if data_format == "channels_last" else images.transpose(0, 3, 1, 2)


def _expected(keras_result, reference, atol):
    """Keras's result, checked against the NumPy ``reference`` of Keras-torch on torch; on
    JAX the reference itself, where Keras-JAX differs from Keras-torch."""
    if backend() == "jax":
        return reference
    np.testing.assert_allclose(reference, keras_result, atol=atol, rtol=0)
    return keras_result


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize(
    "aspect",
    [{}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True, "fill_value": 0.5}],
)
def test_resize_matches_keras(keras, data_format, interpolation, antialias, aspect):
    images = _layout(IMAGES, data_format)
    atol = 1e-4 if interpolation == "bicubic" else 1e-5
    for size in [(4, 5), (11, 6), (7, 9)]:
        kwargs = dict(antialias=antialias, data_format=data_format, **aspect)
        skip_where_keras_differs("image.resize", (images, size, interpolation), kwargs)
        ours = _np(ops.image.resize(images, size, interpolation, **kwargs))
        theirs = keras.ops.convert_to_numpy(
            keras.ops.image.resize(images, size, interpolation, **kwargs)
        )
        if interpolation == "bicubic" and not antialias:
            # Keras-JAX's bicubic is jax.image.resize's (a = -0.5), Keras-torch's a = -0.75
            reference = bicubic_resize(IMAGES, size, **aspect)
            theirs = _expected(theirs, _layout(reference, data_format), atol)
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, atol=atol, rtol=0)
        single = _np(ops.image.resize(images[1], size, interpolation, **kwargs))
        np.testing.assert_allclose(single, theirs[1], atol=atol, rtol=0)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
def test_resize_keeps_integer_dtype_like_keras(keras, interpolation):
    images = (IMAGES * 255).astype("uint8")
    skip_where_keras_differs("image.resize", (images, (5, 13), interpolation))
    ours = _np(ops.image.resize(images, (5, 13), interpolation))
    theirs = keras.ops.convert_to_numpy(keras.ops.image.resize(images, (5, 13), interpolation))
    if interpolation == "bicubic":
        theirs = _expected(theirs, bicubic_resize(images, (5, 13)), atol=0)
    assert ours.dtype == np.uint8
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("method", ["lanczos3", "lanczos5"])
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_resize_lanczos_matches_keras_scale_and_translate(keras, method, antialias, data_format):
    # Keras's torch backend refuses lanczos in `resize`; its JAX/NumPy backends resize with
    # scale_and_translate(scale=out/in, translation=0), which the torch backend does have.
    for size in [(4, 5), (13, 6)]:
        scale = np.array([size[0] / 7, size[1] / 9], "float32")
        theirs = keras.ops.convert_to_numpy(
            keras.ops.image.scale_and_translate(
                IMAGES, (2, *size, 3), scale, np.zeros(2, "float32"), (1, 2), method, antialias
            )
        )
        images = _layout(IMAGES, data_format)
        ours = _np(ops.image.resize(images, size, method, antialias, data_format=data_format))
        if data_format == "channels_first":
            ours = ours.transpose(0, 2, 3, 1)
        np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)


def test_resize_area_averages_boxes():
    images = RNG.rand(1, 6, 4, 2).astype("float32")
    pooled = images.reshape(1, 3, 2, 2, 2, 2).mean(axis=(2, 4))
    np.testing.assert_allclose(_np(ops.image.resize(images, (3, 2), "area")), pooled, atol=1e-6)
    # 3 -> 2: each output box covers 1.5 inputs: (x0 + x1 / 2) / 1.5 and (x1 / 2 + x2) / 1.5
    row = np.array([[3.0, 6.0, 9.0]], "float32")[..., None]
    out = _np(ops.image.resize(row, (1, 2), "area"))
    np.testing.assert_allclose(out[..., 0], [[(3 + 3) / 1.5, (3 + 9) / 1.5]], atol=1e-6)
    # upsampling by 2 repeats pixels
    up = _np(ops.image.resize(images, (12, 8), "area"))
    np.testing.assert_allclose(up, images.repeat(2, axis=1).repeat(2, axis=2), atol=1e-6)


def test_resize_errors():
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`.*cubic"):
        ops.image.resize(IMAGES, (3, 3), "cubic")
    with pytest.raises(ValueError, match=r"`size` must be a tuple of two positive.*\(3, 3, 3\)"):
        ops.image.resize(IMAGES, (3, 3, 3))
    with pytest.raises(ValueError, match=r"Received: size=\(0, 3\)"):
        ops.image.resize(IMAGES, (0, 3))
    with pytest.raises(ValueError, match=r"expected rank 3.*images.shape=\(7, 9\)"):
        ops.image.resize(IMAGES[0, ..., 0], (3, 3))
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio`"):
        ops.image.resize(IMAGES, (3, 3), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="Only 'constant' is supported.*'reflect'"):
        ops.image.resize(IMAGES, (3, 3), fill_mode="reflect")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_affine_transform_matches_keras(keras, data_format, interpolation, fill_mode):
    images = _layout(IMAGES, data_format)
    kwargs = dict(interpolation=interpolation, fill_mode=fill_mode, fill_value=0.3)
    skip_where_keras_differs("image.affine_transform", (images, TRANSFORMS), kwargs)
    ours = _np(ops.image.affine_transform(images, TRANSFORMS, data_format=data_format, **kwargs))
    theirs = keras.ops.convert_to_numpy(
        keras.ops.image.affine_transform(
            images, TRANSFORMS.copy(), data_format=data_format, **kwargs
        )
    )
    if interpolation == "nearest":
        # Keras-JAX rounds coordinate ties half away from zero, Keras-torch half to even
        reference = affine_transform(IMAGES, TRANSFORMS, **kwargs)
        theirs = _expected(theirs, _layout(reference, data_format), atol=1e-5)
    np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)
    single = _np(
        ops.image.affine_transform(images[1], TRANSFORMS[1], data_format=data_format, **kwargs)
    )
    np.testing.assert_allclose(single, theirs[1], atol=1e-5, rtol=0)


def test_affine_transform_integer_images_match_keras(keras):
    images = (IMAGES * 255).astype("uint8")
    skip_where_keras_differs("image.affine_transform", (images, TRANSFORMS))
    ours = _np(ops.image.affine_transform(images, TRANSFORMS, fill_mode="constant", fill_value=7))
    theirs = keras.ops.convert_to_numpy(
        keras.ops.image.affine_transform(images, TRANSFORMS.copy(), fill_value=7)
    )
    # Keras-JAX rounds integer results half away from zero, Keras-torch half to even
    reference = affine_transform(images, TRANSFORMS, "bilinear", "constant", 7)
    theirs = _expected(theirs, reference, atol=0)
    assert ours.dtype == np.uint8
    np.testing.assert_array_equal(ours, theirs)


def test_affine_transform_semantics():
    identity = np.array([1, 0, 0, 0, 1, 0, 0, 0], "float32")
    np.testing.assert_array_equal(_np(ops.image.affine_transform(IMAGES, identity)), IMAGES)
    # output (x, y) reads input (x + 2, y): the image moves 2 pixels left, zeros come in
    shift = np.array([1, 0, 2, 0, 1, 0, 0, 0], "float32")
    out = _np(ops.image.affine_transform(IMAGES, shift, "nearest"))
    np.testing.assert_array_equal(out[:, :, :-2], IMAGES[:, :, 2:])
    np.testing.assert_array_equal(out[:, :, -2:], 0)
    wrapped = _np(ops.image.affine_transform(IMAGES, shift, "nearest", fill_mode="wrap"))
    np.testing.assert_array_equal(wrapped, np.roll(IMAGES, -2, axis=2))
    # the transform argument is not changed in place (Keras's torch backend does change it)
    copy = TRANSFORMS.copy()
    ops.image.affine_transform(IMAGES, copy)
    np.testing.assert_array_equal(copy, TRANSFORMS)


@pytest.mark.requires_training
@pytest.mark.backends("torch")  # torch autograd; JAX: tests/backend/test_jax_image_ops.py
def test_affine_transform_is_differentiable_in_the_images():
    import torch  # the test is about torch's autograd

    images = torch.tensor(IMAGES, requires_grad=True)
    ops.image.affine_transform(images, TRANSFORMS, fill_mode="reflect").sum().backward()
    assert images.grad is not None and images.grad.abs().sum() > 0


def test_affine_transform_errors():
    with pytest.raises(ValueError, match="`interpolation`.*'bicubic'"):
        ops.image.affine_transform(IMAGES, TRANSFORMS, interpolation="bicubic")
    with pytest.raises(ValueError, match="`fill_mode`.*'edge'"):
        ops.image.affine_transform(IMAGES, TRANSFORMS, fill_mode="edge")
    with pytest.raises(ValueError, match=r"Invalid transform shape.*\(2, 6\)"):
        ops.image.affine_transform(IMAGES, TRANSFORMS[:, :6])
    with pytest.raises(ValueError, match=r"expected rank 3.*\(7, 9\)"):
        ops.image.affine_transform(IMAGES[0, ..., 0], TRANSFORMS[0])
    with pytest.raises(ValueError, match="3 transforms for a batch of 2 images"):
        ops.image.affine_transform(IMAGES, np.concatenate([TRANSFORMS, TRANSFORMS[:1]]))


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_antialiased_resize_to_width_one_agrees_across_data_formats(interpolation):
    images = np.random.RandomState(3).rand(2, 9, 7, 4).astype("float32")
    kwargs = dict(interpolation=interpolation, antialias=True)
    last = ops.image.resize(images, (5, 1), data_format="channels_last", **kwargs)
    first = ops.image.resize(
        images.transpose(0, 3, 1, 2), (5, 1), data_format="channels_first", **kwargs
    )
    np.testing.assert_allclose(
        ops.convert_to_numpy(last),
        ops.convert_to_numpy(first).transpose(0, 2, 3, 1),
        rtol=1e-5,
        atol=1e-6,
    )
