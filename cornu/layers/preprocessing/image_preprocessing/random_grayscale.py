"""RandomGrayscale: turns each image gray with a given probability during training."""

import numbers

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomGrayscale(BaseImagePreprocessingLayer):
    """Converts each image to grayscale with probability ``factor`` during training; at
    inference the images pass through unchanged.

    A converted image keeps its 3 channels, each holding ``0.2989 r + 0.587 g + 0.114 b``
    (``ops.image.rgb_to_grayscale``). The output keeps the input's dtype, as in Keras.

    Args:
        factor: the probability, in ``[0, 1]``, that an image is converted (0.5 by default).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        seed: an int seed for reproducible draws (as in Keras, not saved in the config).

    Input and output shape: ``(batch, height, width, 3)`` or a single ``(height, width, 3)``
    image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not 0 <= factor <= 1:
            raise ValueError(
                "RandomGrayscale: `factor` should be a number between 0 and 1. "
                f"Received: factor={factor}"
            )
        self.factor = factor
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        draws = random.uniform((images.shape[0],), seed=self.generator if seed is None else seed)
        return ops.reshape(draws < self.factor, (-1, 1, 1, 1))

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        if transformation is None:
            transformation = self.get_random_transformation(images)
        gray = ops.image.rgb_to_grayscale(images, data_format=self.data_format)
        return ops.where(transformation, gray, images)

    def get_config(self):
        # As in Keras, the seed is not part of the config.
        return {**super().get_config(), "factor": self.factor}
