"""Cropping1D/2D/3D: remove cells at the borders of the spatial axes."""

from cornu import core
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer
from cornu.layers.reshaping.reshaping_utils import standardize_pairs, standardize_tuple


class _Cropping(Layer):
    """Crops the ``rank`` spatial axes; ``self._pairs`` holds one ``(before, after)`` pair per
    axis."""

    _rank = None

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = core.standardize_data_format(data_format)
        if self._rank == 1:
            self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
            self._pairs = (self.cropping,)
        else:
            self.cropping = standardize_pairs(cropping, self._rank, "cropping", type(self).__name__)
            self._pairs = self.cropping
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def _spatial_start(self):
        return 2 if self.data_format == "channels_first" else 1

    def _check(self, shape, what):
        start = self._spatial_start()
        for i, (before, after) in enumerate(self._pairs):
            size = shape[start + i]
            if size is not None and before + after >= size:
                if self._rank == 1:
                    raise ValueError(
                        "`cropping` parameter of `Cropping1D` layer must be smaller than the "
                        f"input length. Received: {what}={tuple(shape)}, "
                        f"cropping={self.cropping}"
                    )
                raise ValueError(
                    f"Layer '{self.name}': values in `cropping` argument should be smaller "
                    "than the corresponding spatial dimension of the input. Received: "
                    f"{what}={tuple(shape)}, cropping={self.cropping}"
                )

    def call(self, inputs):
        self._check(tuple(inputs.shape), "inputs.shape")
        index = [slice(None)] * inputs.ndim
        start = self._spatial_start()
        for i, (before, after) in enumerate(self._pairs):
            index[start + i] = slice(before, inputs.shape[start + i] - after)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        self._check(input_shape, "input_shape")
        shape = list(input_shape)
        start = self._spatial_start()
        for i, (before, after) in enumerate(self._pairs):
            if shape[start + i] is not None:
                shape[start + i] -= before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config


class Cropping1D(_Cropping):
    """Crops the steps axis of a 1-D sequence ``(batch, steps, features)``.

    Args:
        cropping: an int (the same at both ends) or a pair ``(before, after)``.

    Output: ``(batch, steps - before - after, features)``.
    """

    _rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        return config


class Cropping2D(_Cropping):
    """Crops the rows and columns of a 2-D image.

    Args:
        cropping: an int (every side), ``(symmetric_height_crop, symmetric_width_crop)``,
            or ``((top, bottom), (left, right))``.
        data_format: ``"channels_last"`` (``(batch, rows, cols, channels)``) or
            ``"channels_first"``; ``image_data_format()`` by default.

    Output: ``(batch, rows - top - bottom, cols - left - right, channels)``.
    """

    _rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3D(_Cropping):
    """Crops the three spatial axes of a volume.

    Args:
        cropping: an int (every side), 3 ints (symmetric per axis) or 3 pairs
            ``((before1, after1), (before2, after2), (before3, after3))``.
        data_format: ``"channels_last"`` (``(batch, dim1, dim2, dim3, channels)``) or
            ``"channels_first"``; ``image_data_format()`` by default.

    Output: each spatial axis shrinks by its ``before + after``.
    """

    _rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
