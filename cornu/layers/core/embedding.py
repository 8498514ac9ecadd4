"""Embedding: turns integer indices into dense vectors of a fixed size."""

from cornu import constraints, initializers, ops, quantizers, regularizers
from cornu.layers.core.quantized_embedding import QuantizedEmbeddingMixin
from cornu.layers.layer import Layer
from cornu.saving.serialization_lib import serialize_keras_object


class Embedding(QuantizedEmbeddingMixin, Layer):
    """Maps each index in ``[0, input_dim)`` to a trainable vector of size ``output_dim``:
    ``outputs = embeddings[inputs]``.

    Args:
        input_dim: the vocabulary size (largest index + 1).
        output_dim: the size of each vector.
        embeddings_initializer: the table's initializer (``"uniform"``: U(-0.05, 0.05)).
        embeddings_regularizer: a penalty on the table.
        activity_regularizer: a penalty on the output.
        embeddings_constraint: a constraint on the table.
        mask_zero: treat index 0 as padding: the layer then outputs the mask
            ``inputs != 0`` for the layers after it (so index 0 cannot be a real token, and
            ``input_dim`` should be the vocabulary size + 1).
        weights: an initial ``(input_dim, output_dim)`` table.
        quantization_config: the `cornu.quantizers.QuantizationConfig` of a quantized layer
            (set by ``quantize("int8" | "int4")``; read back from a saved quantized layer).

    Input shape: ``(batch_size, ...)`` of integers. Output shape: ``(batch_size, ...,
    output_dim)``. The weight ``embeddings`` has shape ``(input_dim, output_dim)``.
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        quantization_config=None,
        **kwargs,
    ):
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"Embedding: `{arg}` must be a positive integer. Received: {arg}={value!r} "
                    f"(of type {type(value).__name__})."
                )
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.quantization_config = quantization_config
        self.supports_masking = mask_zero
        self.autocast = False
        if weights is not None:
            self.build()
            if isinstance(weights, (list, tuple)) and len(weights) == 1:
                weights = weights[0]
            self.set_weights([weights])

    def build(self, input_shape=None):
        if self.built:
            return
        shape = (self.input_dim, self.output_dim)
        if self.quantization_mode:
            self.quantized_build(shape, self.quantization_mode, self.quantization_config)
        if self.quantization_mode not in ("int8", "int4"):
            self._embeddings = self.add_weight(
                shape=shape,
                initializer=self.embeddings_initializer,
                regularizer=self.embeddings_regularizer,
                constraint=self.embeddings_constraint,
                name="embeddings",
            )
        self.built = True

    def _quantizable_class(self):
        return Embedding

    def call(self, inputs):
        if self.quantization_mode is not None:
            return self.quantized_call(inputs)
        if ops.dtype(inputs) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        return ops.cast(ops.take(self.embeddings, inputs, axis=0), self.compute_dtype)

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
                "quantization_config": serialize_keras_object(self.quantization_config),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["quantization_config"] = quantizers.deserialize(config.get("quantization_config"))
        return super().from_config(config)
