"""Image operations on TensorFlow tensors: resizing, padding and cropping, patches, filters
and colour spaces, with the numbers of the torch backend. Resizing multiplies by one
resampling matrix per spatial axis, computed on the host from the (static) sizes, so every op
traces inside a ``tf.function``."""

import math

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor
from cornu.backend.tensorflow.image_color import (  # noqa: F401  (bound as image.*)
    check_rank,
    hsv_to_rgb,
    is_float,
    rgb_to_grayscale,
    rgb_to_hsv,
)
from cornu.backend.tensorflow.image_filters import (  # noqa: F401  (bound as image.*)
    blur_nhwc,
    conv_nd,
    scale_and_translate,
    sobel_nhwc,
    ssim_nhwc,
)
from cornu.backend.tensorflow.image_sampling import (  # noqa: F401  (bound as image.*)
    affine_transform,
    elastic_transform,
    map_coordinates,
    perspective_transform,
    to_nhwc,
)
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
    fill = tf.cast(fill_value, images.dtype)
    if top > 0:
        return tf.pad(images, [[0, 0], [top, top], [0, 0], [0, 0]], constant_values=fill)
    if left > 0:
        return tf.pad(images, [[0, 0], [0, 0], [left, left], [0, 0]], constant_values=fill)
    return images


def _saturate_round(x, dtype):
    low, high = float(dtype.min), float(dtype.max)
    return tf.cast(tf.clip_by_value(tf.round(x), low, high), dtype)


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
    width)`` with ``"bilinear"``, ``"nearest"``, ``"bicubic"`` (as torch's ``interpolate``),
    ``"area"`` or ``"lanczos3"``/``"lanczos5"``; integers are rounded and saturated."""
    data_format = standardize_data_format(data_format)
    size = check_resize_args(
        size, interpolation, fill_mode, crop_to_aspect_ratio, pad_to_aspect_ratio
    )
    images = convert_to_tensor(images)
    check_rank(images)
    out_dtype = images.dtype
    work, restore = to_nhwc(images, data_format)
    if work.dtype not in (tf.float32, tf.float64):
        work = tf.cast(work, tf.float32)
    if crop_to_aspect_ratio:
        top, left, height, width = aspect_crop_box(*work.shape[1:3], *size)
        work = work[:, top : top + height, left : left + width]
    elif pad_to_aspect_ratio:
        work = _pad_to_aspect_ratio(work, *size, fill_value)
    for axis, n_out in ((1, size[0]), (2, size[1])):
        n_in = work.shape[axis]
        if n_in == n_out and interpolation != "area":
            continue
        weights = resize_weights(n_in, n_out, interpolation, antialias)
        weights = tf.constant(weights.astype(work.dtype.as_numpy_dtype))
        equation = "bhwc,hk->bkwc" if axis == 1 else "bhwc,wk->bhkc"
        work = tf.einsum(equation, work, weights)
    if work.dtype != out_dtype:
        if out_dtype.is_floating:
            work = tf.cast(work, out_dtype)
        else:
            work = _saturate_round(work, out_dtype)
    return restore(work)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel with a Gaussian kernel (``kernel_size[0]``/``sigma[0]`` along the
    width, ``[1]`` along the height, as Keras); zero padding keeps the size. ``sigma`` may be
    a tensor (a random augmentation's draw)."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    check_rank(images)
    kernel_size = tuple(int(k) for k in kernel_size)
    batch, restore = to_nhwc(images, data_format)
    work = batch if is_float(batch) else tf.cast(batch, tf.float32)
    return restore(tf.cast(blur_nhwc(work, kernel_size, sigma), batch.dtype))


def sobel_edges(images, data_format=None):
    """``(n, h, w, c, 2)`` (``(n, c, h, w, 2)`` channels first): the vertical then horizontal
    Sobel gradients of each channel (zero padding)."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    if images.shape.rank != 4:
        raise ValueError(
            "Invalid images rank: expected rank 4 (batch of images). "
            f"Received: images.shape={list(images.shape)}"
        )
    batch, _ = to_nhwc(images, data_format)
    out = sobel_nhwc(batch)
    return tf.transpose(out, (0, 3, 1, 2, 4)) if data_format == "channels_first" else out


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
    images) of ``image1``'s dtype, local statistics under a Gaussian window (valid positions
    only); 1 for identical images."""
    data_format = standardize_data_format(data_format)
    image1, image2 = convert_to_tensor(image1), convert_to_tensor(image2)
    for name, image in (("image1", image1), ("image2", image2)):
        if image.shape.rank not in (3, 4):
            raise ValueError(
                f"Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch of "
                f"images). Received input with shape: {name}.shape={tuple(image.shape)}"
            )
    out_dtype, single = image1.dtype, image1.shape.rank == 3
    compute = out_dtype if out_dtype.is_floating else tf.float32
    a, _ = to_nhwc(tf.cast(image1, compute), data_format)
    b, _ = to_nhwc(tf.cast(image2, compute), data_format)
    result = tf.cast(ssim_nhwc(a, b, max_val, filter_size, filter_sigma, k1, k2), out_dtype)
    return result[0] if single else result


def _sides_per_axis(images, data_format, op, word, height_args, width_args):
    """``images`` as a tensor, its (height, width) axes, and per axis ``(names, (before,
    after, target), size)``, checked as each axis is reached."""
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    if images.shape.rank not in (3, 4):
        raise ValueError(
            f"Invalid images rank for `{op}`: expected rank 3 (single image) or rank 4 (batch "
            f"of images). Received: images.shape={list(images.shape)}"
        )
    axes = (-3, -2) if data_format == "channels_last" else (-2, -1)

    def per_axis():
        for (before, after, target), values, axis in (
            (("top", "bottom", "target_height"), height_args, axes[0]),
            (("left", "right", "target_width"), width_args, axes[1]),
        ):
            names = (f"{before}_{word}", f"{after}_{word}", target)
            _check_sides(names, values)
            yield names, values, images.shape[axis]

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
    """Pads images with zeros: along each axis give two of the paddings and the target
    size; the third follows."""
    images, axes, sides = _sides_per_axis(
        images,
        data_format,
        "pad_images",
        "padding",
        (top_padding, bottom_padding, target_height),
        (left_padding, right_padding, target_width),
    )
    rank = images.shape.rank
    widths = [[0, 0]] * rank
    for axis, (names, (before, after, target), size) in zip(axes, sides):
        if before is None:
            before = target - after - size
        if after is None:
            after = target - before - size
        _check_non_negative(names[0], before)
        _check_non_negative(names[1], after)
        widths[rank + axis] = [int(before), int(after)]
    return tf.pad(images, widths)


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
    """Crops images: along each axis give two of the croppings and the target size; the
    third follows."""
    images, axes, sides = _sides_per_axis(
        images,
        data_format,
        "crop_images",
        "cropping",
        (top_cropping, bottom_cropping, target_height),
        (left_cropping, right_cropping, target_width),
    )
    rank = images.shape.rank
    index = [slice(None)] * rank
    for axis, (names, values, size) in zip(axes, sides):
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
        index[rank + axis] = slice(start, start + target)
    return images[tuple(index)]


def _extract(images, size, strides, dilation_rate, padding, data_format, rank, op):
    data_format = standardize_data_format(data_format)
    images = convert_to_tensor(images)
    if images.shape.rank not in (rank + 1, rank + 2):
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
    channels_last = data_format == "channels_last"
    channels = images.shape[-1] if channels_last else images.shape[-rank - 1]
    out_dim = math.prod(size) * channels
    kernel = tf.reshape(tf.eye(out_dim, dtype=images.dtype), (*size, channels, out_dim))
    single = images.shape.rank == rank + 1
    batch = images[None] if single else images
    if not channels_last:
        batch = tf.transpose(batch, [0, *range(2, rank + 2), 1])
    patches = conv_nd(batch, kernel, strides=strides, padding=padding, dilation=dilation_rate)
    if not channels_last:
        patches = tf.transpose(patches, [0, rank + 1, *range(1, rank + 1)])
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
