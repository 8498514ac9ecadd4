"""Image operations on torch tensors: resizing, warps, filters, crops and patches."""

import math

import torch
import torch.nn.functional as F

from cornu.backend.torch import image_filters, image_sampling
from cornu.backend.torch.core import convert_to_tensor, to_torch_dtype
from cornu.backend.torch.image_color import hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv
from cornu.backend.torch.image_filters import scale_and_translate
from cornu.backend.torch.image_sampling import check_rank as _check_rank
from cornu.backend.torch.image_sampling import map_coordinates, sample
from cornu.core.config import standardize_data_format
from cornu.core.image_args import aspect_crop_box, check_resize_args

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
from cornu.backend.torch.nn import conv

_INTERPOLATE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
AFFINE_TRANSFORM_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_TRANSFORM_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _saturate_round(x, dtype):
    """Float ``x`` rounded and clipped into the range of the integer ``dtype``."""
    info = torch.iinfo(dtype)
    return torch.round(x).clamp(info.min, info.max).to(dtype)


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
    size = check_resize_args(
        size, interpolation, fill_mode, crop_to_aspect_ratio, pad_to_aspect_ratio
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
        top, left, height, width = aspect_crop_box(*images.shape[-2:], *size)
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

    batch_index = torch.arange(batch, device=images.device)[:, None, None]
    order = 0 if interpolation == "nearest" else 1
    result = sample(
        images, [source_rows, source_cols], order, fill_mode, fill_value, leading=(batch_index,)
    )
    if data_format == "channels_first":
        result = result.permute(0, 3, 1, 2)
    return result[0] if squeeze else result


def _to_batch(images, data_format, layout):
    """``images`` as a batch in ``layout`` (``"nhwc"`` or ``"nchw"``), and how to undo it."""
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    permute = (data_format == "channels_first") != (layout == "nchw")
    if permute:
        images = images.permute(0, 2, 3, 1) if layout == "nhwc" else images.permute(0, 3, 1, 2)

    def restore(result):
        if permute:
            result = result.permute(0, 3, 1, 2) if layout == "nhwc" else result.permute(0, 2, 3, 1)
        return result[0] if squeeze else result

    return images, restore


def _check_interpolation(interpolation):
    if interpolation not in AFFINE_TRANSFORM_INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected one of "
            f"{AFFINE_TRANSFORM_INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )


def _check_points(name, points):
    if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
        raise ValueError(
            f"Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a batch. "
            f"Received shape: {tuple(points.shape)}"
        )


def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """Warps images so that the four ``start_points`` land on the four ``end_points``.

    Args:
        images: an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` (channels first when
            ``data_format="channels_first"``).
        start_points: ``(4, 2)`` or ``(n, 4, 2)`` ``(x, y)`` points of the input.
        end_points: where those points go in the output, of the same shape.
        interpolation: ``"nearest"`` or ``"bilinear"``.
        fill_value: the value of output points whose source lies outside the input.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The warped images, of the shape and dtype of ``images``.
    """
    data_format = standardize_data_format(data_format)
    _check_interpolation(interpolation)
    images = convert_to_tensor(images)
    _check_rank(images)
    start_points = convert_to_tensor(start_points, dtype=images.dtype).to(images.device)
    end_points = convert_to_tensor(end_points, dtype=images.dtype).to(images.device)
    _check_points("start_points", start_points)
    _check_points("end_points", end_points)
    if start_points.shape != end_points.shape:
        raise ValueError(
            "start_points and end_points must have the same shape. Received "
            f"start_points.shape={tuple(start_points.shape)}, "
            f"end_points.shape={tuple(end_points.shape)}"
        )
    images, restore = _to_batch(images, data_format, "nhwc")
    transforms = image_sampling.homography(
        start_points.reshape(-1, 4, 2), end_points.reshape(-1, 4, 2)
    )
    if transforms.shape[0] == 1 and images.shape[0] > 1:
        transforms = transforms.expand(images.shape[0], 8)
    order = 0 if interpolation == "nearest" else 1
    return restore(image_sampling.perspective_nhwc(images, transforms, order, fill_value))


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel of the images with a Gaussian kernel.

    Args:
        images: an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` (channels first when
            ``data_format="channels_first"``).
        kernel_size: two ints. As in Keras, the first sizes the kernel along the width and the
            second along the height (the same for the usual square kernel).
        sigma: two floats, the standard deviations in the same order as ``kernel_size``.
        data_format: ``"channels_last"`` or ``"channels_first"``. When None it is
            ``image_data_format()`` as documented (Keras's own torch and JAX kernels take None
            as channels first); even kernel sizes pad to keep the image size.

    Returns:
        The blurred images, of the shape and dtype of ``images``.
    """
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    _check_rank(images)
    kernel_size = tuple(int(k) for k in kernel_size)
    images, restore = _to_batch(images, data_format, "nchw")
    return restore(image_filters.blur_nchw(images, kernel_size, sigma))


def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """Deforms images along smooth random displacement fields.

    Two fields of standard normal noise (times ``sigma``) are blurred by a Gaussian of
    standard deviation ``sigma`` and ``int(6 * sigma) | 1`` taps; each output pixel reads the
    input ``alpha`` times its displacement away.

    Args:
        images: an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` (channels first when
            ``data_format="channels_first"``), floating.
        alpha: the strength of the deformation.
        sigma: the smoothness of the displacement fields.
        interpolation: ``"nearest"`` or ``"bilinear"``.
        fill_mode: ``"constant"``, ``"nearest"``, ``"wrap"``, ``"mirror"`` or ``"reflect"``.
        fill_value: the value outside the image for ``fill_mode="constant"``.
        seed: None draws the noise from torch's global generator, which is all Keras on torch
            ever does (it ignores ``seed``); an int or a SeedGenerator draws it reproducibly.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The deformed images, of the shape and dtype of ``images``.
    """
    data_format = standardize_data_format(data_format)
    _check_interpolation(interpolation)
    if fill_mode not in AFFINE_TRANSFORM_FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected one of "
            f"{AFFINE_TRANSFORM_FILL_MODES}. Received: fill_mode={fill_mode!r}"
        )
    images = convert_to_tensor(images)
    _check_rank(images)
    images, restore = _to_batch(images, data_format, "nhwc")
    alpha = convert_to_tensor(alpha).to(images.device)
    sigma = convert_to_tensor(sigma).to(images.device)
    taps = int(6 * sigma) | 1
    dx, dy = image_sampling.elastic_displacements(
        images.shape[:3],
        sigma,
        images.dtype,
        images.device,
        seed,
        lambda field: image_filters.blur_nchw(field[:, None], (taps, taps), (sigma, sigma))[:, 0],
    )
    order = 0 if interpolation == "nearest" else 1
    return restore(image_sampling.elastic_nhwc(images, dx, dy, alpha, order, fill_mode, fill_value))


def sobel_edges(images, data_format=None):
    """The Sobel gradients of each channel of a batch of images.

    Args:
        images: ``(n, h, w, c)`` (``(n, c, h, w)`` when ``data_format="channels_first"``).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(n, h, w, c, 2)`` (``(n, c, h, w, 2)`` channels first): the vertical gradient
        ``dy`` then the horizontal ``dx`` (zero padding at the borders).
    """
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    if images.ndim != 4:
        raise ValueError(
            "Invalid images rank: expected rank 4 (batch of images). "
            f"Received: images.shape={list(images.shape)}"
        )
    if data_format == "channels_last":
        return image_filters.sobel_nchw(images.permute(0, 3, 1, 2)).permute(0, 2, 3, 1, 4)
    return image_filters.sobel_nchw(images)


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
    """The structural similarity (SSIM) of two images or two batches of images.

    Args:
        image1: an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` (channels first when
            ``data_format="channels_first"``).
        image2: images of the same shape.
        max_val: the dynamic range of the values (1.0 for ``[0, 1]``, 255.0 for bytes).
        filter_size: the size of the Gaussian window of the local statistics.
        filter_sigma: its standard deviation.
        k1, k2: the stabilizing constants (``c1 = (k1 * max_val) ** 2``, likewise ``c2``).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(n,)`` similarities (a scalar for single images), 1 for identical images, of the
        dtype of ``image1``.
    """
    data_format = standardize_data_format(data_format)
    image1, image2 = convert_to_tensor(image1), convert_to_tensor(image2)
    for name, image in (("image1", image1), ("image2", image2)):
        if image.ndim not in (3, 4):
            raise ValueError(
                f"Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch of "
                f"images). Received input with shape: {name}.shape={tuple(image.shape)}"
            )
    out_dtype, single = image1.dtype, image1.ndim == 3
    compute = out_dtype if out_dtype.is_floating_point else to_torch_dtype(None)
    image1, _ = _to_batch(image1.to(compute), data_format, "nhwc")
    image2, _ = _to_batch(image2.to(compute).to(image1.device), data_format, "nhwc")
    result = image_filters.ssim_nhwc(image1, image2, max_val, filter_size, filter_sigma, k1, k2)
    return (result[0] if single else result).to(out_dtype)


def _check_sides(names, values):
    """Checks that exactly two of ``(before, after, target)`` along one axis are given, and
    that none is negative."""
    if list(values).count(None) != 1:
        received = ", ".join(f"{k}={v}" for k, v in zip(names, values))
        raise ValueError(f"Must specify exactly two of {', '.join(names)}. Received: {received}")
    for name, value in zip(names, values):
        _check_non_negative(name, value)


def _check_non_negative(name, value):
    if value is not None and value < 0:
        raise ValueError(f"{name} must be >= 0. Received: {name}={value}")


def _spatial_sizes(images, data_format, op):
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Invalid images rank for `{op}`: expected rank 3 (single image) or rank 4 (batch "
            f"of images). Received: images.shape={list(images.shape)}"
        )
    axes = (-3, -2) if data_format == "channels_last" else (-2, -1)
    return axes, images.shape[axes[0]], images.shape[axes[1]]


def _sides_per_axis(images, data_format, op, word, height_args, width_args):
    """``images`` as a tensor, its (height, width) axes, and an iterator over the height then
    the width axis of ``(names, (before, after, target), size)``: the argument names
    (``top_<word>``, ...), their values, checked as each axis is reached, and the axis size."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    axes, height, width = _spatial_sizes(images, data_format, op)

    def per_axis():
        for (before, after, target), values, size in (
            (("top", "bottom", "target_height"), height_args, height),
            (("left", "right", "target_width"), width_args, width),
        ):
            names = (f"{before}_{word}", f"{after}_{word}", target)
            _check_sides(names, values)
            yield names, values, size

    return images, axes, per_axis()


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
    """Pads images with zeros to a given size.

    Along each axis give exactly two of the paddings and the target size (e.g.
    ``top_padding`` and ``target_height``); the third follows.

    Args:
        images: an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` (channels first when
            ``data_format="channels_first"``).
        top_padding, bottom_padding: rows of zeros added above and below.
        left_padding, right_padding: columns of zeros added left and right.
        target_height, target_width: the output size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The padded images, of the dtype of ``images``.
    """
    images, (_, width_axis), sides = _sides_per_axis(
        images,
        data_format,
        "pad_images",
        "padding",
        (top_padding, bottom_padding, target_height),
        (left_padding, right_padding, target_width),
    )
    pads = []
    for names, (before, after, target), size in sides:
        if before is None:
            before = target - after - size
        if after is None:
            after = target - before - size
        _check_non_negative(names[0], before)
        _check_non_negative(names[1], after)
        pads.append((before, after))
    (top, bottom), (left, right) = pads
    if width_axis == -2:  # channels last: F.pad starts from the last (channel) axis
        return F.pad(images, (0, 0, left, right, top, bottom))
    return F.pad(images, (left, right, top, bottom))


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
    """Crops images to a given size.

    Along each axis give exactly two of the croppings and the target size (e.g.
    ``top_cropping`` and ``target_height``); the third follows.

    Args:
        images: an image ``(h, w, c)`` or a batch ``(n, h, w, c)`` (channels first when
            ``data_format="channels_first"``).
        top_cropping, bottom_cropping: rows removed at the top and bottom.
        left_cropping, right_cropping: columns removed left and right.
        target_height, target_width: the output size.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The cropped images, of the dtype of ``images``.
    """
    images, (height_axis, width_axis), sides = _sides_per_axis(
        images,
        data_format,
        "crop_images",
        "cropping",
        (top_cropping, bottom_cropping, target_height),
        (left_cropping, right_cropping, target_width),
    )
    windows = []
    for names, values, size in sides:
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
        windows.append((start, target))
    (top, crop_height), (left, crop_width) = windows
    images = images.narrow(images.ndim + height_axis, top, crop_height)
    return images.narrow(images.ndim + width_axis, left, crop_width)


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
    kernel = torch.eye(out_dim, dtype=images.dtype, device=images.device).reshape(
        *size, channels, out_dim
    )
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
    """Extracts patches from images (a ``size`` of two) or volumes (a ``size`` of three).

    Args:
        images: 2D: ``(h, w, c)`` or ``(n, h, w, c)``; 3D: ``(d, h, w, c)`` or
            ``(n, d, h, w, c)`` (channels first when ``data_format="channels_first"``).
        size: an int (a square patch) or ``(ph, pw)``, or ``(pd, ph, pw)`` for volumes.
        strides: the step between patches; ``size`` (non-overlapping) by default.
        dilation_rate: the spacing of the pixels a patch takes.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(n, out_h, out_w, ph * pw * c)`` (or the 3D analogue), each patch flattened in
        ``(row, column, channel)`` order; without the batch axis for a single image.
    """
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
    """Extracts patches from volumes ``(d, h, w, c)`` or ``(n, d, h, w, c)``.

    Args:
        volumes: a volume or a batch (channels first when ``data_format="channels_first"``).
        size: an int (a cube) or ``(pd, ph, pw)``.
        strides: the step between patches; ``size`` (non-overlapping) by default.
        dilation_rate: the spacing of the voxels a patch takes.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        ``(n, out_d, out_h, out_w, pd * ph * pw * c)``; without the batch axis for a single
        volume.
    """
    if not isinstance(size, int) and len(size) != 3:
        raise TypeError(
            "Invalid `size` argument. Expected an int or a tuple of length 3. "
            f"Received: size={size}"
        )
    return _extract(
        volumes, size, strides, dilation_rate, padding, data_format, 3, "extract_patches_3d"
    )
