"""Colour-space conversions of images on torch tensors: grayscale, HSV and back."""

import torch

from cornu.backend.torch.core import convert_to_tensor
from cornu.backend.torch.image_sampling import check_rank as _check_rank
from cornu.core.config import standardize_data_format


def _channel_axis(images, data_format, expected, op_name):
    """The channel axis of ``images`` (rank 3 or 4); a ValueError naming ``op_name`` when the
    image has not one of the ``expected`` channel counts."""
    _check_rank(images)
    axis = -1 if standardize_data_format(data_format) == "channels_last" else -3
    if images.shape[axis] not in expected:
        raise ValueError(
            f"{op_name}: invalid channel size: expected {' or '.join(map(str, expected))} "
            f"channels. Received input with shape: images.shape={tuple(images.shape)}"
        )
    return axis


def _float_three_channels(images, data_format, op_name):
    """``images`` as a tensor and its channel axis, checked to hold 3 channels of a float
    dtype (a ValueError naming ``op_name`` otherwise)."""
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (3,), op_name)
    if not images.is_floating_point():
        raise ValueError(
            f"{op_name}: invalid images dtype: expected a float dtype. Received: "
            f"images.dtype={str(images.dtype).replace('torch.', '')}"
        )
    return images, axis


def rgb_to_grayscale(images, data_format=None):
    """Converts RGB images to one-channel grayscale: ``0.2989 r + 0.587 g + 0.114 b``.

    Args:
        images: an image ``(h, w, 3)`` or a batch ``(n, h, w, 3)`` (channels first when
            ``data_format="channels_first"``); a one-channel input is returned as a copy.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The images with one channel, of the input's dtype (integers are truncated, as Keras).
    """
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (1, 3), "rgb_to_grayscale")
    if images.shape[axis] == 1:
        return images.clone()
    red, green, blue = images.unbind(dim=axis)
    gray = (0.2989 * red + 0.587 * green + 0.114 * blue).to(images.dtype)
    return gray.unsqueeze(axis)


def rgb_to_hsv(images, data_format=None):
    """Converts float RGB images with values in ``[0, 1]`` to HSV (hue, saturation, value, each
    in ``[0, 1]``), with the formulas of DeepMind's PIX.

    Args:
        images: an image ``(h, w, 3)`` or a batch ``(n, h, w, 3)`` of a float dtype (channels
            first when ``data_format="channels_first"``).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The HSV images, of the input's shape and dtype.
    """
    images, axis = _float_three_channels(images, data_format, "rgb_to_hsv")
    images = torch.where(images.abs() < torch.finfo(images.dtype).eps, 0.0, images)
    red, green, blue = images.unbind(dim=axis)
    value = torch.maximum(torch.maximum(red, green), blue)
    spread = value - torch.minimum(torch.minimum(red, green), blue)
    saturation = torch.where(value > 0, spread / torch.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * torch.where(spread > 0, spread, 1.0))
    hue = torch.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = torch.where(value == red, norm * (green - blue), hue)
    hue = torch.where(spread > 0, hue, 0.0) + (hue < 0.0).to(hue.dtype)
    return torch.stack((hue, saturation, value), dim=axis)


def hsv_to_rgb(images, data_format=None):
    """Converts float HSV images (each channel in ``[0, 1]``) to RGB, the inverse of
    ``rgb_to_hsv``.

    Args:
        images: an image ``(h, w, 3)`` or a batch ``(n, h, w, 3)`` of a float dtype (channels
            first when ``data_format="channels_first"``).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The RGB images, of the input's shape and dtype.
    """
    images, axis = _float_three_channels(images, data_format, "hsv_to_rgb")
    hue, saturation, value = images.unbind(dim=axis)
    sector = torch.remainder(hue, 1.0) * 6.0
    red = torch.clip((sector - 3.0).abs() - 1.0, 0.0, 1.0)
    green = torch.clip(2.0 - (sector - 2.0).abs(), 0.0, 1.0)
    blue = torch.clip(2.0 - (sector - 4.0).abs(), 0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * plane) for plane in (red, green, blue)]
    return torch.stack(planes, dim=axis)
