"""CutMix: pastes a random box of another sample of the batch into each image in training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


def box_masks(images_shape, corners, data_format, dtype):
    """Boolean masks of ``images_shape`` that are True inside each sample's box
    ``x0 <= x < x1``, ``y0 <= y < y1`` (``corners``: four ``(batch,)`` tensors), on every
    channel."""
    x0, x1, y0, y1 = (ops.reshape(c, (-1, 1, 1, 1)) for c in corners)
    if data_format == "channels_last":
        height, width, channels, channel_axis = images_shape[1], images_shape[2], images_shape[3], 3
        rows = ops.reshape(ops.arange(height, dtype=dtype), (1, height, 1, 1))
        cols = ops.reshape(ops.arange(width, dtype=dtype), (1, 1, width, 1))
    else:
        channels, height, width, channel_axis = images_shape[1], images_shape[2], images_shape[3], 1
        rows = ops.reshape(ops.arange(height, dtype=dtype), (1, 1, height, 1))
        cols = ops.reshape(ops.arange(width, dtype=dtype), (1, 1, 1, width))
    inside = (cols >= x0) & (cols < x1) & (rows >= y0) & (rows < y1)
    return ops.repeat(inside, channels, axis=channel_axis)


def random_spans(batch_size, length, ratio, seed, dtype):
    """``(start, end)`` of a span of ``ratio * length`` at a uniformly random offset."""
    span = ops.cast(ratio * length, dtype)
    start = random.uniform((batch_size,), 0, 1, dtype=dtype, seed=seed) * (length - span)
    return start, start + span


class CutMix(BaseImagePreprocessingLayer):
    """Replaces a random box of each image with the same box of another image of the batch
    (Yun et al., 2019, "CutMix") during training; at inference the images are only cast to
    the layer's dtype.

    A weight ``w ~ Beta(a, a)`` with ``a`` drawn uniformly from the factor range sets the box
    to ``sqrt(1 - w)`` of the height and width; in a dict input the labels are mixed in
    proportion to the areas each image keeps.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (``a`` in ``[0, f]``) or a pair ``(lower, upper)``.
        seed: an int seed for reproducible draws.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, height, width, channels)`` (a single image passes through), or a
    dict with ``"images"`` and optionally ``"labels"`` (one-hot, ``(batch, classes)``).
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        shape = tuple(images.shape)
        if len(shape) == 3:
            return None
        batch_size = shape[0]
        height, width = (shape[1], shape[2]) if self.data_format == "channels_last" else shape[2:]
        seed = seed or self.generator
        dtype = self.compute_dtype
        alpha = random.uniform((), self.factor[0], self.factor[1], dtype=dtype, seed=seed) + 1e-6
        weight = random.beta((batch_size,), alpha, alpha, seed=seed, dtype=dtype)
        ratio = ops.sqrt(1.0 - weight)
        x0, x1 = random_spans(batch_size, width, ratio, seed, dtype)
        y0, y1 = random_spans(batch_size, height, ratio, seed, dtype)
        masks = box_masks(shape, (x0, x1, y0, y1), self.data_format, dtype)
        mix_weight = 1.0 - (x1 - x0) * (y1 - y0) / (width * height)
        permutation = random.shuffle(ops.arange(0, batch_size, dtype="int32"), seed=seed)
        return {
            "permutation_order": permutation,
            "batch_masks": masks,
            "mix_weight": ops.reshape(mix_weight, (-1,)),
        }

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        partners = ops.take(images, transformation["permutation_order"], axis=0)
        return ops.where(transformation["batch_masks"], partners, images)

    def transform_labels(self, labels, transformation, training=True):
        if not training or transformation is None:
            return labels
        weight = ops.reshape(transformation["mix_weight"], (-1, 1))
        partners = ops.take(labels, transformation["permutation_order"], axis=0)
        return weight * labels + (1.0 - weight) * partners

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
