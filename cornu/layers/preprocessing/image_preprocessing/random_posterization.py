"""RandomPosterization: keeps only the top bits of each colour value during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

_MAX_BITS = 8


class RandomPosterization(BaseImagePreprocessingLayer):
    """Reduces the number of bits of each colour value at random during training; at
    inference the images pass through unchanged.

    The images are mapped from ``value_range`` to ``[0, 255]`` and cast to ``uint8``; each
    image keeps ``bits`` of its 8 bits (the low ``8 - bits`` bits are zeroed), with ``bits``
    drawn per image as an integer in ``[lower, upper)`` (or ``lower`` when both are equal, as
    in Keras); the result is mapped back to ``value_range`` in the layer's dtype.

    Args:
        factor: a number ``f`` in ``[1, 8]`` (``(1, f)``) or a pair ``(lower, upper)`` within
            ``[1, 8]``: the number of bits kept.
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (1, _MAX_BITS)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._set_value_range_and_seed(value_range, seed)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        batch = images.shape[0]
        if self.factor[0] != self.factor[1]:
            bits = random.randint(
                (batch,),
                minval=self.factor[0],
                maxval=self.factor[1],
                seed=self.generator if seed is None else seed,
                dtype="uint8",
            )
        else:
            bits = ops.ones((batch,), dtype="uint8") * self.factor[0]
        return {"shift_factor": _MAX_BITS - bits}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        shift = ops.reshape(transformation["shift_factor"], (-1, 1, 1, 1))
        images = self._transform_value_range(
            images, self.value_range, (0, 255), dtype=self.compute_dtype
        )
        # (x >> shift) << shift on the uint8 values, computed exactly in floating point.
        values = ops.cast(ops.cast(images, "uint8"), "float32")
        step = ops.power(2.0, ops.cast(shift, "float32"))
        images = ops.cast(ops.floor(values / step) * step, self.compute_dtype)
        return self._transform_value_range(
            images, (0, 255), self.value_range, dtype=self.compute_dtype
        )

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
