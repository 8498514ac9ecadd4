"""RandomColorJitter: random brightness, contrast, saturation and hue, one after another."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from cornu.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from cornu.layers.preprocessing.image_preprocessing.random_hue import RandomHue
from cornu.layers.preprocessing.image_preprocessing.random_saturation import RandomSaturation
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


class RandomColorJitter(BaseImagePreprocessingLayer):
    """Applies RandomBrightness, RandomContrast, RandomSaturation and RandomHue in that
    order during training (each only when its factor is given); at inference the images pass
    through unchanged.

    All draws come from this layer's own seed generator, one step after another, as in Keras.
    In training the output is floating (the layer's dtype).

    Args:
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        brightness_factor: RandomBrightness's ``factor``, or None to skip it.
        contrast_factor: RandomContrast's ``factor``, or None to skip it.
        saturation_factor: RandomSaturation's ``factor``, or None to skip it.
        hue_factor: RandomHue's ``factor``, or None to skip it.
        seed: an int seed for reproducible draws.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input and output shape: ``(batch, height, width, 3)`` or a single ``(height, width, 3)``
    image.
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = validate_value_range(value_range, "RandomColorJitter")
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.random_brightness = self.random_contrast = None
        self.random_saturation = self.random_hue = None
        common = {"value_range": value_range, "seed": seed}
        if brightness_factor is not None:
            self.random_brightness = RandomBrightness(factor=brightness_factor, **common)
        if contrast_factor is not None:
            self.random_contrast = RandomContrast(factor=contrast_factor, **common)
        if saturation_factor is not None:
            self.random_saturation = RandomSaturation(factor=saturation_factor, **common)
        if hue_factor is not None:
            self.random_hue = RandomHue(factor=hue_factor, **common)

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        for layer in (
            self.random_brightness,
            self.random_contrast,
            self.random_saturation,
            self.random_hue,
        ):
            if layer is not None:
                draws = layer.get_random_transformation(images, seed=self.generator)
                images = layer.transform_images(images, draws)
        return ops.cast(images, self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "brightness_factor": self.brightness_factor,
            "contrast_factor": self.contrast_factor,
            "saturation_factor": self.saturation_factor,
            "hue_factor": self.hue_factor,
            "seed": self.seed,
        }
