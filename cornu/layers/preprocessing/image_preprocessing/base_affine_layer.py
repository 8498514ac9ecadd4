"""The shared base of the augmentation layers that move pixels by an affine transform
(RandomRotation, RandomTranslation, RandomZoom)."""

import numbers

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.resizing import check_image_rank
from cornu.layers.preprocessing.image_preprocessing.value_ranges import check_choice

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def parse_factor(layer_name, argument, factor, open_lower=False):
    """``(lower, upper)`` from a number ``f`` (``(-f, f)``) or a pair; a ValueError naming
    ``layer_name`` and ``argument`` unless every value lies in ``[-1, 1]`` (``(-1, 1]`` when
    ``open_lower``)."""
    bounds = "(-1.0, 1.0]" if open_lower else "[-1.0, 1.0]"
    message = (
        f"{layer_name}: the `{argument}` argument should be a number (or a list of two "
        f"numbers) in the range {bounds}. Received: {argument}={factor}"
    )
    values = list(factor) if isinstance(factor, (tuple, list)) else [factor]
    if len(values) not in (1, 2):
        raise ValueError(message)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(message)
        if value > 1.0 or value < -1.0 or (open_lower and value == -1.0):
            raise ValueError(message)
    if isinstance(factor, (tuple, list)):
        if len(values) != 2:
            raise ValueError(message)
        return tuple(sorted(values))
    return -abs(factor), abs(factor)


class BaseAffineLayer(BaseImagePreprocessingLayer):
    """An augmentation layer that resamples each image through a random affine transform in
    training and only casts it to the compute dtype at inference.

    Subclasses draw their parameters in ``get_random_transformation`` and turn them into
    ``(batch, 8)`` transforms (``ops.image.affine_transform``'s form) in ``affine_matrix``.

    Args:
        fill_mode: how points outside the image are filled: ``"reflect"``, ``"wrap"``,
            ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: an int seed for reproducible draws.
        fill_value: the value outside the image for ``fill_mode="constant"``.
    """

    def __init__(self, fill_mode, interpolation, seed, fill_value, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "fill_mode", fill_mode, FILL_MODES)
        check_choice(name, "interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def affine_matrix(self, images, transformation):
        """The ``(batch, 8)`` transforms of ``transformation`` for ``images``."""
        raise NotImplementedError(f"{type(self).__name__} does not define `affine_matrix`.")

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return ops.image.affine_transform(
            images,
            self.affine_matrix(images, transformation),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape):
        check_image_rank(self, input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
