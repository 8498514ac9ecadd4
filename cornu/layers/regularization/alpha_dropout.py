"""AlphaDropout: dropout that keeps the mean and variance of SELU activations."""

from cornu import ops, random
from cornu.layers.layer import Layer

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Dropout for self-normalizing networks (``selu`` activations): during training each
    value is kept with probability ``1 - rate`` or set to SELU's negative saturation
    ``-alpha * scale``, then the result is mapped by ``a * x + b`` chosen so that inputs of
    zero mean and unit variance keep them. Does nothing at inference.

    Args:
        rate: the drop probability, in ``[0, 1]``.
        noise_shape: the shape of the keep/drop mask (None sizes follow the input).
        seed: an int seed for reproducible masks.

    Input and output shapes are the same.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between "
                f"0 and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not (training and self.rate > 0):
            return inputs
        shape = tuple(inputs.shape)
        if self.noise_shape is not None:
            shape = tuple(s if n is None else n for s, n in zip(shape, self.noise_shape))
        saturation = -_SELU_ALPHA * _SELU_SCALE
        noise = random.uniform(shape, dtype=ops.dtype(inputs), seed=self.seed_generator)
        kept = ops.cast(ops.greater_equal(noise, self.rate), ops.dtype(inputs))
        a = ((1 - self.rate) * (1 + self.rate * saturation**2)) ** -0.5
        b = -a * saturation * self.rate
        return a * (inputs * kept + saturation * (1 - kept)) + b

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
