"""RandAugment: applies a few augmentations chosen at random to each batch."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.augmentation_ops import AugmentationPolicy

AUGMENTATIONS = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
)


class RandAugment(AugmentationPolicy):
    """RandAugment (Cubuk et al., 2019) during training; at inference the images are only
    cast to the layer's dtype.

    Each call draws ``num_ops`` augmentations, with repetition, from shear, translation,
    rotation, brightness, colour degeneration, contrast, sharpness, posterization,
    solarization, auto-contrast and equalization, each at strength ``factor``, and applies
    them one after another to the whole batch (each augmentation draws its own random values
    per image). All draws come from this layer's seed generator, as in Keras.

    Args:
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        num_ops: how many augmentations to apply (2 by default).
        factor: the strength, a number ``f`` in ``[0, 1]`` (``(0, f)``; 0.5 by default) or a
            pair within ``[0, 1]``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``, for the geometric
            augmentations.
        seed: an int seed for reproducible draws.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input and output shape: ``(batch, height, width, 3)`` or a single ``(height, width, 3)``
    image.
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(
            AUGMENTATIONS,
            (("num_ops", num_ops, 0),),
            value_range,
            factor,
            interpolation,
            seed,
            data_format,
            **kwargs,
        )

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        choices = random.randint((self.num_ops,), 0, len(AUGMENTATIONS), seed=self.generator)
        transforms = {
            name: getattr(self, name).get_random_transformation(
                data, training=training, seed=self.generator
            )
            for name in AUGMENTATIONS
        }
        return {"transforms": transforms, "layer_idxes": choices}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        choices = transformation["layer_idxes"]
        for step in range(self.num_ops):
            for index, name in enumerate(AUGMENTATIONS):
                augmented = getattr(self, name).transform_images(
                    images, transformation["transforms"][name]
                )
                images = ops.where(choices[step] == index, augmented, images)
        return ops.cast(images, self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_ops": self.num_ops,
            "factor": self.factor,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
