"""MultiHeadAttention: attention in several projected subspaces ("Attention is all you need")."""

import math
import string

from cornu import config, constraints, core, initializers, ops, regularizers
from cornu.core import KerasTensor
from cornu.core.masking import get_keras_mask, set_keras_mask
from cornu.layers.core.einsum_dense import EinsumDense
from cornu.layers.layer import Layer
from cornu.layers.regularization.dropout import Dropout


def check_window_and_flash(where, sliding_window, flash_attention, dropout):
    """Raises Keras's errors for a bad ``sliding_window`` or flash attention with dropout."""
    if sliding_window is not None and (not isinstance(sliding_window, int) or sliding_window <= 0):
        raise ValueError(
            f"{where}: `sliding_window` must be `None` or a positive integer. "
            f"Received: sliding_window={sliding_window!r}"
        )
    if flash_attention and dropout > 0.0:
        raise ValueError(
            f"{where}: dropout is not supported when flash attention is enabled. "
            "Please set dropout to 0.0 to use flash attention."
        )


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017).

    ``query``, ``key`` and ``value`` are projected into ``num_heads`` heads (``key_dim`` wide
    for query and key, ``value_dim`` for value); in each head the scaled dot products of
    query and key steps go through a softmax and combine the value steps; the heads are
    projected back to the query's feature size (or ``output_shape``). With the same tensor
    as query and value this is self-attention.

    Args:
        num_heads: the number of attention heads.
        key_dim: the size of each head for query and key.
        value_dim: the size of each head for value; ``key_dim`` when None.
        dropout: the dropout rate on the attention weights.
        use_bias: whether the projections have biases.
        output_shape: the output's shape without batch and sequence axes; by default the
            query's last dimension.
        attention_axes: the axes attention runs over; None means every axis but the batch,
            heads and features.
        sliding_window: None, or a positive int: each query step then attends only to key
            steps closer than ``sliding_window``.
        flash_attention: None (torch chooses its kernel, flash included unless
            `cornu.config.disable_flash_attention()` was called), False to exclude the flash
            kernel, or True to require the flash
            kernel (an error where it cannot run).
        kernel_initializer, bias_initializer: the projections' initializers.
        kernel_regularizer, bias_regularizer, activity_regularizer: the projections'
            regularizers.
        kernel_constraint, bias_constraint: the projections' constraints.
        use_gate: whether to gate the attention output by ``sigmoid`` of a projection of the
            query (gated attention).
        seed: an int seed for the dropout.

    Call arguments:
        query: ``(B, T, dim)``. value: ``(B, S, dim)``. key: ``(B, S, dim)``, the value when
            None.
        attention_mask: boolean ``(B, T, S)``: which key steps each query step may attend
            to; batch and head axes broadcast.
        return_attention_scores: whether to also return the attention weights
            ``(B, num_heads, T, S)``.
        training: whether dropout is applied.
        use_causal_mask: whether step ``t`` may only attend to steps ``<= t``.
        query_mask, value_mask, key_mask: boolean ``(B, T)`` / ``(B, S)`` masks; the value's
            and key's are by default their ``_keras_mask`` (e.g. from
            ``Embedding(mask_zero=True)``). As in Keras, the query's mask is always its
            ``_keras_mask`` (a ``query_mask`` argument is not used); the output carries it.
            Unlike an eager call in Keras, the masks stay on ``query``, ``value`` and ``key``
            (Keras takes them off, so later layers see them in its Functional models but not
            in eager code; cornu gives the Functional models' numbers in both).

    Output: ``(B, T, dim)`` (or ``(B, T) + output_shape``), and the weights when asked for.
    Weights, in Keras's order: ``query/kernel (dim, num_heads, key_dim)``, ``query/bias
    (num_heads, key_dim)``, the same for ``key``, ``value`` (with ``value_dim``), then
    ``attention_output/kernel (num_heads, value_dim, dim)`` and its bias ``(dim,)``.
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
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
        super().__init__(**kwargs)
        where = f"MultiHeadAttention '{self.name}'"
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"{where}: received an invalid value for argument `{arg}`, expected a "
                    f"positive integer. Received: {arg}={value!r}"
                )
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError(
                f"{where}: received an invalid value for argument `value_dim`, expected a "
                f"positive integer or `None`. Received: value_dim={value_dim!r}"
            )
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            if not isinstance(output_shape, (list, tuple)):
                raise ValueError(
                    f"{where}: invalid `output_shape`: {output_shape!r}. When specified, the "
                    "`output_shape` should be of type tuple, list, or int."
                )
            output_shape = tuple(output_shape)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                f"{where}: `attention_axes` must be an int, list, or tuple. "
                f"Received: attention_axes={attention_axes!r}"
            )
        check_window_and_flash(where, sliding_window, flash_attention, dropout)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        self._output_shape = output_shape
        self._attention_axes = attention_axes
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention or config.is_flash_attention_enabled()
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    # ---- building ----------------------------------------------------------------------

    def _sublayer_kwargs(self):
        # Each projection gets its own copy of the initializers (so their draws differ).
        return dict(
            kernel_initializer=type(self._kernel_initializer).from_config(
                self._kernel_initializer.get_config()
            ),
            bias_initializer=type(self._bias_initializer).from_config(
                self._bias_initializer.get_config()
            ),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint,
            dtype=self.dtype_policy,
        )

    def _projection(self, input_rank, last_dims, name, bound=1, activation=None):
        """An EinsumDense mapping the last ``bound`` input axes to ``last_dims`` new axes."""
        equation, bias_axes, output_rank = _projection_equation(
            input_rank - bound, bound, len(last_dims)
        )
        return EinsumDense(
            equation,
            output_shape=[None] * (output_rank - 1 - len(last_dims)) + list(last_dims),
            bias_axes=bias_axes if self._use_bias else None,
            activation=activation,
            name=name,
            **self._sublayer_kwargs(),
        )

    def build(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"MultiHeadAttention '{self.name}': all dimensions of `value` and `key`, "
                f"except the last one, must be equal. Received: value_shape={value_shape} "
                f"and key_shape={key_shape}"
            )
        heads = self._num_heads
        self.query_dense = self._projection(len(query_shape), (heads, self._key_dim), "query")
        self.query_dense.build(query_shape)
        self.key_dense = self._projection(len(key_shape), (heads, self._key_dim), "key")
        self.key_dense.build(key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(
                len(query_shape), (heads, self._value_dim), "gate", activation="sigmoid"
            )
            self._gate_dense.build(query_shape)
        self.value_dense = self._projection(len(value_shape), (heads, self._value_dim), "value")
        self.value_dense.build(value_shape)

        rank = len(query_shape) + 1  # of the projected tensors: (B, ..., heads, size)
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(
                a if a >= 0 else rank - 1 + a for a in self._attention_axes
            )
        self._dot_product_equation, self._combine_equation, scores_rank = _attention_equations(
            rank, self._attention_axes
        )
        self._norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)

        output_dims = self._output_shape or (query_shape[-1],)
        self.output_dense = self._projection(
            len(query_shape) + 1, output_dims, "attention_output", bound=2
        )
        self.output_dense.build(query_shape[:-1] + (heads, self._value_dim))
        self._input_dims = (query_shape[-1], value_shape[-1], key_shape[-1])
        self.built = True

    # The projections are the attributes query_dense, key_dense, value_dense and output_dense
    # (the names of Keras's weights-file groups); Keras's private names also work.
    _query_dense = property(lambda self: self.query_dense)
    _key_dense = property(lambda self: self.key_dense)
    _value_dense = property(lambda self: self.value_dense)
    _output_dense = property(lambda self: self.output_dense)

    # ---- calling -----------------------------------------------------------------------

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
        self._check_features(query, value, key)
        # As Keras: the query's mask is the one the query tensor carries.
        query_mask = get_keras_mask(query)
        causal_only = (
            use_causal_mask
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
            and self._sliding_window is None
            and type(self)._compute_attention is MultiHeadAttention._compute_attention
        )
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
        gate = self._gate_dense(query) if self._use_gate else None
        query = self.query_dense(query)  # (B, T, N, key_dim)
        key = self.key_dense(key)  # (B, S, N, key_dim)
        value = self.value_dense(value)  # (B, S, N, value_dim)
        extra = {"use_causal_mask": True} if causal_only else {}
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores, **extra
        )
        output = self.output_dense(output * gate if gate is not None else output)
        if query_mask is not None:
            set_keras_mask(output, query_mask)
        if return_attention_scores:
            return output, scores
        return output

    def _check_features(self, query, value, key):
        tensors = {"query": query, "value": value, "key": key}
        for (name, x), expected in zip(tensors.items(), self._input_dims):
            if expected is not None and x.shape[-1] != expected:
                raise ValueError(
                    f"MultiHeadAttention '{self.name}' was built for `{name}` with "
                    f"{expected} features (last axis), but received a `{name}` of shape "
                    f"{tuple(x.shape)}."
                )

    def _compute_attention_mask(
        self,
        query,
        value,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        use_causal_mask=False,
    ):
        """The boolean ``(B, T, S)`` mask combining (AND) the query's mask ``(B, T, 1)``, the
        value's and key's ``(B, 1, S)``, the causal and sliding-window masks ``(1, T, S)`` and
        ``attention_mask``; None when there is none."""
        auto = None
        for mask, axis in ((query_mask, -1), (value_mask, -2), (key_mask, -2)):
            if mask is not None:
                mask = ops.expand_dims(ops.cast(mask, "bool"), axis)
                auto = mask if auto is None else auto & mask
        if use_causal_mask:
            mask = self._compute_causal_mask(query, value)
            auto = mask if auto is None else auto & mask
        if self._sliding_window is not None:
            mask = self._compute_sliding_window_mask(query, value)
            auto = mask if auto is None else auto & mask
        if attention_mask is not None:
            attention_mask = ops.cast(attention_mask, "bool")
        if auto is not None:
            attention_mask = auto if attention_mask is None else attention_mask & auto
        return attention_mask

    def _compute_causal_mask(self, query, value=None):
        """``(1, T, S)``: True where the key step is not after the query step."""
        t = query.shape[1]
        s = t if value is None else value.shape[1]
        return ops.tril(ops.ones((1, t, s), dtype="bool"))

    def _compute_sliding_window_mask(self, query, value=None):
        """``(1, T, S)``: True where the steps are less than ``sliding_window`` apart."""
        t = query.shape[1]
        s = t if value is None else value.shape[1]
        rows = ops.reshape(ops.arange(t, dtype="int32"), (1, t, 1))
        cols = ops.reshape(ops.arange(s, dtype="int32"), (1, 1, s))
        return ops.less(ops.abs(rows - cols), self._sliding_window)

    def _expand_mask(self, mask, rank):
        # Broadcast a (B, T..., S...) mask to the scores' rank, adding axes before T...
        axis = -len(self._attention_axes) * 2 - 1
        for _ in range(rank - mask.ndim):
            mask = ops.expand_dims(mask, axis)
        return mask

    def _compute_attention(
        self,
        query,
        key,
        value,
        attention_mask=None,
        training=None,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        """Attention of the projected ``query (B, T, N, key_dim)``, ``key (B, S, N,
        key_dim)`` and ``value (B, S, N, value_dim)``: returns the heads' outputs
        ``(B, T, N, value_dim)`` and the weights (None on the fused path)."""
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"MultiHeadAttention '{self.name}': returning attention scores is not "
                "supported when flash attention is enabled. Please disable flash attention "
                "to access attention scores."
            )
        fused = not (self._dropout > 0.0 or return_attention_scores or query.ndim != 4)
        if fused:  # torch's fused kernel: the same numbers as Keras's on torch
            if attention_mask is not None:
                attention_mask = ops.cast(self._expand_mask(attention_mask, 4), "bool")
            output = ops.dot_product_attention(
                query,
                key,
                value,
                mask=attention_mask,
                scale=self._inverse_sqrt_key_dim,
                is_causal=use_causal_mask,
                flash_attention=self._flash_attention,
            )
            return output, None
        if use_causal_mask:
            causal = self._compute_causal_mask(query, value)
            attention_mask = (
                causal if attention_mask is None else ops.cast(attention_mask, "bool") & causal
            )
        query = query * ops.cast(self._inverse_sqrt_key_dim, query.dtype)
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        weights = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        output = ops.einsum(self._combine_equation, weights, value)
        return output, scores

    def _masked_softmax(self, scores, attention_mask=None):
        """Softmax over the key axes; masked positions get weight 0 (a fully masked row is 0)."""
        mask = None
        if attention_mask is not None:
            mask = ops.cast(self._expand_mask(attention_mask, scores.ndim), "bool")
            fill = -3e4 if core.standardize_dtype(scores.dtype) == "float16" else -1e9
            scores = ops.where(mask, scores, fill)
        if len(self._norm_axes) == 1:
            weights = ops.softmax(scores, axis=self._norm_axes[0])
        else:
            weights = ops.exp(scores - ops.logsumexp(scores, axis=self._norm_axes, keepdims=True))
        if mask is not None:
            weights = ops.where(mask, weights, 0.0)
        return weights

    # ---- shapes and config -------------------------------------------------------------

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"MultiHeadAttention '{self.name}': all dimensions of `value` and `key`, "
                f"except the last one, must be equal. Received: value_shape={value_shape} "
                f"and key_shape={key_shape}"
            )
        if self._output_shape:
            return query_shape[:-1] + self._output_shape
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        key_shape = None if key is None else key.shape
        shape = self.compute_output_shape(query.shape, value.shape, key_shape)
        output = KerasTensor(shape, dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        # The weights: batch and non-attention axes, heads, query then key attention axes.
        q = tuple(query.shape[:-1]) + (self._num_heads, None)
        k = tuple((value if key is None else key).shape[:-1]) + (self._num_heads, None)
        batch = [i for i in range(len(q)) if i not in self._attention_axes and i != len(q) - 1]
        scores = [q[i] for i in batch] + [q[i] for i in self._attention_axes]
        scores += [k[i] for i in self._attention_axes]
        return output, KerasTensor(tuple(scores), dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_heads": self._num_heads,
                "key_dim": self._key_dim,
                "value_dim": self._value_dim,
                "dropout": self._dropout,
                "use_bias": self._use_bias,
                "use_gate": self._use_gate,
                "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
                "sliding_window": self._sliding_window,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self._activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint),
                "seed": self.seed,
            }
        )
        return config


def _projection_equation(free_dims, bound_dims, output_dims):
    """``"abc,cde->abde"``-style equation keeping ``free_dims`` input axes, contracting
    ``bound_dims`` with the kernel and adding ``output_dims`` axes; with the bias letters and
    the output rank."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims : free_dims + bound_dims]
    new = letters[free_dims + bound_dims : free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{new}->{free}{new}", new, free_dims + output_dims


def _attention_equations(rank, attention_axes):
    """The einsum equations of the scores (``key, query -> scores``) and of the combination
    (``scores, value -> output``) for projected tensors of ``rank`` (``(B, ..., N, size)``),
    and the scores' rank."""
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_axes = [i for i in range(rank) if i not in attention_axes and i != rank - 1]
    source = list(target)
    fresh = iter(letters[rank:])
    for axis in range(rank):
        if axis in attention_axes:
            source[axis] = next(fresh)
    source = "".join(source)
    product = "".join(
        [target[i] for i in batch_axes]
        + [target[i] for i in attention_axes]
        + [source[i] for i in attention_axes]
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)
