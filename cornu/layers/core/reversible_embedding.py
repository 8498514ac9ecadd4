"""ReversibleEmbedding: an embedding that also projects vectors back to vocabulary logits."""

from cornu import backend, ops
from cornu.core.masking import set_keras_mask
from cornu.layers.core.embedding import Embedding


class ReversibleEmbedding(Embedding):
    """An ``Embedding`` that can be called in reverse: ``layer(ids)`` looks up vectors, and
    ``layer(hidden, reverse=True)`` gives vocabulary logits ``hidden @ embeddings.T`` (or
    ``hidden @ reverse_embeddings`` when the weights are not tied), as a language model's
    input embedding and output head in one layer.

    Args:
        input_dim: the vocabulary size.
        output_dim: the size of each vector.
        tie_weights: reuse ``embeddings`` (transposed) for the reverse projection; if False a
            separate ``reverse_embeddings`` weight of shape ``(output_dim, input_dim)`` is made.
        embeddings_initializer, embeddings_regularizer, embeddings_constraint, mask_zero: as
            for ``Embedding``.
        reverse_dtype: the dtype of the reverse matmul (inputs and kernel are cast to it),
            e.g. ``"float32"`` for full-precision logits under mixed precision.
        logit_soft_cap: if set, logits become ``tanh(logits / cap) * cap``.

    Call arguments:
        inputs: integer ids ``(batch, ...)``, or with ``reverse=True`` vectors
            ``(batch, ..., output_dim)``.
        reverse: project vectors to logits ``(batch, ..., input_dim)`` instead of embedding.
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        tie_weights=True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        reverse_dtype=None,
        logit_soft_cap=None,
        **kwargs,
    ):
        weights = kwargs.pop("weights", None)
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap
        if weights is not None:
            self.build()
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
                name="reverse_embeddings",
                trainable=True,
            )
        self.built = True

    def call(self, inputs, reverse=False):
        if not reverse:
            outputs = super().call(inputs)
            if self.mask_zero:
                set_keras_mask(outputs, ops.not_equal(inputs, 0))
            return outputs
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            inputs = ops.cast(inputs, self.reverse_dtype)
            kernel = ops.cast(kernel, self.reverse_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = ops.multiply(ops.tanh(ops.divide(logits, cap)), cap)
        return logits

    def compute_mask(self, inputs, previous_mask=None):
        # The mask (of a forward call) is set on the output by `call` itself, since a
        # reverse call has none.
        return None

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return (*tuple(input_shape)[:-1], self.input_dim)
        return (*tuple(input_shape), self.output_dim)

    def compute_output_spec(self, inputs, reverse=False):
        shape = self.compute_output_shape(inputs.shape, reverse=reverse)
        outputs = backend.KerasTensor(shape, dtype=self.compute_dtype)
        if self.mask_zero and not reverse:
            set_keras_mask(outputs, backend.KerasTensor(tuple(inputs.shape), dtype="bool"))
        return outputs

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap,
            }
        )
        return config
