"""RandomPerspective: moves the corners of some images by random amounts during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    image_batch_size,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import check_choice

INTERPOLATIONS = ("nearest", "bilinear")


class RandomPerspective(BaseImagePreprocessingLayer):
    """Applies a random perspective warp to some images during training; at inference the
    images are only cast to the layer's dtype.

    Each image is warped with a probability drawn from the factor range: each of its corners
    ``(x, y)`` moves to ``(x (1 + u), y (1 + v))`` with ``u`` and ``v`` uniform in
    ``[-scale / 2, scale / 2]``, and the image follows its corners. Output points whose source
    lies outside the image read ``fill_value``.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (warp probabilities in ``[0, f]``) or a pair.
        scale: in ``[0, 1]``, the strength of the corner moves.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_value: the value of points outside the image.
        seed: an int seed for reproducible draws.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, height, width, channels)`` or a single image; the output has the
    same shape.
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise ValueError(
                "RandomPerspective: the `scale` argument should be a number in the range "
                f"[0, 1]. Received: scale={scale}"
            )
        check_choice("RandomPerspective", "interpolation", interpolation, INTERPOLATIONS)
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        batch_size, height, width = image_batch_size(data, self.data_format)
        seed = seed or self.generator
        apply = self._draw_apply_mask(batch_size, seed)
        moves = random.uniform(
            (batch_size, 4, 2),
            -0.5 * self.scale,
            0.5 * self.scale,
            dtype=self.compute_dtype,
            seed=seed,
        )
        corners = [[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1], [width - 1, height - 1]]
        start_points = ops.repeat(
            ops.convert_to_tensor([corners], dtype=self.compute_dtype), batch_size, axis=0
        )
        return {
            "apply_perspective": apply,
            "start_points": start_points,
            "end_points": start_points + start_points * moves,
        }

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        warped = ops.image.perspective_transform(
            images,
            transformation["start_points"],
            transformation["end_points"],
            interpolation=self.interpolation,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        apply = ops.reshape(transformation["apply_perspective"], (-1, 1, 1, 1))
        return ops.where(apply, warped, images)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
            "seed": self.seed,
        }
