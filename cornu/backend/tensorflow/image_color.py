"""Colour-space conversions of images on TensorFlow tensors: grayscale, HSV and back."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor
from cornu.core.config import standardize_data_format


def check_rank(images):
    """A ValueError unless ``images`` is one image (rank 3) or a batch (rank 4)."""
    if images.shape.rank not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )


def is_float(x):
    return x.dtype.is_floating


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
            f"images.dtype={images.dtype.name}"
        )
    return images, axis


def _planes(images, axis):
    return tf.unstack(images, axis=axis)


def rgb_to_grayscale(images, data_format=None):
    """RGB images to one channel: ``0.2989 r + 0.587 g + 0.114 b``, of the input's dtype
    (integers truncated, as Keras); a one-channel input comes back as it is."""
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (1, 3), "rgb_to_grayscale")
    if images.shape[axis] == 1:
        return tf.identity(images)
    work = images if is_float(images) else tf.cast(images, tf.float32)
    red, green, blue = _planes(work, axis)
    gray = tf.cast(0.2989 * red + 0.587 * green + 0.114 * blue, images.dtype)
    return tf.expand_dims(gray, axis)


def rgb_to_hsv(images, data_format=None):
    """Float RGB images in ``[0, 1]`` to HSV (each channel in ``[0, 1]``), with the formulas
    of DeepMind's PIX."""
    images, axis = _float_three_channels(images, data_format, "rgb_to_hsv")
    zero, one = tf.zeros((), images.dtype), tf.ones((), images.dtype)
    tiny = float(np.finfo(images.dtype.as_numpy_dtype).eps)
    images = tf.where(tf.abs(images) < tiny, zero, images)
    red, green, blue = _planes(images, axis)
    value = tf.maximum(tf.maximum(red, green), blue)
    spread = value - tf.minimum(tf.minimum(red, green), blue)
    saturation = tf.where(value > 0, spread / tf.where(value > 0, value, one), zero)
    norm = 1.0 / (6.0 * tf.where(spread > 0, spread, one))
    hue = tf.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = tf.where(value == red, norm * (green - blue), hue)
    hue = tf.where(spread > 0, hue, zero) + tf.cast(hue < 0.0, hue.dtype)
    return tf.stack((hue, saturation, value), axis=axis)


def hsv_to_rgb(images, data_format=None):
    """Float HSV images (each channel in ``[0, 1]``) to RGB, the inverse of ``rgb_to_hsv``."""
    images, axis = _float_three_channels(images, data_format, "hsv_to_rgb")
    hue, saturation, value = _planes(images, axis)
    sector = tf.math.floormod(hue, 1.0) * 6.0
    red = tf.clip_by_value(tf.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green = tf.clip_by_value(2.0 - tf.abs(sector - 2.0), 0.0, 1.0)
    blue = tf.clip_by_value(2.0 - tf.abs(sector - 4.0), 0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * plane) for plane in (red, green, blue)]
    return tf.stack(planes, axis=axis)
