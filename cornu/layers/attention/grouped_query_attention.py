"""GroupedQueryAttention: attention whose query heads share fewer key/value heads."""

import math

from cornu import config, constraints, core, initializers, ops, regularizers
from cornu.core import KerasTensor
from cornu.layers.attention.multi_head_attention import check_window_and_flash
from cornu.layers.core.einsum_dense import EinsumDense
from cornu.layers.layer import Layer
from cornu.layers.regularization.dropout import Dropout


class GroupedQueryAttention(Layer):
    """Grouped query attention (Ainslie et al., 2023), exported as ``GroupQueryAttention``.

    ``num_query_heads`` query heads attend in groups to ``num_key_value_heads`` key/value
    heads (each key/value head serves ``num_query_heads // num_key_value_heads`` query heads):
    multi-head attention when both are equal, multi-query attention with one key/value head.

    Args:
        head_dim: the size of each head.
        num_query_heads: the number of query heads.
        num_key_value_heads: the number of key and value heads; divides ``num_query_heads``.
        dropout: the dropout rate on the attention weights.
        use_bias: whether the projections have biases.
        sliding_window: None, or a positive int: each query step then attends only to key
            steps closer than ``sliding_window``.
        flash_attention: None (torch chooses its kernel, flash included unless
            `cornu.config.disable_flash_attention()` was called), True to require the flash
            kernel, False to exclude it.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: the projections' settings.
        use_gate: whether to gate the output by ``sigmoid`` of a projection of the query.
        seed: an int seed for the dropout.

    Call arguments: as ``MultiHeadAttention`` (``query (B, T, dim)``, ``value (B, S, dim)``,
    ``key``, the masks, ``attention_mask``, ``return_attention_scores``, ``training``,
    ``use_causal_mask``); here every mask, the query's too, is by default its tensor's
    ``_keras_mask``.

    Output: ``(B, T, dim)``, and the weights ``(B, num_query_heads, T, S)`` when asked for.
    Weights, in Keras's order: ``query/kernel (dim, num_query_heads, head_dim)`` and bias,
    ``key`` and ``value`` kernels ``(dim, num_key_value_heads, head_dim)`` and biases, then
    ``attention_output/kernel (num_query_heads, head_dim, dim)`` and bias ``(dim,)``.
    """

    # Keras exports its GroupedQueryAttention class as `keras.layers.GroupQueryAttention` and
    # writes that name in configs; weight paths keep the class's own name.
    _keras_class_name = "GroupQueryAttention"
    _keras_python_name = "GroupedQueryAttention"

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        where = f"GroupedQueryAttention '{self.name}'"
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                f"{where}: `num_query_heads` must be divisible by `num_key_value_heads`. "
                f"Received: num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}"
            )
        check_window_and_flash(where, sliding_window, flash_attention, dropout)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention or config.is_flash_attention_enabled()
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def _dense(self, equation, output_shape, bias_axes, name, activation=None):
        return EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            activation=activation,
            name=name,
            kernel_initializer=type(self.kernel_initializer).from_config(
                self.kernel_initializer.get_config()
            ),
            bias_initializer=type(self.bias_initializer).from_config(
                self.bias_initializer.get_config()
            ),
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
            dtype=self.dtype_policy,
        )

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        heads, kv_heads, size = self.num_query_heads, self.num_key_value_heads, self.head_dim
        self._query_dense = self._dense("bqm,muh->bquh", (None, heads, size), "uh", "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", (None, kv_heads, size), "vh", "key")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._dense(
                "bqm,muh->bquh", (None, heads, size), "uh", "gate", activation="sigmoid"
            )
            self._gate_dense.build(query_shape)
        self._value_dense = self._dense("bkm,mvh->bkvh", (None, kv_heads, size), "vh", "value")
        self._value_dense.build(value_shape)
        self._softmax = _AttentionSoftmax(dtype=self.dtype_policy, name=core.auto_name("softmax"))
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._output_dense = self._dense(
            "bquh,uhm->bqm", (None, self.feature_dim), "m", "attention_output"
        )
        self._output_dense.build((None, None, heads, size))
        self.built = True

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        query, value = self._convert_input(query), self._convert_input(value)
        key = value if key is None else self._convert_input(key)
        causal_only = (
            use_causal_mask
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
            and self.sliding_window is None
        )
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
        gate = self._gate_dense(query) if self.use_gate else None
        query = self._query_dense(query)  # (B, T, heads, head_dim)
        key = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)
        value = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores, causal_only
        )
        output = self._output_dense(output * gate if gate is not None else output)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention_mask(
        self, query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
    ):
        auto = None
        for mask, axis in ((query_mask, -1), (value_mask, -2), (key_mask, -2)):
            if mask is not None:
                mask = ops.expand_dims(ops.cast(mask, "bool"), axis)
                auto = mask if auto is None else auto & mask
        t, s = query.shape[1], value.shape[1]
        if use_causal_mask:
            mask = ops.tril(ops.ones((1, t, s), dtype="bool"))
            auto = mask if auto is None else auto & mask
        if self.sliding_window is not None:
            rows = ops.reshape(ops.arange(t, dtype="int32"), (1, t, 1))
            cols = ops.reshape(ops.arange(s, dtype="int32"), (1, 1, s))
            mask = ops.less(ops.abs(rows - cols), self.sliding_window)
            auto = mask if auto is None else auto & mask
        if auto is not None:
            attention_mask = (
                auto if attention_mask is None else ops.cast(attention_mask, "bool") & auto
            )
        return attention_mask

    def _compute_attention(
        self, query, key, value, attention_mask, training, return_scores, causal_only
    ):
        if self._flash_attention and return_scores:
            raise ValueError(
                f"GroupedQueryAttention '{self.name}': returning attention scores is not "
                "supported when flash attention is enabled."
            )
        if not (self.dropout > 0.0 or return_scores or query.ndim != 4):
            if attention_mask is not None:
                while attention_mask.ndim < 4:
                    attention_mask = ops.expand_dims(attention_mask, -3)
                attention_mask = ops.cast(attention_mask, "bool")
            output = ops.dot_product_attention(
                query,
                key,
                value,
                mask=attention_mask,
                scale=self._inverse_sqrt_head_dim,
                is_causal=causal_only,
                flash_attention=self._flash_attention,
            )
            return output, None
        if causal_only:
            t, s = query.shape[1], value.shape[1]
            attention_mask = ops.tril(ops.ones((1, t, s), dtype="bool"))
        query = query * ops.cast(self._inverse_sqrt_head_dim, query.dtype)
        scores = ops.einsum("bquh,bkuh->buqk", query, key)
        mask = None
        if attention_mask is not None:
            mask = ops.cast(attention_mask, "bool")
            while mask.ndim < scores.ndim:
                mask = ops.expand_dims(mask, -3)
        scores = self._softmax(scores, attention_mask=mask)
        weights = self._dropout_layer(scores, training=training) if self.dropout > 0 else scores
        return ops.einsum("buqk,bkuh->bquh", weights, value), scores

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                f"GroupedQueryAttention '{self.name}': the last dimension of `query_shape` "
                f"and `value_shape` must be equal, but are {query_shape[-1]}, "
                f"{value_shape[-1]}. Received: query_shape={query_shape}, "
                f"value_shape={value_shape}"
            )
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                f"GroupedQueryAttention '{self.name}': all dimensions of `value` and `key`, "
                f"except the last one, must be equal. Received: value_shape={value_shape} "
                f"and key_shape={key_shape}"
            )
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kw):
        shape = self.compute_output_shape(
            query.shape, value.shape, None if key is None else key.shape
        )
        output = KerasTensor(shape, dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        source = value if key is None else key
        scores = (query.shape[0], self.num_query_heads, query.shape[1], source.shape[1])
        return output, KerasTensor(scores, dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads,
                "use_bias": self.use_bias,
                "use_gate": self.use_gate,
                "sliding_window": self.sliding_window,
                "dropout": self.dropout,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "seed": self.seed,
            }
        )
        return config


class _AttentionSoftmax(Layer):
    """Softmax of attention scores over their last axis, 0 where ``attention_mask`` is False.

    Keras's GroupQueryAttention holds its softmax as a (weightless) sub-layer ``_softmax``;
    this one keeps the saved files' layout the same.
    """

    def call(self, scores, attention_mask=None):
        if attention_mask is None:
            return ops.softmax(scores, axis=-1)
        fill = -3e4 if core.standardize_dtype(scores.dtype) == "float16" else -1e9
        masked = ops.where(attention_mask, scores, fill)
        return ops.where(attention_mask, ops.softmax(masked, axis=-1), 0.0)

    def compute_output_shape(self, input_shape):
        return input_shape
