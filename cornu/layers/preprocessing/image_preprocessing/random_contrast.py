"""RandomContrast: scales each image's contrast by a random factor during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


class RandomContrast(BaseImagePreprocessingLayer):
    """Adjusts the contrast of each image by a random factor during training; at inference
    the images pass through unchanged.

    For each image and channel, with ``mean`` the channel's mean over height and width, every
    value ``x`` becomes ``(x - mean) * contrast + mean``, clipped to ``value_range``; one
    ``contrast`` is drawn per image, uniformly in ``[1 - lower, 1 + upper]``. In training the
    output is floating (the layer's dtype).

    Note (as in Keras): a single number ``f`` gives ``(lower, upper) = (0, f)``, so contrast
    is only ever raised, in ``[1, 1 + f]``; pass a pair ``(lower, upper)`` to also lower it.

    Args:
        factor: a number in ``[0, 1]`` or a pair ``(lower, upper)`` within ``[0, 1]``.
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        validate_value_range(value_range, "RandomContrast")
        if value_range[0] > value_range[1]:
            raise ValueError(
                "RandomContrast: `value_range` should be `(low, high)` with low <= high. "
                f"Received: value_range={value_range!r}"
            )
        self.value_range = value_range
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        contrast = random.uniform(
            (images.shape[0], 1, 1, 1),
            minval=1.0 - self.factor[0],
            maxval=1.0 + self.factor[1],
            seed=self.generator if seed is None else seed,
            dtype=self.compute_dtype,
        )
        return {"contrast_factor": contrast}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        images = ops.cast(images, self.compute_dtype)
        if self.data_format == "channels_first":
            spatial_axes = (-2, -1)
        else:
            spatial_axes = (-3, -2)
        mean = ops.mean(images, axis=spatial_axes[0], keepdims=True)
        mean = ops.mean(mean, axis=spatial_axes[1], keepdims=True)
        outputs = (images - mean) * transformation["contrast_factor"] + mean
        return ops.clip(outputs, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
