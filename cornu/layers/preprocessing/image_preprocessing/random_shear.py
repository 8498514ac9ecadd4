"""RandomShear: shears each image by a random amount during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_affine_layer import (
    BaseAffineLayer,
    parse_factor,
)
from cornu.layers.preprocessing.image_preprocessing.solarization import parse_unit_factor


def _parse_shear(argument, factor):
    # A pair may hold negative shears, as the configs Keras writes do (Keras itself refuses
    # to load them again); a single number must lie in [0, 1].
    if isinstance(factor, (tuple, list)):
        return parse_factor("RandomShear", argument, factor)
    return parse_unit_factor("RandomShear", argument, factor, symmetric=True)


class RandomShear(BaseAffineLayer):
    """Shears each image along x and y by random amounts during training; at inference the
    images are only cast to the layer's dtype.

    Per image, ``shear_x`` and ``shear_y`` are drawn uniformly from ``x_factor`` and
    ``y_factor`` and both flipped in sign together with probability 1/2; the output pixel
    ``(x, y)`` is read at ``(x + shear_x * y, y + shear_y * x)`` of the input.

    Args:
        x_factor: a number ``f`` in ``[0, 1]`` (shears in ``[-f, f]``) or a pair
            ``(lower, upper)`` within ``[-1, 1]`` (Keras refuses negative values in a pair,
            and so cannot load the configs it writes; cornu accepts them); 0 by default.
        y_factor: the same for the vertical shear.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        fill_mode: how points outside the image are filled: ``"reflect"`` (default),
            ``"wrap"``, ``"constant"`` or ``"nearest"``.
        fill_value: the value outside the image for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        seed: an int seed for reproducible draws.

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
        **kwargs,
    ):
        self.x_factor = _parse_shear("x_factor", x_factor)
        self.y_factor = _parse_shear("y_factor", y_factor)
        super().__init__(
            fill_mode, interpolation, seed, fill_value, data_format=data_format, **kwargs
        )

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        shape = (images.shape[0], 1)
        seed = self.generator if seed is None else seed
        sign = random.uniform(shape, minval=0, maxval=1, seed=seed, dtype=self.compute_dtype)
        sign = ops.where(sign > 0.5, -ops.ones_like(sign), ops.ones_like(sign))
        draws = {}
        for key, (low, high) in (("y", self.y_factor), ("x", self.x_factor)):
            draws[key] = random.uniform(
                shape, minval=low, maxval=high, seed=seed, dtype=self.compute_dtype
            )
        shear = ops.concatenate([draws["x"], draws["y"]], axis=1) * sign
        return {"shear_factor": shear, "input_shape": tuple(images.shape)}

    def affine_matrix(self, images, transformation):
        shear = transformation["shear_factor"]
        ones = ops.ones((shear.shape[0],))
        zeros = ops.zeros((shear.shape[0],))
        return ops.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], axis=1)

    def get_config(self):
        return {
            **super().get_config(),
            "x_factor": self.x_factor,
            "y_factor": self.y_factor,
        }
