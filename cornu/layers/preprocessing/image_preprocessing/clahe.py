"""ContrastLimitedAdaptiveHistogramEqualization: CLAHE on each image channel."""

import numbers

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range

_LEVELS = 256


def _symmetric_indices(size, padded_size):
    """Indices that extend ``range(size)`` to ``padded_size`` by mirroring (``... c b a | a b c``
    at the end), as ``numpy.pad(mode="symmetric")``."""
    period = 2 * size
    return [
        i % period if i % period < size else period - 1 - i % period for i in range(padded_size)
    ]


class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Contrast Limited Adaptive Histogram Equalization (CLAHE) of each image channel.

    The image (on the ``[0, 255]`` scale) is split into a ``tile_grid_size`` grid of tiles
    (padded symmetrically at the bottom and right to whole tiles); each tile's 256-bin
    histogram is clipped at ``clip_limit`` times the mean bin count (truncated to a whole
    count, as Keras on torch does), with the excess spread over all bins, and turned into a
    normalized cumulative sum; each pixel is mapped through the tables of its four nearest
    tiles, interpolated bilinearly. The result is mapped back
    to ``value_range`` and cast to the input's dtype.

    Not random: the layer acts in training and at inference alike, as in Keras.

    Args:
        value_range: ``(low, high)``, the range of the input values (``(0, 255)`` by default).
        clip_limit: the contrast limit, a multiple of the mean bin count (4.0 by default);
            0 or less disables clipping.
        tile_grid_size: ``(rows, columns)`` of the tile grid (``(8, 8)`` by default).
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input and output shape: ``(batch, height, width, channels)`` or a single
    ``(height, width, channels)`` image (channels first with ``"channels_first"``).
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range=(0, 255),
        clip_limit=4.0,
        tile_grid_size=(8, 8),
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        name = "ContrastLimitedAdaptiveHistogramEqualization"
        self.value_range = validate_value_range(value_range, name)
        if isinstance(clip_limit, bool) or not isinstance(clip_limit, numbers.Real):
            raise ValueError(f"{name}: `clip_limit` should be a number. Received: {clip_limit!r}")
        if not (
            isinstance(tile_grid_size, (tuple, list))
            and len(tile_grid_size) == 2
            and all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in tile_grid_size
            )
        ):
            raise ValueError(
                f"{name}: `tile_grid_size` should be a pair of positive integers "
                f"(rows, columns). Received: tile_grid_size={tile_grid_size!r}"
            )
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def transform_images(self, images, transformation=None, training=True):
        if self.data_format == "channels_first":
            images = ops.transpose(images, (0, 2, 3, 1))
        dtype = images.dtype
        images = self._transform_value_range(images, self.value_range, (0, 255), "float32")
        images = self._clahe(images)
        images = self._transform_value_range(images, (0, 255), self.value_range, "float32")
        images = ops.cast(images, dtype)
        if self.data_format == "channels_first":
            images = ops.transpose(images, (0, 3, 1, 2))
        return images

    def _tile_tables(self, pixels, batch, channels, tile_h, tile_w):
        """The ``(batch, rows + 2, cols + 2, channels, 256)`` equalization tables of the
        tiles (the grid extended by one tile of copies on each side)."""
        grid_h, grid_w = self.tile_grid_size
        rows = ops.arange(grid_h * tile_h, dtype="int32") // tile_h
        cols = ops.arange(grid_w * tile_w, dtype="int32") // tile_w
        tile = (
            ops.arange(batch, dtype="int32")[:, None, None, None] * grid_h
            + rows[None, :, None, None]
        ) * grid_w + cols[None, None, :, None]
        bins = (tile * channels + ops.arange(channels, dtype="int32")) * _LEVELS
        bins = ops.reshape(bins + ops.clip(ops.cast(pixels, "int32"), 0, _LEVELS - 1), (-1,))
        counts = ops.segment_sum(
            ops.ones(bins.shape, dtype="int64"),
            bins,
            num_segments=batch * grid_h * grid_w * channels * _LEVELS,
        )
        hists = ops.reshape(counts, (batch, grid_h, grid_w, channels, _LEVELS))
        if self.clip_limit > 0:
            # Keras on torch counts in int64, so the limit is truncated to a whole count.
            limit = ops.cast(self.clip_limit * (tile_h * tile_w) / 256.0, "int64")
            clipped = ops.clip(hists, 0, limit)
            excess = ops.sum(hists - clipped, axis=-1, keepdims=True)
            hists = ops.cast(clipped, "float32") + ops.cast(excess, "float32") / 256.0
        cdf = ops.cumsum(hists, axis=-1)
        cdf_min = ops.min(cdf, axis=-1, keepdims=True)
        denominator = ops.cast(tile_h * tile_w, cdf.dtype) - cdf_min
        denominator = ops.where(denominator == 0, ops.ones_like(denominator), denominator)
        numerator = ops.cast(cdf - cdf_min, "float32") * 255.0
        tables = ops.clip(numerator / ops.cast(denominator, "float32"), 0, 255)
        tables = ops.concatenate([tables[:, :1], tables, tables[:, -1:]], axis=1)
        return ops.concatenate([tables[:, :, :1], tables, tables[:, :, -1:]], axis=2)

    def _clahe(self, images):
        batch, height, width, channels = images.shape
        grid_h, grid_w = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        padded_h, padded_w = tile_h * grid_h, tile_w * grid_w
        if (padded_h, padded_w) != (height, width):
            images = ops.take(images, _symmetric_indices(height, padded_h), axis=1)
            images = ops.take(images, _symmetric_indices(width, padded_w), axis=2)
        tables = ops.reshape(self._tile_tables(images, batch, channels, tile_h, tile_w), (-1,))

        def neighbours(size, tile, grid):
            position = (ops.arange(size, dtype="float32") - tile / 2.0) / tile + 1.0
            low = ops.floor(position)
            weight = position - low
            low_index = ops.cast(ops.clip(low, 0, grid + 1), "int32")
            high_index = ops.cast(ops.clip(low + 1.0, 0, grid + 1), "int32")
            return low_index, high_index, weight

        y0, y1, wy = neighbours(padded_h, tile_h, grid_h)
        x0, x1, wx = neighbours(padded_w, tile_w, grid_w)
        stride_x = _LEVELS * channels
        stride_y = stride_x * (grid_w + 2)
        stride_b = stride_y * (grid_h + 2)
        pixels = ops.cast(ops.clip(images, 0, 255), "int32")
        base = (
            ops.arange(batch, dtype="int32")[:, None, None, None] * stride_b
            + ops.arange(channels, dtype="int32") * _LEVELS
            + pixels
        )
        y0, y1, wy = y0[:, None, None], y1[:, None, None], wy[:, None, None]
        x0, x1, wx = x0[:, None], x1[:, None], wx[:, None]

        def lookup(y, x):
            return ops.take(tables, base + y * stride_y + x * stride_x)

        top = lookup(y0, x0) * (1.0 - wx) + lookup(y0, x1) * wx
        bottom = lookup(y1, x0) * (1.0 - wx) + lookup(y1, x1) * wx
        result = top * (1.0 - wy) + bottom * wy
        return result[:, :height, :width, :]

    def get_config(self):
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
        }
