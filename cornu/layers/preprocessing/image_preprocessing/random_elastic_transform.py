"""RandomElasticTransform: deforms some images along smooth random fields during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    image_batch_size,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import (
    check_choice,
    parse_range,
)

INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


class RandomElasticTransform(BaseImagePreprocessingLayer):
    """Applies ``ops.image.elastic_transform`` to some images during training; at inference
    the images are only cast to the layer's dtype.

    Each image is deformed with a probability drawn from the factor range. One distortion
    ``d`` drawn from ``scale`` per call sets ``alpha = 0.1 d max(h, w)`` and
    ``sigma = 0.05 d min(h, w)``. The result is clipped to ``value_range``.

    Without a seed the displacement noise comes from torch's global generator, as in Keras
    on torch (which never seeds it); with a seed it is drawn reproducibly.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (deformation probabilities in ``[0, f]``) or a
            pair.
        scale: a number ``s`` in ``[0, 1]`` (distortions in ``[0, s]``) or a pair.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: ``"reflect"``, ``"constant"``, ``"nearest"``, ``"wrap"`` or ``"mirror"``.
        fill_value: the value outside the image for ``fill_mode="constant"``.
        value_range: ``(low, high)``, the range of the input values.
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
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = parse_range("RandomElasticTransform", "scale", scale)
        check_choice("RandomElasticTransform", "interpolation", interpolation, INTERPOLATIONS)
        check_choice("RandomElasticTransform", "fill_mode", fill_mode, FILL_MODES)
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self._set_value_range_and_seed(value_range, seed, sort=False)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        batch_size = image_batch_size(data, self.data_format)[0]
        seed = seed or self.generator
        apply = self._draw_apply_mask(batch_size, seed)
        distortion = random.uniform(
            (), self.scale[0], self.scale[1], dtype=self.compute_dtype, seed=seed
        )
        return {
            "apply_transform": apply,
            "distortion_factor": distortion,
            "seed": seed if self.seed is not None else None,
        }

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        _, height, width = image_batch_size(images, self.data_format)
        distortion = transformation["distortion_factor"]
        deformed = ops.image.elastic_transform(
            images,
            alpha=max(height, width) * (0.1 * distortion),
            sigma=min(height, width) * (0.05 * distortion),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            seed=transformation["seed"],
            data_format=self.data_format,
        )
        apply = ops.reshape(transformation["apply_transform"], (-1, 1, 1, 1))
        images = ops.clip(ops.where(apply, deformed, images), *self.value_range)
        return ops.cast(images, self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }
