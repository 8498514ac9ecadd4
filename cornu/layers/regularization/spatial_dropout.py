"""SpatialDropout1D/2D/3D: drop whole feature maps instead of single values."""

from cornu import core, random
from cornu.layers.input_spec import InputSpec
from cornu.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout of entire channels: the mask has size 1 on every spatial axis."""

    _rank = None

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=self._rank + 2)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(
                inputs, self.rate, noise_shape=self._noise_shape(inputs), seed=self.seed_generator
            )
        return inputs

    def _noise_shape(self, inputs):
        shape = tuple(inputs.shape)
        if getattr(self, "data_format", "channels_last") == "channels_first":
            return shape[:2] + (1,) * self._rank
        return (shape[0],) + (1,) * self._rank + (shape[-1],)

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


class SpatialDropout1D(BaseSpatialDropout):
    """Drops entire 1-D feature maps (channels) with probability ``rate`` during training,
    scaling the others by ``1 / (1 - rate)``: use it after convolutions, where neighbouring
    timesteps are correlated and plain dropout barely regularizes.

    Args:
        rate: the fraction of channels to drop, in ``[0, 1]``.
        seed: an int seed for reproducible masks.

    Input and output shape: ``(batch_size, timesteps, channels)``.
    """

    _rank = 1


class SpatialDropout2D(BaseSpatialDropout):
    """Drops entire 2-D feature maps (channels) with probability ``rate`` during training,
    scaling the others by ``1 / (1 - rate)``.

    Args:
        rate: the fraction of channels to drop, in ``[0, 1]``.
        data_format: ``"channels_last"`` (``(batch, rows, cols, channels)``) or
            ``"channels_first"`` (``(batch, channels, rows, cols)``); ``image_data_format()``
            by default.
        seed: an int seed for reproducible masks.

    Input and output shapes are the same (rank 4).
    """

    _rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = core.standardize_data_format(data_format)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout3D(BaseSpatialDropout):
    """Drops entire 3-D feature maps (channels) with probability ``rate`` during training,
    scaling the others by ``1 / (1 - rate)``.

    Args:
        rate: the fraction of channels to drop, in ``[0, 1]``.
        data_format: ``"channels_last"`` (``(batch, dim1, dim2, dim3, channels)``) or
            ``"channels_first"``; ``image_data_format()`` by default.
        seed: an int seed for reproducible masks.

    Input and output shapes are the same (rank 5).
    """

    _rank = 3

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = core.standardize_data_format(data_format)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
