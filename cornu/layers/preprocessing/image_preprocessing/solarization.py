"""Solarization: inverts the pixels above a random threshold during training."""

import numbers

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


def parse_unit_factor(layer_name, argument, factor, symmetric):
    """``(lower, upper)`` from a number ``f`` in ``[0, 1]`` (``(-f, f)`` when ``symmetric``,
    else ``(0, f)``) or a pair within ``[0, 1]``; a ValueError naming ``layer_name`` and
    ``argument`` otherwise."""
    message = (
        f"{layer_name}: the `{argument}` argument should be a number (or a list of two "
        f"numbers) in the range [0, 1]. Received: {argument}={factor}"
    )
    values = list(factor) if isinstance(factor, (tuple, list)) else [factor]
    if isinstance(factor, (tuple, list)) and len(values) != 2:
        raise ValueError(message)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(message)
        if not 0 <= value <= 1:
            raise ValueError(message)
    if isinstance(factor, (tuple, list)):
        return tuple(sorted(values))
    return (-abs(factor), abs(factor)) if symmetric else (0, factor)


class Solarization(BaseImagePreprocessingLayer):
    """Solarizes images during training: adds a random amount to each image, then inverts
    (``255 - x``, on the ``[0, 255]`` scale) every value at or above a random threshold; at
    inference the images are only cast to the layer's dtype.

    Per image, the addition is drawn uniformly in ``[lower, upper * 255]`` of
    ``addition_factor`` and the threshold in ``[lower, upper * 255]`` of
    ``threshold_factor`` (as in Keras, only the upper bound is scaled by 255).

    Args:
        addition_factor: a number ``f`` in ``[0, 1]`` (``(0, f)``) or a pair within
            ``[0, 1]``; 0 by default.
        threshold_factor: a number ``f`` in ``[0, 1]`` (``(0, f)``) or a pair within
            ``[0, 1]``; 0 by default (every value is inverted).
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image.
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.addition_factor = parse_unit_factor(
            "Solarization", "addition_factor", addition_factor, symmetric=False
        )
        self.threshold_factor = parse_unit_factor(
            "Solarization", "threshold_factor", threshold_factor, symmetric=False
        )
        self.value_range = sorted(validate_value_range(value_range, "Solarization"))

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        shape = (images.shape[0], 1, 1, 1)
        seed = self.generator if seed is None else seed
        draws = {}
        for key, (low, high) in (
            ("additions", self.addition_factor),
            ("thresholds", self.threshold_factor),
        ):
            draws[key] = random.uniform(
                shape, minval=low, maxval=high * 255, seed=seed, dtype=self.compute_dtype
            )
        return draws

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        images = self._transform_value_range(
            images, self.value_range, (0, 255), dtype=self.compute_dtype
        )
        results = ops.clip(images + transformation["additions"], 0, 255)
        results = ops.where(results < transformation["thresholds"], results, 255 - results)
        return self._transform_value_range(
            results, (0, 255), self.value_range, dtype=self.compute_dtype
        )

    def get_config(self):
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
            "seed": self.seed,
        }
