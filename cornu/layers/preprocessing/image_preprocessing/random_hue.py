"""RandomHue: rotates the hue of each image by a random amount during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


def channel_planes(images, data_format):
    """The three channel planes of a batch of 3-channel images."""
    if data_format == "channels_first":
        return images[:, 0, :, :], images[:, 1, :, :], images[:, 2, :, :]
    return images[..., 0], images[..., 1], images[..., 2]


def stack_planes(planes, data_format):
    """The inverse of ``channel_planes``."""
    return ops.stack(planes, axis=1 if data_format == "channels_first" else -1)


class RandomHue(BaseImagePreprocessingLayer):
    """Shifts the hue of each image by a random amount during training; at inference the
    images pass through unchanged.

    The images are mapped from ``value_range`` to ``[0, 1]`` and to HSV; each image's hue is
    shifted by ``±delta / 2`` (the sign drawn at random, ``delta`` uniformly from the factor
    range) and wrapped into ``[0, 1]``; then the images go back to RGB, are clipped, and are
    mapped back to ``value_range``. Inputs must have 3 channels.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (deltas in ``[0, f]``) or a pair
            ``(lower, upper)`` within ``[0, 1]``. ``0.5`` can turn hues half a circle.
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, 3)`` or a single ``(height, width, 3)``
    image (channels first with ``"channels_first"``).
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self._set_value_range_and_seed(value_range, seed, sort=False)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        seed = self.generator if seed is None else seed
        batch = images.shape[0]
        invert = random.uniform((batch,), seed=seed)
        invert = ops.where(invert > 0.5, -ops.ones_like(invert), ops.ones_like(invert))
        delta = random.uniform((batch,), minval=self.factor[0], maxval=self.factor[1], seed=seed)
        return {"factor": invert * delta * 0.5}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        images = self._transform_value_range(images, self.value_range, (0, 1))
        shift = ops.cast(transformation["factor"], images.dtype)[:, None, None]
        hue, saturation, value = channel_planes(
            ops.image.rgb_to_hsv(images, data_format=self.data_format), self.data_format
        )
        hue = hue + shift
        hue = ops.where(hue > 1.0, hue - 1.0, hue)
        hue = ops.where(hue < 0.0, hue + 1.0, hue)
        images = stack_planes((hue, saturation, value), self.data_format)
        images = ops.image.hsv_to_rgb(images, data_format=self.data_format)
        images = self._transform_value_range(ops.clip(images, 0, 1), (0, 1), self.value_range)
        return ops.cast(images, self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
