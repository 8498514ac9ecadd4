"""RandomTranslation: shifts images by random offsets during training."""

import numbers

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.random_rotation import (
    check_fill_and_interpolation,
    image_size,
)
from cornu.layers.preprocessing.image_preprocessing.resizing import check_image_rank


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


def translation_matrix(shift_x, shift_y):
    """``(batch, 8)`` transforms shifting images right by ``shift_x`` and down by
    ``shift_y`` pixels (both ``(batch, 1)``)."""
    ones, zeros = ops.ones_like(shift_x), ops.zeros_like(shift_x)
    return ops.concatenate([ones, zeros, -shift_x, zeros, ones, -shift_y, zeros, zeros], axis=1)


class RandomTranslation(BaseImagePreprocessingLayer):
    """Shifts each image by a random offset during training; does nothing at inference (the
    images are only cast to the compute dtype).

    Args:
        height_factor: a fraction of the height: ``f`` shifts vertically by a random amount
            in ``[-f * height, f * height]`` (positive moves the image down), ``(lower,
            upper)`` in ``[lower * height, upper * height]``; values in ``[-1, 1]``.
        width_factor: the same for horizontal shifts (positive moves the image right).
        fill_mode: how points outside the image are filled: ``"reflect"`` (default),
            ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int seed for reproducible shifts.
        fill_value: the value outside the image for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, h, w, c)`` or ``(h, w, c)``; the output has the same shape.
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        name = "RandomTranslation"
        self.height_lower, self.height_upper = parse_factor(name, "height_factor", height_factor)
        self.width_lower, self.width_upper = parse_factor(name, "width_factor", width_factor)
        check_fill_and_interpolation(name, fill_mode, interpolation)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = seed if seed is not None else self.generator
        batch, height, width = image_size(data, self.data_format)
        shift_y = random.uniform((batch, 1), self.height_lower, self.height_upper, seed=seed)
        shift_x = random.uniform((batch, 1), self.width_lower, self.width_upper, seed=seed)
        translations = ops.concatenate([shift_x * width, shift_y * height], axis=1)
        return {"translations": ops.cast(translations, "float32")}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        shifts = transformation["translations"]
        return ops.image.affine_transform(
            images,
            translation_matrix(shifts[:, 0:1], shifts[:, 1:2]),
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
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }
