"""RandomZoom: zooms images in or out by random amounts during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_affine_layer import (
    BaseAffineLayer,
    parse_factor,
)
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    image_batch_size,
)


def zoom_matrix(zooms, height, width):
    """``(batch, 8)`` transforms scaling the sampling grid by ``zooms`` (``(batch, 2)``:
    x then y) about the image center."""
    zoom_x, zoom_y = zooms[:, 0:1], zooms[:, 1:2]
    zeros = ops.zeros_like(zoom_x)
    x_offset = ((width - 1.0) / 2.0) * (1.0 - zoom_x)
    y_offset = ((height - 1.0) / 2.0) * (1.0 - zoom_y)
    return ops.concatenate([zoom_x, zeros, x_offset, zeros, zoom_y, y_offset, zeros, zeros], axis=1)


class RandomZoom(BaseAffineLayer):
    """Zooms each image in or out by a random amount during training; does nothing at
    inference (the images are only cast to the compute dtype).

    Args:
        height_factor: a fraction: ``f`` zooms vertically by a random amount in ``[-f, f]``,
            ``(lower, upper)`` in ``[lower, upper]``; values in ``(-1, 1]``. A positive amount
            zooms out (the image shrinks, e.g. 0.2 shows 120% of the height), a negative one
            zooms in.
        width_factor: the same for the width; None (default) zooms both axes by the vertical
            amount, keeping the aspect ratio.
        fill_mode: how points outside the image are filled: ``"reflect"`` (default),
            ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int seed for reproducible zooms.
        fill_value: the value outside the image for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, h, w, c)`` or ``(h, w, c)``; the output has the same shape.
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor,
        width_factor=None,
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
        name = "RandomZoom"
        self.height_lower, self.height_upper = parse_factor(
            name, "height_factor", height_factor, open_lower=True
        )
        if width_factor is not None:
            self.width_lower, self.width_upper = parse_factor(
                name, "width_factor", width_factor, open_lower=True
            )
        self.height_factor = height_factor
        self.width_factor = width_factor

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = seed if seed is not None else self.generator
        batch = image_batch_size(data, self.data_format)[0]
        height_zoom = random.uniform(
            (batch, 1), 1.0 + self.height_lower, 1.0 + self.height_upper, seed=seed
        )
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = random.uniform(
                (batch, 1), 1.0 + self.width_lower, 1.0 + self.width_upper, seed=seed
            )
        return {"height_zoom": height_zoom, "width_zoom": width_zoom}

    def affine_matrix(self, images, transformation):
        zooms = ops.concatenate([transformation["width_zoom"], transformation["height_zoom"]], 1)
        _, height, width = image_batch_size(images, self.data_format)
        return zoom_matrix(ops.cast(zooms, "float32"), height, width)

    def get_config(self):
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }
