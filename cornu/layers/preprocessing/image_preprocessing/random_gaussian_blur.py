"""RandomGaussianBlur: blurs some images with a Gaussian of random width during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import (
    parse_range,
)


def parse_kernel_size(kernel_size):
    """``kernel_size`` as a pair of odd ints; a ValueError otherwise."""
    pair = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) else None
    if pair is not None and len(pair) != 2:
        raise ValueError(
            "RandomGaussianBlur: the `kernel_size` argument should be a number (or a list of "
            f"two numbers). Received: kernel_size={kernel_size}"
        )
    if pair is None:
        if isinstance(kernel_size, bool) or not isinstance(kernel_size, (int, float)):
            raise ValueError(
                "RandomGaussianBlur: `kernel_size` must be an odd number. "
                f"Received: kernel_size={kernel_size!r}"
            )
        pair = (kernel_size, kernel_size)
    if any(size % 2 == 0 for size in pair):
        raise ValueError(
            f"RandomGaussianBlur: `kernel_size` must be an odd number. Received: "
            f"kernel_size={kernel_size}"
        )
    return pair


class RandomGaussianBlur(BaseImagePreprocessingLayer):
    """Blurs some images with a Gaussian kernel during training; at inference the images are
    only cast to the layer's dtype.

    Each image is blurred with a probability drawn from the factor range; one pair of
    standard deviations (along the width, then the height) is drawn from ``sigma`` per call.
    The result is clipped to ``value_range``.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (blur probabilities in ``[0, f]``) or a pair.
        kernel_size: an odd int, or two odd ints (width, height) as ``ops.image.gaussian_blur``
            reads them.
        sigma: a number ``s`` in ``[0, 1]`` (standard deviations in ``[0, s]``) or a pair.
        value_range: ``(low, high)``, the range of the input values.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        seed: an int seed for reproducible draws.

    Input shape: ``(batch, height, width, channels)`` or a single image; the output has the
    same shape.
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor=1.0,
        kernel_size=3,
        sigma=1.0,
        value_range=(0, 255),
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.kernel_size = parse_kernel_size(kernel_size)
        self.sigma = parse_range("RandomGaussianBlur", "sigma", sigma)
        self._set_value_range_and_seed(value_range, seed, sort=False)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        batch_size = 1 if len(images.shape) == 3 else images.shape[0]
        seed = seed or self.generator
        apply = self._draw_apply_mask(batch_size, seed)
        sigma = random.uniform(
            (2,), self.sigma[0], self.sigma[1], dtype=self.compute_dtype, seed=seed
        )
        return {"should_apply_blur": apply, "blur_factor": sigma + 1e-6}

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        blurred = ops.image.gaussian_blur(
            images,
            kernel_size=self.kernel_size,
            sigma=transformation["blur_factor"],
            data_format=self.data_format,
        )
        apply = ops.reshape(transformation["should_apply_blur"], (-1, 1, 1, 1))
        images = ops.where(apply, blurred, images)
        return ops.cast(
            ops.clip(images, self.value_range[0], self.value_range[1]), self.compute_dtype
        )

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "kernel_size": self.kernel_size,
            "sigma": self.sigma,
            "value_range": self.value_range,
            "seed": self.seed,
        }
