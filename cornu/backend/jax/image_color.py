"""Colour-space conversions of images on jax arrays: grayscale, HSV and back."""

import jax.numpy as jnp

from cornu.backend.jax.core import convert_to_tensor
from cornu.core.config import standardize_data_format


def check_rank(images):
    """A ValueError unless ``images`` is one image (rank 3) or a batch (rank 4)."""
    if images.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )


def is_float(x):
    return jnp.issubdtype(x.dtype, jnp.floating)


def _channel_axis(images, data_format, expected, op_name):
    check_rank(images)
    axis = -1 if standardize_data_format(data_format) == "channels_last" else -3
    if images.shape[axis] not in expected:
        raise ValueError(
            f"{op_name}: invalid channel size: expected {' or '.join(map(str, expected))} "
            f"channels. Received input with shape: images.shape={tuple(images.shape)}"
        )
    return axis


def _float_three_channels(images, data_format, op_name):
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (3,), op_name)
    if not is_float(images):
        raise ValueError(
            f"{op_name}: invalid images dtype: expected a float dtype. Received: "
            f"images.dtype={images.dtype}"
        )
    return images, axis


def _planes(images, axis):
    return [jnp.take(images, i, axis=axis) for i in range(images.shape[axis])]


def rgb_to_grayscale(images, data_format=None):
    """RGB images to one channel: ``0.2989 r + 0.587 g + 0.114 b``, of the input's dtype
    (integers truncated, as Keras); a one-channel input comes back as it is."""
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (1, 3), "rgb_to_grayscale")
    if images.shape[axis] == 1:
        return jnp.array(images, copy=True)
    red, green, blue = _planes(images, axis)
    gray = (0.2989 * red + 0.587 * green + 0.114 * blue).astype(images.dtype)
    return jnp.expand_dims(gray, axis)


def rgb_to_hsv(images, data_format=None):
    """Float RGB images in ``[0, 1]`` to HSV (each channel in ``[0, 1]``), with the formulas
    of DeepMind's PIX."""
    images, axis = _float_three_channels(images, data_format, "rgb_to_hsv")
    images = jnp.where(jnp.abs(images) < jnp.finfo(images.dtype).eps, 0.0, images)
    red, green, blue = _planes(images, axis)
    value = jnp.maximum(jnp.maximum(red, green), blue)
    spread = value - jnp.minimum(jnp.minimum(red, green), blue)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * jnp.where(spread > 0, spread, 1.0))
    hue = jnp.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = jnp.where(value == red, norm * (green - blue), hue)
    hue = jnp.where(spread > 0, hue, 0.0) + (hue < 0.0).astype(hue.dtype)
    return jnp.stack((hue, saturation, value), axis=axis).astype(images.dtype)


def hsv_to_rgb(images, data_format=None):
    """Float HSV images (each channel in ``[0, 1]``) to RGB, the inverse of ``rgb_to_hsv``."""
    images, axis = _float_three_channels(images, data_format, "hsv_to_rgb")
    hue, saturation, value = _planes(images, axis)
    sector = jnp.remainder(hue, 1.0) * 6.0
    red = jnp.clip(jnp.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green = jnp.clip(2.0 - jnp.abs(sector - 2.0), 0.0, 1.0)
    blue = jnp.clip(2.0 - jnp.abs(sector - 4.0), 0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * plane) for plane in (red, green, blue)]
    return jnp.stack(planes, axis=axis).astype(images.dtype)
