"""Shared helpers of cornu.visualization: arrays, data formats and lazy optional imports."""

import numpy as np

from cornu import ops
from cornu.core import config


def to_numpy(x):
    """A NumPy array from an array, a backend tensor or a nested list."""
    if isinstance(x, np.ndarray):
        return x
    try:
        return ops.convert_to_numpy(x)
    except (TypeError, ValueError):
        return np.asarray(x)


def data_format_of(data_format):
    return data_format or config.image_data_format()


def channels_last(x, data_format):
    """``x`` (a batch ``(n, h, w, c)``, or channels first) as a channels-last NumPy array."""
    x = to_numpy(x)
    return x.transpose(0, 2, 3, 1) if data_format == "channels_first" else x


def check_batched_images(images, caller=None):
    shape = tuple(np.shape(images)) if not hasattr(images, "shape") else tuple(images.shape)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    return shape


def pyplot(caller):
    """matplotlib.pyplot, or an ImportError naming the extra to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"The `{caller}` function requires the `matplotlib` package. Install it with "
            '`pip install matplotlib` (or `pip install "cornu[viz]"`).'
        ) from error
    return plt


def cv2(caller):
    """OpenCV, which draws boxes and text as Keras does, or an ImportError naming it."""
    try:
        import cv2 as module
    except ImportError as error:
        raise ImportError(
            f"The `{caller}` function requires the `cv2` package (OpenCV). Install it with "
            '`pip install opencv-python-headless` (or `pip install "cornu[viz]"`).'
        ) from error
    return module


def transform_value_range(images, original_range, target_range):
    """Maps `images` linearly from `original_range` to `target_range` (float32)."""
    if tuple(original_range) == tuple(target_range):
        return images
    images = np.asarray(images, dtype="float32")
    low, high = (np.float32(v) for v in original_range)
    new_low, new_high = (np.float32(v) for v in target_range)
    return (images - low) / (high - low) * (new_high - new_low) + new_low
