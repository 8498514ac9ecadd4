"""RandomTranslation: shifts images by random offsets during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_affine_layer import (
    BaseAffineLayer,
    parse_factor,
)
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    image_batch_size,
)


def translation_matrix(shift_x, shift_y):
    """``(batch, 8)`` transforms shifting images right by ``shift_x`` and down by
    ``shift_y`` pixels (both ``(batch, 1)``)."""
    ones, zeros = ops.ones_like(shift_x), ops.zeros_like(shift_x)
    return ops.concatenate([ones, zeros, -shift_x, zeros, ones, -shift_y, zeros, zeros], axis=1)


class RandomTranslation(BaseAffineLayer):
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
        super().__init__(
            fill_mode, interpolation, seed, fill_value, data_format=data_format, **kwargs
        )
        name = "RandomTranslation"
        self.height_lower, self.height_upper = parse_factor(name, "height_factor", height_factor)
        self.width_lower, self.width_upper = parse_factor(name, "width_factor", width_factor)
        self.height_factor = height_factor
        self.width_factor = width_factor

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = seed if seed is not None else self.generator
        batch, height, width = image_batch_size(data, self.data_format)
        shift_y = random.uniform((batch, 1), self.height_lower, self.height_upper, seed=seed)
        shift_x = random.uniform((batch, 1), self.width_lower, self.width_upper, seed=seed)
        translations = ops.concatenate([shift_x * width, shift_y * height], axis=1)
        return {"translations": ops.cast(translations, "float32")}

    def affine_matrix(self, images, transformation):
        shifts = transformation["translations"]
        return translation_matrix(shifts[:, 0:1], shifts[:, 1:2])

    def get_config(self):
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }
