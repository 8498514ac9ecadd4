"""The eleven augmentations that RandAugment and AugMix choose from, built alike for both,
and the base the two layers share."""

from cornu import random
from cornu.layers.preprocessing.image_preprocessing.auto_contrast import AutoContrast
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.equalization import Equalization
from cornu.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from cornu.layers.preprocessing.image_preprocessing.random_color_degeneration import (
    RandomColorDegeneration,
)
from cornu.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from cornu.layers.preprocessing.image_preprocessing.random_posterization import (
    RandomPosterization,
)
from cornu.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from cornu.layers.preprocessing.image_preprocessing.random_sharpness import RandomSharpness
from cornu.layers.preprocessing.image_preprocessing.random_shear import RandomShear
from cornu.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from cornu.layers.preprocessing.image_preprocessing.solarization import Solarization
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


def build_augmentation(
    augmentation, factor, value_range, interpolation, seed, data_format, **kwargs
):
    """The augmentation layer ``augmentation`` (an attribute name of RandAugment and AugMix, such as
    ``"random_shear"``) at strength ``factor = (lower, upper)``, with Keras's arguments."""
    seeded = {"seed": seed, "data_format": data_format, **kwargs}
    coloured = {"value_range": value_range, **seeded}
    if augmentation == "random_shear":
        return RandomShear(x_factor=factor, y_factor=factor, interpolation=interpolation, **seeded)
    if augmentation == "random_translation":
        return RandomTranslation(
            height_factor=factor, width_factor=factor, interpolation=interpolation, **seeded
        )
    if augmentation == "random_rotation":
        return RandomRotation(factor=factor, interpolation=interpolation, **seeded)
    if augmentation == "random_brightness":
        return RandomBrightness(factor=factor, **coloured)
    if augmentation == "random_color_degeneration":
        return RandomColorDegeneration(factor=factor, **coloured)
    if augmentation == "random_contrast":
        return RandomContrast(factor=factor, **coloured)
    if augmentation == "random_sharpness":
        return RandomSharpness(factor=factor, **coloured)
    if augmentation == "random_posterization":
        return RandomPosterization(factor=max(1, int(8 * factor[1])), **coloured)
    if augmentation == "solarization":
        return Solarization(addition_factor=factor, threshold_factor=factor, **coloured)
    if augmentation == "auto_contrast":
        return AutoContrast(value_range=value_range, data_format=data_format, **kwargs)
    if augmentation == "equalization":
        return Equalization(value_range=value_range, data_format=data_format, **kwargs)
    raise ValueError(f"Unknown augmentation: {augmentation!r}")


class AugmentationPolicy(BaseImagePreprocessingLayer):
    """The base of RandAugment and AugMix: checks ``value_range``, the integer counts and
    ``factor`` (within ``[0, 1]``), and builds each named augmentation as an attribute.

    Args:
        augmentations: the attribute names of the augmentations (``"random_shear"``, ...).
        counts: ``(argument, value, minimum)`` triples, integer arguments to check.
        value_range, factor, interpolation, seed, data_format: as in the layers.
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        augmentations,
        counts,
        value_range,
        factor,
        interpolation,
        seed,
        data_format,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        name = type(self).__name__
        self.value_range = validate_value_range(value_range, name)
        for argument, value, minimum in counts:
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                kind = "positive" if minimum == 1 else "non-negative"
                raise ValueError(
                    f"{name}: `{argument}` should be a {kind} integer. Received: "
                    f"{argument}={value!r}"
                )
            setattr(self, argument, value)
        self._set_factor(factor)
        self.interpolation = interpolation
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        for augmentation in augmentations:
            layer = build_augmentation(
                augmentation, self.factor, value_range, interpolation, seed, data_format, **kwargs
            )
            setattr(self, augmentation, layer)
