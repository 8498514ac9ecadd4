"""RandomBrightness: adds a random brightness offset to each image during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


class RandomBrightness(BaseImagePreprocessingLayer):
    """Shifts the brightness of each image by a random amount during training; at inference
    the images pass through unchanged.

    Each image gets ``delta * (high - low)`` added to all its pixels, with ``delta`` drawn
    uniformly from the factor range and ``(low, high) = value_range``; the result is clipped to
    ``value_range``. A delta of -1 gives a black image, 1 a white one. In training the output
    is floating (the layer's dtype), so integer images do not wrap around.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (deltas in ``[-f, f]``) or a pair
            ``(lower, upper)`` within ``[-1, 1]``.
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default;
            ``(0, 1)`` for images already scaled).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.value_range = sorted(validate_value_range(value_range, "RandomBrightness"))

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        delta = random.uniform(
            (images.shape[0], 1, 1, 1),
            minval=self.factor[0],
            maxval=self.factor[1],
            seed=self.generator if seed is None else seed,
        )
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        images = ops.cast(images, self.compute_dtype)
        images = images + ops.cast(transformation["rgb_delta"], self.compute_dtype)
        return ops.clip(images, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
