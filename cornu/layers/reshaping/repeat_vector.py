"""RepeatVector: repeats a vector along a new time axis."""

from cornu import ops
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats each input vector ``n`` times.

    Args:
        n: the number of repetitions.

    Input shape ``(batch, features)``; output ``(batch, n, features)``.
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
