"""Images as files, Pillow images and arrays: ``load_img``, ``img_to_array``, ``array_to_img``,
``save_img`` and ``smart_resize``. Pillow is an optional dependency (``cornu[image]``)."""

import io
import pathlib
import warnings

import numpy as np

from cornu import backend, ops

PIL_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def pil_image(what):
    """Pillow's ``Image`` module, or an ImportError saying which extra installs it."""
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError(
            f"`{what}` needs Pillow to read and write images, and it is not installed. "
            'Install it with `pip install "cornu[image]"` (or `pip install pillow`).'
        ) from error
    return Image


def _resampling(image_module, interpolation):
    methods = getattr(image_module, "Resampling", image_module)
    return getattr(methods, interpolation.upper())


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a 3D array ``(height, width, channels)`` to a Pillow image.

    Args:
        x: the image array (1, 3 or 4 channels).
        data_format: ``"channels_last"`` or ``"channels_first"``; defaults to
            ``cornu.config.image_data_format()``.
        scale: rescale the values to ``[0, 255]`` (from their min and max).
        dtype: the dtype the array is read as; defaults to ``cornu.config.floatx()``.

    Returns:
        A ``PIL.Image.Image`` (mode ``"L"``, ``"I"``, ``"RGB"`` or ``"RGBA"``).
    """
    data_format = backend.standardize_data_format(data_format)
    dtype = dtype or backend.floatx()
    image_module = pil_image("array_to_img")
    x = np.asarray(x, dtype=dtype)
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image_module.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit signed grayscale
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def img_to_array(img, data_format=None, dtype=None):
    """Converts a Pillow image to a 3D NumPy array.

    Args:
        img: a Pillow image (or anything ``np.asarray`` reads as a 2D or 3D image).
        data_format: ``"channels_last"`` (``(height, width, channels)``) or
            ``"channels_first"``; defaults to ``cornu.config.image_data_format()``.
        dtype: defaults to ``cornu.config.floatx()``.
    """
    data_format = backend.standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        if data_format == "channels_first":
            return x.reshape((1,) + x.shape)
        return x.reshape(x.shape + (1,))
    raise ValueError(f"Unsupported image shape: {x.shape}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to a file (its format from ``file_format`` or the extension).

    Args:
        path: the file path or a file object.
        x: the 3D image array.
        data_format: the layout of ``x``.
        file_format: e.g. ``"png"``; defaults to the path's extension.
        scale: rescale the values to ``[0, 255]``.
        **kwargs: passed to ``PIL.Image.Image.save``.
    """
    data_format = backend.standardize_data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def convert_color(img, color_mode):
    """A Pillow image in ``color_mode`` (``"grayscale"`` keeps 16 and 32-bit gray)."""
    if color_mode == "grayscale":
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    if color_mode == "rgba":
        return img if img.mode == "RGBA" else img.convert("RGBA")
    if color_mode == "rgb":
        return img if img.mode == "RGB" else img.convert("RGB")
    raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')


def load_img(
    path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False
):
    """Loads an image file into a Pillow image.

    Args:
        path: a path (str, bytes or ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``"grayscale"``, ``"rgb"`` or ``"rgba"``.
        target_size: None (the file's size) or ``(height, width)``.
        interpolation: Pillow's resampling for ``target_size``: ``"nearest"``,
            ``"bilinear"``, ``"bicubic"``, ``"hamming"``, ``"box"`` or ``"lanczos"``.
        keep_aspect_ratio: crop the center to the target's aspect ratio before resizing.

    Returns:
        A ``PIL.Image.Image``.
    """
    image_module = pil_image("load_img")
    if isinstance(path, io.BytesIO):
        img = image_module.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = image_module.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    img = convert_color(img, color_mode)
    if target_size is None:
        return img
    size = (target_size[1], target_size[0])
    if img.size == size:
        return img
    if interpolation not in PIL_INTERPOLATIONS:
        raise ValueError(
            f"Invalid interpolation method {interpolation} specified. Supported methods are "
            f"{', '.join(PIL_INTERPOLATIONS)}"
        )
    resample = _resampling(image_module, interpolation)
    if not keep_aspect_ratio:
        return img.resize(size, resample)
    width, height = img.size
    crop_height = min(height, (width * size[1]) // size[0])
    crop_width = min(width, (height * size[0]) // size[1])
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return img.resize(size, resample, box=[left, top, left + crop_width, top + crop_height])


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resizes images to ``size`` without distorting them: the largest centered crop of the
    target's aspect ratio is resized to ``size``.

    Args:
        x: an image ``(height, width, channels)`` or a batch of them (array or tensor).
        size: ``(height, width)`` of the output.
        interpolation: as ``cornu.ops.image.resize``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        The resized images: a NumPy array for NumPy input, else a tensor.
    """
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = ops.convert_to_tensor(x)
    if len(img.shape) < 3 or len(img.shape) > 4:
        raise ValueError(
            "Expected an image array with shape `(height, width, channels)`, or "
            "`(batch_size, height, width, channels)`, but got input with incorrect rank, "
            f"of shape {tuple(img.shape)}."
        )
    if data_format == "channels_last":
        height, width = img.shape[-3], img.shape[-2]
    else:
        height, width = img.shape[-2], img.shape[-1]
    target_height, target_width = size
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    rows, cols = slice(top, top + crop_height), slice(left, left + crop_width)
    if data_format == "channels_last":
        img = img[..., rows, cols, :]
    else:
        img = img[..., rows, cols]
    img = ops.image.resize(img, size=size, interpolation=interpolation, data_format=data_format)
    if isinstance(x, np.ndarray):
        return ops.convert_to_numpy(img)
    return img
