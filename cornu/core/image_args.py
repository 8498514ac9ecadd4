"""Engine-free pieces of the image ops that every backend shares: the argument checks of
``resize`` and the aspect-ratio crop arithmetic."""

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")


def check_resize_args(size, interpolation, fill_mode, crop_to_aspect_ratio, pad_to_aspect_ratio):
    """Keras's checks of ``resize``'s arguments; returns ``size`` as a ``(height, width)``
    tuple."""
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
    return size


def aspect_crop_box(height, width, target_height, target_width):
    """The largest centered window of the target aspect ratio: (top, left, height, width)."""
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return top, left, crop_height, crop_width
