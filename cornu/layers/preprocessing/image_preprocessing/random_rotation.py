"""RandomRotation: rotates images by random angles during training."""

import math

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_affine_layer import (
    BaseAffineLayer,
)
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    image_batch_size,
)


def rotation_matrix(angle, height, width):
    """``(batch, 8)`` transforms rotating by ``angle`` degrees about the image center."""
    radians = angle * ops.convert_to_tensor(math.pi / 180.0)
    cos, sin = ops.cos(radians), ops.sin(radians)
    center_x, center_y = 0.5 * (width - 1), 0.5 * (height - 1)
    zeros = ops.zeros_like(angle)
    a2 = center_x - center_x * cos + center_y * sin
    b2 = center_y - center_x * sin - center_y * cos
    return ops.stack([cos, -sin, a2, sin, cos, b2, zeros, zeros], axis=1)


class RandomRotation(BaseAffineLayer):
    """Rotates each image by a random angle about its center during training; does nothing
    at inference (the images are only cast to the compute dtype).

    Args:
        factor: a fraction of a full turn: ``f`` draws angles in ``[-f * 360, f * 360]``
            degrees, ``(lower, upper)`` in ``[lower * 360, upper * 360]`` (positive turns
            counter-clockwise).
        fill_mode: how points outside the image are filled: ``"reflect"`` (default),
            ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int seed for reproducible rotations.
        fill_value: the value outside the image for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, h, w, c)`` or ``(h, w, c)``; the output has the same shape.
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(
            fill_mode,
            interpolation,
            seed,
            fill_value,
            factor=factor,
            data_format=data_format,
            **kwargs,
        )

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        batch, height, width = image_batch_size(data, self.data_format)
        angle = random.uniform(
            (batch,),
            minval=self.factor[0] * 360.0,
            maxval=self.factor[1] * 360.0,
            seed=seed if seed is not None else self.generator,
        )
        return {"angle": angle, "rotation_matrix": rotation_matrix(angle, height, width)}

    def affine_matrix(self, images, transformation):
        return transformation["rotation_matrix"]
