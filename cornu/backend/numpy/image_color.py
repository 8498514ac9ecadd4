"""Colour-space conversions of images on NumPy arrays: grayscale, HSV and back."""

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor
from cornu.core.config import standardize_data_format


def check_rank(images):
    if images.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )


def _channel_axis(images, data_format, expected, op_name):
    check_rank(images)
    axis = -1 if standardize_data_format(data_format) == "channels_last" else -3
    if images.shape[axis] not in expected:
        raise ValueError(
            f"{op_name}: invalid channel size: expected {' or '.join(map(str, expected))} "
            f"channels. Received input with shape: images.shape={tuple(images.shape)}"
        )
    return axis


def _check_float(images, op_name):
    if images.dtype.kind != "f":
        raise ValueError(
            f"{op_name}: invalid images dtype: expected a float dtype. Received: "
            f"images.dtype={images.dtype}"
        )


def rgb_to_grayscale(images, data_format=None):
    """RGB images to one channel: ``0.2989 r + 0.587 g + 0.114 b`` (integers truncated)."""
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (1, 3), "rgb_to_grayscale")
    if images.shape[axis] == 1:
        return images.copy()
    red, green, blue = (np.take(images, i, axis=axis) for i in range(3))
    gray = 0.2989 * red + 0.587 * green + 0.114 * blue
    if images.dtype.kind != "f":
        gray = np.trunc(gray)
    return np.expand_dims(gray.astype(images.dtype), axis)


def rgb_to_hsv(images, data_format=None):
    """Float RGB images in ``[0, 1]`` to HSV (each channel in ``[0, 1]``)."""
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (3,), "rgb_to_hsv")
    _check_float(images, "rgb_to_hsv")
    dtype = images.dtype
    images = np.where(np.abs(images) < np.finfo(dtype).eps, 0.0, images).astype(dtype)
    red, green, blue = (np.take(images, i, axis=axis) for i in range(3))
    value = np.maximum(np.maximum(red, green), blue)
    spread = value - np.minimum(np.minimum(red, green), blue)
    saturation = np.where(value > 0, spread / np.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * np.where(spread > 0, spread, 1.0))
    hue = np.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = np.where(value == red, norm * (green - blue), hue)
    hue = np.where(spread > 0, hue, 0.0) + (hue < 0.0)
    return np.stack((hue, saturation, value), axis=axis).astype(dtype)


def hsv_to_rgb(images, data_format=None):
    """Float HSV images (each channel in ``[0, 1]``) to RGB, the inverse of ``rgb_to_hsv``."""
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (3,), "hsv_to_rgb")
    _check_float(images, "hsv_to_rgb")
    hue, saturation, value = (np.take(images, i, axis=axis) for i in range(3))
    sector = np.remainder(hue, 1.0) * 6.0
    red = np.clip(np.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green = np.clip(2.0 - np.abs(sector - 2.0), 0.0, 1.0)
    blue = np.clip(2.0 - np.abs(sector - 4.0), 0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * plane) for plane in (red, green, blue)]
    return np.stack(planes, axis=axis).astype(images.dtype)
