"""MixUp: blends each image and its label with another sample of the batch during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class MixUp(BaseImagePreprocessingLayer):
    """Mixes pairs of samples of a batch (Zhang et al., 2017, "mixup: Beyond Empirical Risk
    Minimization") during training; at inference the images pass through unchanged.

    Each sample ``i`` is paired with sample ``p(i)`` of a random permutation of the batch and a
    weight ``w ~ Beta(alpha, alpha)``; the output is ``w * image_i + (1 - w) * image_p(i)``
    (in the layer's dtype), and in a dict input ``{"images": ..., "labels": ...}`` the labels
    are mixed with the same weights.

    Args:
        alpha: the concentration of the Beta distribution of the weights: small values keep
            most samples close to one of the pair.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed for reproducible draws.

    Input shape: ``(batch, height, width, channels)``, a single image, or a dict with
    ``"images"`` and optionally ``"labels"`` (one-hot, ``(batch, classes)``).
    """

    _USE_BASE_FACTOR = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        batch_size = 1 if len(images.shape) == 3 else images.shape[0]
        seed = self.generator if seed is None else seed
        permutation = random.shuffle(ops.arange(0, batch_size, dtype="int64"), seed=seed)
        mix_weight = random.beta((batch_size,), self.alpha, self.alpha, seed=seed)
        return {"mix_weight": mix_weight, "permutation_order": permutation}

    def transform_images(self, images, transformation=None, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        weight = ops.cast(
            ops.reshape(transformation["mix_weight"], (-1, 1, 1, 1)), self.compute_dtype
        )
        partners = ops.take(images, transformation["permutation_order"], axis=0)
        return weight * images + (1.0 - weight) * partners

    def transform_labels(self, labels, transformation, training=True):
        if not training:
            return labels
        weight = ops.reshape(transformation["mix_weight"], (-1, 1))
        partners = ops.take(labels, transformation["permutation_order"], axis=0)
        return weight * labels + (1.0 - weight) * partners

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}
