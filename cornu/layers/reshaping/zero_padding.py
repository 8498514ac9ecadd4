"""ZeroPadding1D/2D/3D: add zeros around the spatial axes."""

from cornu import core, ops
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer
from cornu.layers.reshaping.reshaping_utils import standardize_pairs, standardize_tuple


class _ZeroPadding(Layer):
    """Pads the ``rank`` spatial axes with zeros; ``self.padding`` holds one pair per axis."""

    _rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = core.standardize_data_format(data_format)
        if self._rank == 1:
            self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
            self._pairs = (self.padding,)
        else:
            self.padding = standardize_pairs(padding, self._rank, "padding", type(self).__name__)
            self._pairs = self.padding
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def _first_spatial_axis(self):
        return 2 if self.data_format == "channels_first" else 1

    def call(self, inputs):
        if self.data_format == "channels_first":
            widths = ((0, 0), (0, 0)) + tuple(self._pairs)
        else:
            widths = ((0, 0),) + tuple(self._pairs) + ((0, 0),)
        return ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        start = self._first_spatial_axis()
        for i, (before, after) in enumerate(self._pairs):
            if shape[start + i] is not None:
                shape[start + i] += before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config


class ZeroPadding1D(_ZeroPadding):
    """Adds zeros at the start and end of the steps axis of a 1-D sequence.

    Args:
        padding: an int (the same at both ends) or a pair ``(before, after)``.
        data_format: ``"channels_last"`` (``(batch, steps, channels)``) or
            ``"channels_first"`` (``(batch, channels, steps)``).

    Output: the steps axis grows by ``before + after``.
    """

    _rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Adds rows and columns of zeros around a 2-D image.

    Args:
        padding: an int (every side), ``(symmetric_height_pad, symmetric_width_pad)``, or
            ``((top, bottom), (left, right))``.
        data_format: ``"channels_last"`` (``(batch, rows, cols, channels)``) or
            ``"channels_first"``; ``image_data_format()`` by default.

    Output: the padded image, ``(batch, rows + top + bottom, cols + left + right, channels)``.
    """

    _rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Adds zeros around a 3-D volume.

    Args:
        padding: an int (every side), 3 ints (symmetric per axis), or 3 pairs
            ``((before1, after1), (before2, after2), (before3, after3))``.
        data_format: ``"channels_last"`` (``(batch, dim1, dim2, dim3, channels)``) or
            ``"channels_first"``; ``image_data_format()`` by default.

    Output: each spatial axis grows by its ``before + after``.
    """

    _rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
