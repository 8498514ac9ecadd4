"""Resizing: resizes images to a fixed height and width."""

import numbers

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")


def check_image_size(layer_name, height, width):
    """``(height, width)`` as ints, or a ValueError naming ``layer_name``."""
    for value in (height, width):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
            raise ValueError(
                f"{layer_name} expects `height` and `width` to be positive integers. "
                f"Received: height={height}, width={width}"
            )
    return int(height), int(width)


def check_image_rank(layer, input_shape):
    """Raises a ValueError naming ``layer`` unless ``input_shape`` has rank 3 or 4."""
    if len(input_shape) not in (3, 4):
        raise ValueError(
            f"Layer {layer.name} ({type(layer).__name__}) expected an image tensor of rank 3 (a "
            f"single image) or 4 (a batch of images). Received: shape={tuple(input_shape)}"
        )


def resized_shape(input_shape, height, width, data_format):
    """``input_shape`` with its height and width axes set to ``height`` and ``width``."""
    shape = list(input_shape)
    offset = 0 if data_format == "channels_last" else 1
    start = len(shape) - 3 + offset
    shape[start], shape[start + 1] = height, width
    return tuple(shape)


class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to ``(height, width)``, in training and at inference alike.

    Args:
        height: the output height.
        width: the output width.
        interpolation: ``"bilinear"`` (default), ``"nearest"``, ``"bicubic"``, ``"area"``,
            ``"lanczos3"`` or ``"lanczos5"``.
        crop_to_aspect_ratio: first crop the largest centered window of the target aspect
            ratio, so the image is not distorted.
        pad_to_aspect_ratio: first pad the short side evenly with ``fill_value`` instead.
        fill_mode: how padded areas are filled; only ``"constant"``.
        fill_value: the padding value.
        antialias: low-pass filter when downsampling.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, h, w, c)`` or ``(h, w, c)`` (channels first when so set).
    Output shape: the same with ``h, w`` replaced by ``height, width``; integer images keep
    their dtype.
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = check_image_size("Resizing", height, width)
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(
                f"Resizing: invalid `interpolation`. Expected one of {_INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )
        if fill_mode != "constant":
            raise ValueError(
                "Resizing: only fill_mode='constant' is supported. "
                f"Received: fill_mode={fill_mode!r}"
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                "Resizing: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be "
                "True."
            )
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def transform_images(self, images, transformation=None, training=True):
        return ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape):
        check_image_rank(self, input_shape)
        return resized_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }
