"""Dropout: randomly zeroes inputs during training."""

from cornu import random
from cornu.layers.layer import Layer


class Dropout(Layer):
    """Sets a fraction ``rate`` of the inputs to 0 during training, scaling the others by
    ``1 / (1 - rate)`` so the expected sum is unchanged. Does nothing at inference.

    Args:
        rate: the fraction of inputs to drop, in ``[0, 1)``.
        noise_shape: the shape of the binary mask (None sizes follow the input), e.g.
            ``(batch_size, 1, features)`` to drop the same features at every timestep.
        seed: an int seed for reproducible masks.

    Input and output shapes are the same.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate` of Dropout '{self.name}'. "
                f"Expected a float value between 0 and 1. Received: rate={rate!r}"
            )
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(
                inputs, self.rate, noise_shape=self.noise_shape, seed=self.seed_generator
            )
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
