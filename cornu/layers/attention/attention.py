"""Attention: dot-product (Luong-style) attention over a query and a value sequence."""

from cornu import core, ops, random
from cornu.core import KerasTensor
from cornu.layers.layer import Layer


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    For a ``query`` of shape ``(batch_size, Tq, dim)`` and a ``value`` (and ``key``, by
    default the value) of shape ``(batch_size, Tv, dim)``: the scores ``query . key^T``
    (``(batch_size, Tq, Tv)``) go through a softmax over ``Tv``, and the output is the
    scores' combination of the values, ``(batch_size, Tq, dim)``.

    Args:
        use_scale: whether to learn a scalar ``scale`` that multiplies the scores.
        score_mode: ``"dot"`` (the query-key dot product) or ``"concat"`` (the sum over
            ``dim`` of ``tanh(query + key)``, times a learned scalar).
        dropout: the fraction of the attention weights to drop during training.
        seed: an int seed for the dropout.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``.
        mask: ``[query_mask, value_mask]`` (booleans, ``(batch_size, Tq)`` and
            ``(batch_size, Tv)``); by default the inputs' masks. Masked values take no part
            in the result, and the output is 0 at masked query steps.
        return_attention_scores: whether to also return the attention weights (after mask
            and softmax), ``(batch_size, Tq, Tv)``.
        training: whether dropout is applied.
        use_causal_mask: whether step ``i`` may only attend to steps ``j <= i``.

    Output: ``(batch_size, Tq, dim)`` (and the weights when asked for).
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if self.dropout > 0:
            self.seed_generator = random.SeedGenerator(seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"{type(self).__name__} '{self.name}': invalid value for argument "
                "score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode!r}"
            )
        self.supports_masking = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones"
            )
        self.built = True

    def _calculate_scores(self, query, key):
        """The scores ``(batch_size, Tq, Tv)`` of each query step against each key step."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            if self.scale is not None:
                scores = scores * self.scale
            return scores
        pairs = ops.expand_dims(query, -2) + ops.expand_dims(key, -3)  # (B, Tq, Tv, dim)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * ops.sum(ops.tanh(pairs), axis=-1)

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """Softmax of the (masked) scores, then their combination of ``value``."""
        if scores_mask is not None:
            # Excluded positions get a large negative bias, so their weight is ~0.
            big = 65504.0 if core.standardize_dtype(scores.dtype) == "float16" else 1.0e9
            if scores_mask.ndim == 2:
                scores_mask = ops.expand_dims(scores_mask, -2)
            scores = ops.where(ops.logical_not(scores_mask), scores - big, scores)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def _calculate_score_mask(self, scores, value_mask, use_causal_mask):
        if not use_causal_mask:
            return value_mask
        tq, tv = scores.shape[-2], scores.shape[-1]
        causal = ops.tril(ops.ones((1, tq, tv), dtype="bool"))
        if value_mask is None:
            return causal
        return ops.logical_and(ops.expand_dims(value_mask, -2), causal)

    def call(
        self,
        inputs,
        mask=None,
        training=False,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = _as_bool(mask[0]) if mask else None
        value_mask = _as_bool(mask[1]) if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = self._calculate_score_mask(scores, value_mask, use_causal_mask)
        output, weights = self._apply_scores(scores, value, scores_mask, training)
        if query_mask is not None:
            output = ops.where(ops.expand_dims(query_mask, -1), output, 0.0)
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return ops.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[0])[:-1], tuple(input_shape[1])[-1])

    def compute_output_spec(
        self, inputs, mask=None, return_attention_scores=False, training=None, **kwargs
    ):
        self._validate_inputs(inputs, mask)
        key = inputs[2] if len(inputs) > 2 else inputs[1]
        shape = self.compute_output_shape([x.shape for x in inputs])
        output = KerasTensor(shape, dtype=self.compute_dtype)
        if return_attention_scores:
            scores = KerasTensor((*inputs[0].shape[:-1], key.shape[-2]), dtype=self.compute_dtype)
            return output, scores
        return output

    def _validate_inputs(self, inputs, mask=None):
        kind = f"{type(self).__name__} layer '{self.name}'"
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{kind} must be called on a list of inputs, namely [query, value] or "
                f"[query, value, key]. Received: inputs={inputs}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{kind} accepts inputs list of length 2 or 3, namely [query, value] or "
                f"[query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{kind} mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask}."
                )
            if not 2 <= len(mask) <= 3:
                raise ValueError(
                    f"{kind} accepts mask list of length 2 or 3. Received: mask of length "
                    f"{len(mask)}."
                )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "use_scale": self.use_scale,
                "score_mode": self.score_mode,
                "dropout": self.dropout,
                "seed": self.seed,
            }
        )
        return config


def _as_bool(mask):
    return None if mask is None else ops.cast(mask, "bool")
