"""SpectralNormalization: a wrapper that divides a layer's kernel by its spectral norm."""

from cornu import initializers, ops
from cornu.layers.input_spec import InputSpec
from cornu.layers.rnn.wrapper import Wrapper


class SpectralNormalization(Wrapper):
    """Spectral normalization of the wrapped layer's ``kernel`` (or ``embeddings``): in
    training, each call estimates the kernel's largest singular value ``sigma`` by power
    iteration and replaces the kernel with ``kernel / sigma`` before the layer runs.

    The kernel is viewed as a matrix ``(-1, kernel.shape[-1])``; the power iteration's vector
    is kept in the non-trainable weight ``vector_u`` of shape ``(1, kernel.shape[-1])``. An
    all-zero kernel is left as it is. Outside training the layer runs unchanged.

    Args:
        layer: the layer to wrap; it must have a ``kernel`` or ``embeddings`` weight.
        power_iterations: the power-iteration steps per call (1).
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                f"SpectralNormalization '{self.name}': `power_iterations` should be greater "
                f"than zero. Received: `power_iterations={power_iterations}`"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"SpectralNormalization '{self.name}': {type(self.layer).__name__} object has "
                "no attribute 'kernel' nor 'embeddings'"
            )
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="vector_u",
            dtype=self.kernel.dtype,
        )
        self.built = True

    def call(self, inputs, training=False):
        if training:
            new_vector_u, new_kernel = ops.cond(
                ops.all(ops.equal(self.kernel.value, 0)),
                lambda: (self.vector_u.value, self.kernel.value),
                self.normalized_weights,
            )
            self.vector_u.assign(new_vector_u)
            self.kernel.assign(new_kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """``(vector_u, kernel)`` after ``power_iterations`` steps: the new power-iteration
        vector and the kernel divided by its estimated spectral norm."""
        weights = ops.reshape(self.kernel.value, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=None)
            vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=None)
        vector_u = ops.stop_gradient(vector_u)
        vector_v = ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        kernel = ops.reshape(ops.divide(self.kernel.value, sigma), self.kernel_shape)
        return ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
