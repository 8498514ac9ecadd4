"""AugMix: mixes several chains of random augmentations with the original images."""

import random as py_random

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.augmentation_ops import AugmentationPolicy

GEOMETRIC_AND_TONAL = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
)
COLOUR = ("random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness")


class AugMix(AugmentationPolicy):
    """AugMix (Hendrycks et al., 2020) during training; at inference the images are only
    cast to the layer's dtype.

    ``num_chains`` chains each apply up to ``chain_depth`` augmentations chosen at random (a
    step may also do nothing); the chains are mixed with Dirichlet(``alpha``) weights, and
    the mix is blended with the original images with a Beta(``alpha``, ``alpha``) weight,
    then clipped to ``value_range``. As in Keras the choice of augmentations uses Python's
    global ``random`` module (seed it with ``random.seed`` for reproducible choices); the
    random values come from this layer's seed generator.

    Args:
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        num_chains: the number of augmentation chains (3 by default).
        chain_depth: the number of steps of each chain (3 by default).
        factor: the strength of each augmentation, a number ``f`` in ``[0, 1]`` (``(0, f)``;
            0.3 by default) or a pair within ``[0, 1]``.
        alpha: the concentration of the Dirichlet and Beta draws (1.0 by default).
        all_ops: also use brightness, colour degeneration, contrast and sharpness (True by
            default; the AugMix paper leaves them out to keep them for testing).
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int seed for reproducible draws.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input and output shape: ``(batch, height, width, 3)`` or a single ``(height, width, 3)``
    image.
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        augmentations = list(GEOMETRIC_AND_TONAL + (COLOUR if all_ops else ()))
        counts = (("num_chains", num_chains, 1), ("chain_depth", chain_depth, 1))
        super().__init__(
            augmentations,
            counts,
            value_range,
            factor,
            interpolation,
            seed,
            data_format,
            **kwargs,
        )
        self.alpha = alpha
        self.all_ops = all_ops
        self._augment_layers = augmentations

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = seed or self.generator
        gamma = random.gamma((self.num_chains,), alpha=self.alpha, seed=seed)
        chain_weights = gamma / ops.sum(gamma, axis=-1, keepdims=True)
        blend = random.beta((), alpha=self.alpha, beta=self.alpha, seed=seed)
        chains = []
        for _ in range(self.num_chains):
            steps = []
            for _ in range(self.chain_depth):
                name = py_random.choice(self._augment_layers + [None])
                if name is not None:
                    draws = getattr(self, name).get_random_transformation(data, seed=self.generator)
                    steps.append({"layer_name": name, "transformation": draws})
            chains.append(steps)
        return {
            "chain_mixing_weights": chain_weights,
            "weight_sample": blend,
            "chain_transforms": chains,
        }

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        chain_weights = ops.cast(transformation["chain_mixing_weights"], self.compute_dtype)
        blend = ops.cast(transformation["weight_sample"], self.compute_dtype)
        mixed = ops.zeros_like(images)
        for index, chain in enumerate(transformation["chain_transforms"]):
            augmented = ops.copy(images)
            for step in chain:
                layer = getattr(self, step["layer_name"])
                augmented = layer.transform_images(augmented, step["transformation"])
            mixed = mixed + augmented * chain_weights[index]
        images = blend * images + (1 - blend) * mixed
        images = ops.clip(images, self.value_range[0], self.value_range[1])
        return ops.cast(images, self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "factor": self.factor,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
