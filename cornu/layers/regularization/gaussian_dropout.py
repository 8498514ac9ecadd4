"""GaussianDropout: multiplies the inputs by 1-centered Gaussian noise during training."""

import math

from cornu import ops, random
from cornu.layers.layer import Layer


class GaussianDropout(Layer):
    """Multiplies the inputs by noise drawn from ``N(1, rate / (1 - rate))`` during training
    (the variance of dropout with that rate, without zeros); does nothing at inference.

    Args:
        rate: the equivalent drop probability, in ``[0, 1]``.
        seed: an int seed for reproducible noise.

    Input and output shapes are the same.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between "
                f"0 and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random.normal(
                tuple(inputs.shape),
                mean=1.0,
                stddev=stddev,
                dtype=ops.dtype(inputs),
                seed=self.seed_generator,
            )
            return inputs * noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
