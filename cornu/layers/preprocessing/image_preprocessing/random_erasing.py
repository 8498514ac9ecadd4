"""RandomErasing: fills a random box of some images with noise or a constant in training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.cut_mix import box_masks
from cornu.layers.preprocessing.image_preprocessing.value_ranges import (
    parse_range,
)


class RandomErasing(BaseImagePreprocessingLayer):
    """Erases a random rectangle of some images during training (Zhong et al., 2017,
    "Random Erasing Data Augmentation"); at inference the images are only cast to the
    layer's dtype.

    Each image is erased with a probability drawn from the factor range. The box covers
    ``sqrt(s_w)`` of the width and ``sqrt(s_h)`` of the height (``s_w``, ``s_h`` drawn from
    ``scale``) at a random place, and is filled with ``fill_value``, or with Gaussian noise
    times ``value_range[1]`` when ``fill_value`` is None; the fill is clipped to
    ``value_range``.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (erasing probabilities in ``[0, f]``) or a pair.
        scale: ``(low, high)`` in ``[0, 1]``: the range of the area fractions drawn per axis.
        fill_value: None (noise), a number, or three numbers (one per channel).
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
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = parse_range("RandomErasing", "scale", scale)
        if fill_value is not None and not (
            (isinstance(fill_value, (int, float)) and not isinstance(fill_value, bool))
            or (isinstance(fill_value, (tuple, list)) and len(fill_value) == 3)
        ):
            raise ValueError(
                "RandomErasing: the `fill_value` argument should be a number (or a list of "
                f"three numbers). Received: fill_value={fill_value!r}"
            )
        self.fill_value = fill_value
        self._set_value_range_and_seed(value_range, seed, sort=False)

    def _fill(self, images, seed):
        shape = tuple(images.shape)
        if self.fill_value is None:
            fill = random.normal(shape, dtype=self.compute_dtype, seed=seed) * self.value_range[1]
        elif isinstance(self.fill_value, (tuple, list)):
            per_channel = ops.convert_to_tensor(self.fill_value, dtype=self.compute_dtype)
            if self.data_format == "channels_first":
                per_channel = ops.reshape(per_channel, (-1, 1, 1))
            fill = ops.zeros(shape, dtype=self.compute_dtype) + per_channel
        else:
            fill = ops.ones(shape, dtype=self.compute_dtype) * self.fill_value
        return ops.clip(fill, self.value_range[0], self.value_range[1])

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        shape = tuple(images.shape)
        batch_size = 1 if len(shape) == 3 else shape[0]
        height, width = (shape[1], shape[2]) if self.data_format == "channels_last" else shape[2:]
        seed = seed or self.generator
        dtype = self.compute_dtype
        fractions = random.uniform(
            (batch_size, 2), self.scale[0], self.scale[1], dtype=dtype, seed=seed
        )
        fractions = ops.sqrt(fractions)
        corners = []
        for length, fraction in ((width, fractions[:, 0]), (height, fractions[:, 1])):
            span = ops.cast(fraction * length, dtype)
            start = random.uniform((batch_size,), 0, 1, dtype=dtype, seed=seed) * (length - span)
            corners += [start, start + span]
        apply = self._draw_apply_mask(batch_size, seed)
        return {
            "apply_erasing": apply,
            "batch_masks": box_masks(shape, corners, self.data_format, dtype),
            "fill_value": self._fill(images, seed),
        }

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        erased = ops.where(transformation["batch_masks"], transformation["fill_value"], images)
        apply = ops.reshape(transformation["apply_erasing"], (-1, 1, 1, 1))
        return ops.cast(ops.where(apply, erased, images), self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }
