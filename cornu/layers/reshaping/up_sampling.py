"""UpSampling1D/2D/3D: enlarge the spatial axes by integer factors."""

from cornu import core, ops
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer
from cornu.layers.reshaping.reshaping_utils import standardize_tuple


class UpSampling1D(Layer):
    """Repeats each step of a sequence ``size`` times.

    Args:
        size: the factor (2).

    Input shape ``(batch, steps, features)``; output ``(batch, steps * size, features)``.
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`, got {type(size)}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. Received: size={size}")
        self.size = size
        self.input_spec = InputSpec(ndim=3)
        self.built = True

    def call(self, inputs):
        return ops.repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "size": self.size}


class _SpatialUpSampling(Layer):
    _rank = None

    def __init__(self, size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = core.standardize_data_format(data_format)
        self.size = standardize_tuple(size, self._rank, "size")
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        start = 2 if self.data_format == "channels_first" else 1
        for i, factor in enumerate(self.size):
            if shape[start + i] is not None:
                shape[start + i] *= factor
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config


class UpSampling2D(_SpatialUpSampling):
    """Enlarges an image by ``size = (rows_factor, cols_factor)``.

    Args:
        size: an int or 2 ints, the factors for rows and columns ((2, 2)).
        data_format: ``"channels_last"`` (``(batch, rows, cols, channels)``) or
            ``"channels_first"``; ``image_data_format()`` by default.
        interpolation: ``"nearest"`` (each pixel repeated) or ``"bilinear"`` (half-pixel
            centers, no antialiasing, as Keras's ``image.resize``); ``"bicubic"`` too.

    Output: ``(batch, rows * rows_factor, cols * cols_factor, channels)``.
    """

    _rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, **kwargs)
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in ("nearest", "bilinear", "bicubic"):
            raise ValueError(
                f"UpSampling2D '{self.name}': `interpolation` should be 'nearest', 'bilinear' "
                f"or 'bicubic' on torch. Received: interpolation={interpolation!r}"
            )

    def call(self, inputs):
        return ops.upsample(inputs, self.size, self.interpolation, self.data_format)

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(_SpatialUpSampling):
    """Enlarges a volume by repeating each cell ``size = (f1, f2, f3)`` times along the
    spatial axes.

    Args:
        size: an int or 3 ints ((2, 2, 2)).
        data_format: ``"channels_last"`` (``(batch, dim1, dim2, dim3, channels)``) or
            ``"channels_first"``; ``image_data_format()`` by default.

    Output: each spatial axis multiplied by its factor.
    """

    _rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, **kwargs)

    def call(self, inputs):
        return ops.upsample(inputs, self.size, "nearest", self.data_format)
