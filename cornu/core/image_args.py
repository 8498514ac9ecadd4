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


# ---- the sampling ops (map_coordinates, affine, perspective and elastic warps) -------------

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
SAMPLING_INTERPOLATIONS = ("nearest", "bilinear")


def check_interpolation(interpolation):
    """A ValueError unless ``interpolation`` is one the sampling ops know."""
    if interpolation not in SAMPLING_INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected one of "
            f"{SAMPLING_INTERPOLATIONS}. Received: interpolation={interpolation!r}"
        )


def check_fill_mode(fill_mode):
    """A ValueError unless ``fill_mode`` is one the sampling ops know."""
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected one of "
            f"{FILL_MODES}. Received: fill_mode={fill_mode!r}"
        )


def mirror_index(index, size):
    """Integer ``index`` (an array of any engine) folded into ``[0, size)`` mirroring about
    the edge pixels (``c b | a b c``); written with Python operators only (``%`` and ``//``
    floor on every engine)."""
    period = size - 1
    if period == 0:
        return index * 0
    return abs((index + period) % (2 * period) - period)


def reflect_index(index, size):
    """Integer ``index`` folded into ``[0, size)`` reflecting about the image edge
    (``b a | a b c``)."""
    return (mirror_index(2 * index + 1, 2 * size + 1) - 1) // 2


# ---- pad_images / crop_images ----------------------------------------------------------------


def check_non_negative(name, value):
    """A ValueError when ``value`` is given and negative."""
    if value is not None and value < 0:
        raise ValueError(f"{name} must be >= 0. Received: {name}={value}")


def check_sides(names, values):
    """Exactly two of ``(before, after, target)`` given along an axis, none negative."""
    if list(values).count(None) != 1:
        received = ", ".join(f"{k}={v}" for k, v in zip(names, values))
        raise ValueError(f"Must specify exactly two of {', '.join(names)}. Received: {received}")
    for name, value in zip(names, values):
        check_non_negative(name, value)
