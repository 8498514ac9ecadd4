"""Image operations on NumPy arrays: resizing, padding and cropping, patches, filters and
colour spaces, with the numbers of Keras's torch backend. Resizing multiplies by one
resampling matrix per spatial axis."""

import math

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor
from cornu.backend.numpy.image_color import check_rank, hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv
from cornu.backend.numpy.image_sampling import (  # noqa: F401  (bound as image.*)
    affine_transform,
    elastic_transform,
    map_coordinates,
    perspective_transform,
    scale_and_translate,
)
from cornu.backend.numpy.nn_conv import conv
from cornu.core.config import standardize_data_format
from cornu.core.image_args import aspect_crop_box, check_resize_args
from cornu.core.image_args import check_non_negative as _check_non_negative
from cornu.core.image_args import check_sides as _check_sides
from cornu.core.resize_weights import resize_weights

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]


def _pad_to_aspect_ratio(images, target_height, target_width, fill_value):
    """Pads NHWC ``images`` evenly on the short side to the target aspect ratio."""
    height, width = images.shape[1:3]
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    top = int(float(pad_height - height) / 2)
    left = int(float(pad_width - width) / 2)
    if top > 0:
        return np.pad(images, [(0, 0), (top, top), (0, 0), (0, 0)], constant_values=fill_value)
    if left > 0:
        return np.pad(images, [(0, 0), (0, 0), (left, left), (0, 0)], constant_values=fill_value)
    return images


def _saturate_round(x, dtype):
    info = np.iinfo(dtype)
    return np.clip(np.round(x), info.min, info.max).astype(dtype)


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
    """Resizes an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` to ``size = (height,
    width)``, as Keras's torch backend does (integers are rounded and saturated)."""
    data_format = standardize_data_format(data_format)
    size = check_resize_args(
        size, interpolation, fill_mode, crop_to_aspect_ratio, pad_to_aspect_ratio
    )
    images = convert_to_tensor(images)
    check_rank(images)
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    out_dtype = images.dtype
    work = images.astype(out_dtype if out_dtype in (np.float32, np.float64) else np.float32)
    if data_format == "channels_first":
        work = work.transpose(0, 2, 3, 1)
    if crop_to_aspect_ratio:
        top, left, height, width = aspect_crop_box(*work.shape[1:3], *size)
        work = work[:, top : top + height, left : left + width]
    elif pad_to_aspect_ratio:
        work = _pad_to_aspect_ratio(work, *size, fill_value)
    for axis, n_out in ((1, size[0]), (2, size[1])):
        n_in = work.shape[axis]
        if n_in == n_out and interpolation != "area":
            continue
        weights = resize_weights(n_in, n_out, interpolation, antialias).astype(work.dtype)
        equation = "bhwc,hk->bkwc" if axis == 1 else "bhwc,wk->bhkc"
        work = np.einsum(equation, work, weights)
    if data_format == "channels_first":
        work = work.transpose(0, 3, 1, 2)
    if work.dtype != out_dtype:
        work = work.astype(out_dtype) if out_dtype.kind == "f" else _saturate_round(work, out_dtype)
    return work[0] if squeeze else work


def _to_nhwc(images, data_format):
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    first = data_format == "channels_first"
    if first:
        images = images.transpose(0, 2, 3, 1)

    def restore(result):
        if first:
            result = np.moveaxis(result, 3, 1)
        return result[0] if squeeze else result

    return images, restore


def _gaussian_1d(size, sigma, dtype):
    x = np.arange(size, dtype=dtype) - (size - 1) / 2
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel with a Gaussian kernel (``kernel_size[0]``/``sigma[0]`` along the
    width, ``[1]`` along the height, as Keras); zero padding keeps the size."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    check_rank(images)
    kernel_size = tuple(int(k) for k in kernel_size)
    sigma = np.asarray(convert_to_tensor(sigma), dtype=np.float64).reshape(-1)
    batch, restore = _to_nhwc(images, data_format)
    dtype = batch.dtype if batch.dtype.kind == "f" else np.dtype(np.float32)
    across = _gaussian_1d(kernel_size[0], sigma[0], dtype)
    down = _gaussian_1d(kernel_size[1], sigma[-1], dtype)
    kernel = np.outer(down, across).astype(dtype)
    channels = batch.shape[-1]
    depthwise = np.broadcast_to(kernel[:, :, None, None], kernel.shape + (1, channels))
    top = (kernel_size[1] - 1) // 2
    left = (kernel_size[0] - 1) // 2
    padded = np.pad(
        batch.astype(dtype),
        [(0, 0), (top, kernel_size[1] - 1 - top), (left, kernel_size[0] - 1 - left), (0, 0)],
    )
    return restore(conv(padded, depthwise, data_format="channels_last").astype(batch.dtype))


def sobel_edges(images, data_format=None):
    """``(n, h, w, c, 2)``: the vertical then horizontal Sobel gradients (zero padding)."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    if images.ndim != 4:
        raise ValueError(
            "Invalid images rank: expected rank 4 (batch of images). "
            f"Received: images.shape={list(images.shape)}"
        )
    batch, _ = _to_nhwc(images, data_format)
    horizontal = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=batch.dtype)
    padded = np.pad(batch, [(0, 0), (1, 1), (1, 1), (0, 0)])
    channels = batch.shape[-1]
    edges = []
    for k in (horizontal.T, horizontal):
        depthwise = np.broadcast_to(k[:, :, None, None], (3, 3, 1, channels))
        edges.append(conv(padded, depthwise, data_format="channels_last"))
    out = np.stack(edges, axis=-1)
    return out.transpose(0, 3, 1, 2, 4) if data_format == "channels_first" else out


def ssim(
    image1,
    image2,
    max_val=1.0,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    data_format=None,
):
    """The structural similarity of two images or batches: ``(n,)`` (a scalar for single
    images), local statistics under a Gaussian window (valid positions only)."""
    data_format = standardize_data_format(data_format)
    image1, image2 = convert_to_tensor(image1), convert_to_tensor(image2)
    for name, image in (("image1", image1), ("image2", image2)):
        if image.ndim not in (3, 4):
            raise ValueError(
                f"Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch of "
                f"images). Received input with shape: {name}.shape={tuple(image.shape)}"
            )
    out_dtype, single = image1.dtype, image1.ndim == 3
    compute = out_dtype if out_dtype.kind == "f" else np.dtype(np.float32)
    a, _ = _to_nhwc(image1.astype(compute), data_format)
    b, _ = _to_nhwc(image2.astype(compute), data_format)
    gauss = _gaussian_1d(filter_size, filter_sigma, compute)
    kernel = np.outer(gauss, gauss)[:, :, None, None].astype(compute)
    batch, height, width, channels = a.shape

    def local_mean(values):
        flat = values.transpose(0, 3, 1, 2).reshape(-1, height, width, 1)
        return conv(flat, kernel, data_format="channels_last")

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu1, mu2 = local_mean(a), local_mean(b)
    sigma1 = local_mean(a * a) - mu1 * mu1
    sigma2 = local_mean(b * b) - mu2 * mu2
    sigma12 = local_mean(a * b) - mu1 * mu2
    numerator = (2.0 * mu1 * mu2 + c1) * (2.0 * sigma12 + c2)
    denominator = (mu1 * mu1 + mu2 * mu2 + c1) * (sigma1 + sigma2 + c2)
    per_channel = (numerator / denominator).mean(axis=(1, 2, 3)).reshape(batch, channels)
    result = per_channel.mean(-1).astype(out_dtype)
    return result[0] if single else result


def _spatial_sizes(images, data_format, op):
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Invalid images rank for `{op}`: expected rank 3 (single image) or rank 4 (batch "
            f"of images). Received: images.shape={list(images.shape)}"
        )
    axes = (-3, -2) if data_format == "channels_last" else (-2, -1)
    return axes, images.shape[axes[0]], images.shape[axes[1]]


def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Pads images with zeros: along each axis give two of the paddings and the target size."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    (height_axis, width_axis), height, width = _spatial_sizes(images, data_format, "pad_images")
    widths = [(0, 0)] * images.ndim
    for names, (before, after, target), size, axis in (
        (
            ("top_padding", "bottom_padding", "target_height"),
            (top_padding, bottom_padding, target_height),
            height,
            height_axis,
        ),
        (
            ("left_padding", "right_padding", "target_width"),
            (left_padding, right_padding, target_width),
            width,
            width_axis,
        ),
    ):
        _check_sides(names, (before, after, target))
        if before is None:
            before = target - after - size
        if after is None:
            after = target - before - size
        _check_non_negative(names[0], before)
        _check_non_negative(names[1], after)
        widths[axis] = (before, after)
    return np.pad(images, widths)


def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Crops images: along each axis give two of the croppings and the target size."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    (height_axis, width_axis), height, width = _spatial_sizes(images, data_format, "crop_images")
    index = [slice(None)] * images.ndim
    for names, values, size, axis in (
        (
            ("top_cropping", "bottom_cropping", "target_height"),
            (top_cropping, bottom_cropping, target_height),
            height,
            height_axis,
        ),
        (
            ("left_cropping", "right_cropping", "target_width"),
            (left_cropping, right_cropping, target_width),
            width,
            width_axis,
        ),
    ):
        _check_sides(names, values)
        start, end, target = values
        if start is None:
            start = size - target - end
        if target is None:
            target = size - end - start
        _check_non_negative(names[0], start)
        _check_non_negative(names[2], target)
        if start + target > size:
            raise ValueError(
                f"`crop_images` cannot take {target} pixels from offset {start} of an axis of "
                f"size {size}. Received: {names[0]}={values[0]}, {names[1]}={values[1]}, "
                f"{names[2]}={values[2]}"
            )
        index[axis] = slice(start, start + target)
    return images[tuple(index)]


def _extract(images, size, strides, dilation_rate, padding, data_format, rank, op):
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    if images.ndim not in (rank + 1, rank + 2):
        raise ValueError(
            f"`{op}` expects a {'volume' if rank == 3 else 'image'} of rank {rank + 1} or a batch "
            f"of rank {rank + 2}. Received: shape={tuple(images.shape)}"
        )
    size = (size,) * rank if isinstance(size, int) else tuple(size)
    if strides is None or (not strides and rank == 2):
        strides = size
    if isinstance(strides, int):
        strides = (strides,) * rank
    if len(strides) != rank:
        raise ValueError(f"Invalid `strides` argument. Got: {strides}")
    channels = images.shape[-1] if data_format == "channels_last" else images.shape[-rank - 1]
    out_dim = math.prod(size) * channels
    kernel = np.eye(out_dim, dtype=images.dtype).reshape(*size, channels, out_dim)
    single = images.ndim == rank + 1
    patches = conv(
        images[None] if single else images,
        kernel,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilation_rate=dilation_rate,
    )
    return patches[0] if single else patches


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Patches of images (a ``size`` of two) or volumes (three), each flattened in
    ``(row, column, channel)`` order on the last axis."""
    if not isinstance(size, int):
        if not isinstance(size, (tuple, list)):
            raise TypeError(
                "Invalid `size` argument. Expected an int or a tuple. "
                f"Received: size={size} of type {type(size).__name__}"
            )
        if len(size) not in (2, 3):
            raise ValueError(
                "Invalid `size` argument. Expected a tuple of length 2 or 3. "
                f"Received: size={size} with length {len(size)}"
            )
    rank = 3 if not isinstance(size, int) and len(size) == 3 else 2
    return _extract(
        images, size, strides, dilation_rate, padding, data_format, rank, "extract_patches"
    )


def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Patches of volumes ``(d, h, w, c)`` or ``(n, d, h, w, c)``."""
    if not isinstance(size, int) and len(size) != 3:
        raise TypeError(
            "Invalid `size` argument. Expected an int or a tuple of length 3. "
            f"Received: size={size}"
        )
    return _extract(
        volumes, size, strides, dilation_rate, padding, data_format, 3, "extract_patches_3d"
    )
