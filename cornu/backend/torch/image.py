"""Image operations on torch tensors: resizing and affine transforms."""

import math

import torch
import torch.nn.functional as F

from cornu.backend.config import standardize_data_format
from cornu.backend.torch.core import convert_to_tensor

_INTERPOLATE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")
AFFINE_TRANSFORM_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_TRANSFORM_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _check_rank(images):
    if images.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )


def _saturate_round(x, dtype):
    """Float ``x`` rounded and clipped into the range of the integer ``dtype``."""
    info = torch.iinfo(dtype)
    return torch.round(x).clamp(info.min, info.max).to(dtype)


def _aspect_crop_box(height, width, target_height, target_width):
    """The largest centered window of the target aspect ratio: (top, left, height, width)."""
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return top, left, crop_height, crop_width


def _pad_to_aspect_ratio(images, target_height, target_width, fill_value):
    """Pads NCHW ``images`` evenly on the short side to the target aspect ratio."""
    height, width = images.shape[-2:]
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    top = int(float(pad_height - height) / 2)
    left = int(float(pad_width - width) / 2)
    if top > 0:
        return F.pad(images, (0, 0, top, top), value=float(fill_value))
    if left > 0:
        return F.pad(images, (left, left, 0, 0), value=float(fill_value))
    return images


def _lanczos_kernel(radius):
    def kernel(x):
        y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
        safe = torch.where(x != 0, math.pi**2 * x**2, torch.ones_like(x))
        out = torch.where(x > 1e-3, y / safe, torch.ones_like(x))
        return torch.where(x > radius, torch.zeros_like(x), out)

    return kernel


def _kernel_weights(in_size, out_size, kernel, antialias, device):
    """The ``(in_size, out_size)`` resampling matrix of JAX's ``scale_and_translate``."""
    scale = out_size / in_size
    kernel_scale = max(1.0 / scale, 1.0) if antialias else 1.0
    sample = (torch.arange(out_size, dtype=torch.float64, device=device) + 0.5) / scale - 0.5
    source = torch.arange(in_size, dtype=torch.float64, device=device)
    weights = kernel((sample[None, :] - source[:, None]).abs() / kernel_scale)
    total = weights.sum(0, keepdim=True)
    eps = 1000.0 * torch.finfo(torch.float32).eps
    weights = torch.where(total.abs() > eps, weights / torch.where(total != 0, total, 1.0), 0.0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return torch.where(inside[None, :], weights, 0.0)


def _area_weights(in_size, out_size, device):
    """The ``(in_size, out_size)`` box-averaging matrix of TensorFlow's area resize."""
    scale = in_size / out_size
    start = torch.arange(out_size, dtype=torch.float64, device=device) * scale
    source = torch.arange(in_size, dtype=torch.float64, device=device)[:, None]
    overlap = torch.minimum(source + 1, start[None, :] + scale) - torch.maximum(source, start)
    return overlap.clamp(min=0) / scale


def _resample(images, size, interpolation, antialias):
    """Resizes NCHW float ``images`` to ``size`` with a separable weight matrix per axis."""
    out_height, out_width = size
    in_height, in_width = images.shape[-2:]
    for axis, (n_in, n_out) in ((2, (in_height, out_height)), (3, (in_width, out_width))):
        if n_in == n_out:
            continue
        if interpolation == "area":
            weights = _area_weights(n_in, n_out, images.device)
        else:
            kernel = _lanczos_kernel(3.0 if interpolation == "lanczos3" else 5.0)
            weights = _kernel_weights(n_in, n_out, kernel, antialias, images.device)
        weights = weights.to(images.dtype)
        equation = "bchw,hk->bckw" if axis == 2 else "bchw,wk->bchk"
        images = torch.einsum(equation, images, weights)
    return images


def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Resizes an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` to ``size = (height, width)``.

    Args:
        images: the images (channels first when ``data_format="channels_first"``).
        size: the output ``(height, width)``.
        interpolation: ``"bilinear"``, ``"nearest"``, ``"bicubic"`` (as Keras on torch),
            ``"area"`` (box averaging, as TensorFlow) or ``"lanczos3"``/``"lanczos5"`` (as
            JAX's ``scale_and_translate``).
        antialias: low-pass filter when downsampling (bilinear, bicubic, lanczos).
        crop_to_aspect_ratio: first crop the largest centered window of the target ratio.
        pad_to_aspect_ratio: first pad the short side evenly with ``fill_value``.
        fill_mode: only ``"constant"``.
        fill_value: the padding value.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The resized images, of the input's dtype (integers are rounded and saturated).
    """
    data_format = standardize_data_format(data_format)
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected one of "
            f"{RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )
    if fill_mode != "constant":
        raise ValueError(
            "Invalid value for argument `fill_mode`. Only 'constant' is supported. "
            f"Received: fill_mode={fill_mode!r}"
        )
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
        )
    size = tuple(size) if isinstance(size, (tuple, list)) else (size,)
    if len(size) != 2 or not all(isinstance(s, int) and s > 0 for s in size):
        raise ValueError(
            "Argument `size` must be a tuple of two positive integers (height, width). "
            f"Received: size={size}"
        )
    images = convert_to_tensor(images)
    _check_rank(images)
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    out_dtype = images.dtype
    if out_dtype not in (torch.float32, torch.float64):
        images = images.to(torch.float32)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)
    if crop_to_aspect_ratio:
        top, left, height, width = _aspect_crop_box(*images.shape[-2:], *size)
        images = images[:, :, top : top + height, left : left + width]
    elif pad_to_aspect_ratio:
        images = _pad_to_aspect_ratio(images, *size, fill_value)
    if interpolation in _INTERPOLATE_MODES:
        smooth = interpolation in ("bilinear", "bicubic")
        if antialias and smooth and size[1] == 1:
            # torch's antialiased kernels give wrong numbers on a channels-last strided input
            # resized to width 1 (Keras on torch shares the error); a contiguous copy is right.
            images = images.contiguous()
        resized = F.interpolate(
            images,
            size=size,
            mode=_INTERPOLATE_MODES[interpolation],
            align_corners=False if smooth else None,
            antialias=bool(antialias) and smooth,
        )
    else:
        resized = _resample(images, size, interpolation, antialias)
    if data_format == "channels_last":
        resized = resized.permute(0, 2, 3, 1)
    if resized.dtype != out_dtype:
        if out_dtype.is_floating_point:
            resized = resized.to(out_dtype)
        else:
            resized = _saturate_round(resized, out_dtype)
    return resized[0] if squeeze else resized


def _mirror_index(index, size):
    period = size - 1
    if period == 0:
        return torch.zeros_like(index)
    return torch.abs((index + period) % (2 * period) - period)


def _reflect_index(index, size):
    return torch.div(_mirror_index(2 * index + 1, 2 * size + 1) - 1, 2, rounding_mode="floor")


_INDEX_FIXERS = {
    "constant": lambda index, size: index.clamp(0, size - 1),
    "nearest": lambda index, size: index.clamp(0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror_index,
    "reflect": _reflect_index,
}


def _interpolation_nodes(coordinate, interpolation):
    """The (index, weight) pairs that sample ``coordinate`` along one axis."""
    if interpolation == "nearest":
        return [(torch.round(coordinate).to(torch.int64), 1)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.to(torch.int64)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Samples each image at the points given by a projective transform of the output grid.

    Args:
        images: an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` (channels first when
            ``data_format="channels_first"``).
        transform: ``(8,)`` or ``(n, 8)``: a row ``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps the
            output point ``(x, y)`` to the input point ``(a0 x + a1 y + a2, b0 x + b1 y + b2)``.
            As in Keras on every backend but TensorFlow, ``c0`` and ``c1`` are taken as 0.
        interpolation: ``"nearest"`` or ``"bilinear"``.
        fill_mode: how points outside the input are read: ``"constant"`` (``fill_value``),
            ``"nearest"`` (edge pixel), ``"wrap"``, ``"mirror"`` (``c b | a b c d | c b``) or
            ``"reflect"`` (``b a | a b c d | d c``).
        fill_value: the value outside the input for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The transformed images, of the shape and dtype of ``images``.
    """
    data_format = standardize_data_format(data_format)
    if interpolation not in AFFINE_TRANSFORM_INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected one of "
            f"{AFFINE_TRANSFORM_INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )
    if fill_mode not in AFFINE_TRANSFORM_FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected one of "
            f"{AFFINE_TRANSFORM_FILL_MODES}. Received: fill_mode={fill_mode!r}"
        )
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_rank(images)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(
            "Invalid transform shape: expected (8,) (single transform) or (batch, 8) (batch of "
            f"transforms). Received: transform.shape={tuple(transform.shape)}"
        )
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    if data_format == "channels_first":
        images = images.permute(0, 2, 3, 1)
    batch, height, width, _ = images.shape
    transform = transform.reshape(-1, 8)
    if transform.shape[0] not in (1, batch):
        raise ValueError(
            f"`transform` holds {transform.shape[0]} transforms for a batch of {batch} images."
        )
    if not transform.is_floating_point():
        transform = transform.to(torch.float32)
    transform = transform.to(images.device)
    a0, a1, a2, b0, b1, b2 = (transform[:, k].reshape(-1, 1, 1) for k in range(6))
    rows = torch.arange(height, dtype=transform.dtype, device=images.device)[None, :, None]
    cols = torch.arange(width, dtype=transform.dtype, device=images.device)[None, None, :]
    source_rows = rows * b1 + cols * b0 + b2
    source_cols = rows * a1 + cols * a0 + a2

    integer = not images.is_floating_point() and not images.is_complex()
    if integer and isinstance(fill_value, (int, float)):
        fill_value = int(fill_value)
    fix = _INDEX_FIXERS[fill_mode]
    batch_index = torch.arange(batch, device=images.device)[:, None, None]
    result = None
    for row, row_weight in _interpolation_nodes(source_rows, interpolation):
        for col, col_weight in _interpolation_nodes(source_cols, interpolation):
            values = images[batch_index, fix(row, height), fix(col, width)]
            if fill_mode == "constant":
                inside = (row >= 0) & (row < height) & (col >= 0) & (col < width)
                values = torch.where(inside[..., None], values, fill_value)
            weight = row_weight * col_weight
            if not isinstance(weight, int):
                weight = weight[..., None]
            contribution = weight * values
            result = contribution if result is None else result + contribution
    if integer and result.is_floating_point():
        result = torch.round(result)
    result = result.to(images.dtype)
    if data_format == "channels_first":
        result = result.permute(0, 3, 1, 2)
    return result[0] if squeeze else result


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


def _check_float(images, op_name):
    if not images.is_floating_point():
        raise ValueError(
            f"{op_name}: invalid images dtype: expected a float dtype. Received: "
            f"images.dtype={str(images.dtype).replace('torch.', '')}"
        )


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
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (3,), "rgb_to_hsv")
    _check_float(images, "rgb_to_hsv")
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
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format, (3,), "hsv_to_rgb")
    _check_float(images, "hsv_to_rgb")
    hue, saturation, value = images.unbind(dim=axis)
    sector = torch.remainder(hue, 1.0) * 6.0
    red = torch.clip((sector - 3.0).abs() - 1.0, 0.0, 1.0)
    green = torch.clip(2.0 - (sector - 2.0).abs(), 0.0, 1.0)
    blue = torch.clip(2.0 - (sector - 4.0).abs(), 0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * plane) for plane in (red, green, blue)]
    return torch.stack(planes, dim=axis)
