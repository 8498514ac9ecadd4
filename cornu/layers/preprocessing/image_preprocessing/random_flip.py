"""RandomFlip: flips images left-right and/or top-bottom at random during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
_MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image of a batch with probability 1/2 during training; at inference the
    images pass through unchanged.

    With ``"horizontal_and_vertical"`` one draw per image decides both flips, so an image is
    either left as it is or turned by 180 degrees (as in Keras). The output is floating (the
    layer's dtype), at inference too.

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` (top-bottom) or
            ``"horizontal_and_vertical"`` (the default).
        seed: an int seed for reproducible flips.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in _MODES:
            raise ValueError(
                f"RandomFlip expects `mode` to be one of {_MODES}. Received: mode={mode!r}"
            )
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.mode = mode

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        draws = random.uniform(
            (images.shape[0], 1, 1, 1), seed=self.generator if seed is None else seed
        )
        return {"flips": ops.less_equal(draws, 0.5), "input_shape": tuple(images.shape)}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        flips = transformation["flips"]
        if self.data_format == "channels_last":
            width_axis, height_axis = -2, -3
        else:
            width_axis, height_axis = -1, -2
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=width_axis), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=height_axis), images)
        return images

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
