"""GaussianNoise: adds zero-centered Gaussian noise during training."""

from cornu import ops, random
from cornu.layers.layer import Layer


class GaussianNoise(Layer):
    """Adds noise drawn from ``N(0, stddev ** 2)`` to the inputs during training (a form of
    data augmentation for real-valued inputs); does nothing at inference.

    Args:
        stddev: the noise's standard deviation, in ``[0, 1]``.
        seed: an int seed for reproducible noise.

    Input and output shapes are the same.
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if (
            isinstance(stddev, bool)
            or not isinstance(stddev, (int, float))
            or not (0 <= stddev <= 1)
        ):
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a float value between "
                f"0 and 1. Received: stddev={stddev}"
            )
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = random.normal(
                tuple(inputs.shape),
                stddev=self.stddev,
                dtype=ops.dtype(inputs),
                seed=self.seed_generator,
            )
            return inputs + noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
