"""GRUCell and GRU: the Gated Recurrent Unit (Cho et al., 2014)."""

from cornu import activations, backend, ops
from cornu.core import tree
from cornu.layers.input_spec import InputSpec
from cornu.layers.rnn.lstm import _NO_FUSED_MESSAGE, _check_use_cudnn, _input_dropout
from cornu.layers.rnn.rnn import RNN
from cornu.layers.rnn.rnn_cell import (
    COMMON_CELL_ATTRIBUTES,
    BaseRNNCell,
    forward_to_cell,
    layer_config,
)


class GRUCell(BaseRNNCell):
    """One step of ``GRU``, gates in Keras's order ``z, r, h``: ``z`` and ``r`` go through
    ``recurrent_activation``, the candidate is ``hh = activation(x @ W_h + r * (h @ U_h))``
    (``reset_after=True``) or ``activation(x @ W_h + (r * h) @ U_h)`` (``reset_after=False``),
    and ``h' = z * h + (1 - z) * hh``.

    Args:
        units: the size of the output and of the state.
        activation: ``"tanh"`` by default; None means linear.
        recurrent_activation: the gates' activation, ``"sigmoid"`` by default.
        use_bias: whether to add biases.
        kernel_initializer, recurrent_initializer, bias_initializer: ``"glorot_uniform"``,
            ``"orthogonal"``, ``"zeros"`` by default.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties on the weights.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints on the weights.
        dropout, recurrent_dropout: fractions of the inputs and of the state dropped in
            training (one mask per sequence).
        reset_after: apply the reset gate after the recurrent matrix product (the cuDNN and
            PyTorch convention, default) rather than before.
        seed: the dropout's random seed.

    Call arguments: ``inputs (batch, features)``, ``states`` (a list with ``(batch, units)``),
    ``training``. Weights: ``kernel (features, 3*units)``, ``recurrent_kernel (units,
    3*units)``, ``bias`` ``(2, 3*units)`` (input bias, recurrent bias) with ``reset_after``,
    else ``(3*units,)``.
    """

    _extra_config = ("recurrent_activation", "reset_after")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=True,
        seed=None,
        **kwargs,
    ):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3  # one mask per gate, as Keras
        self.state_size = units

    def build(self, input_shape):
        bias_shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        self._add_kernels(input_shape[-1], 3, bias_shape)
        self.built = True

    def call(self, inputs, states, training=False):
        h_prev = states[0] if tree.is_nested(states) else states
        dp_mask = self.get_dropout_mask(inputs) if training and self.dropout else None
        rec_mask = (
            self.get_recurrent_dropout_mask(h_prev) if training and self.recurrent_dropout else None
        )
        x = self._dropped(inputs, dp_mask, training)
        h = self._dropped(h_prev, rec_mask, training)
        xs = x if isinstance(x, list) else [x] * 3
        hs = h if isinstance(h, list) else [h] * 3
        input_bias = recurrent_bias = None
        if self.bias is not None:
            if self.reset_after:
                input_bias, recurrent_bias = self.bias[0], self.bias[1]
            else:
                input_bias = self.bias
        if xs[0] is xs[1]:
            x_z, x_r, x_h = ops.split(ops.matmul(xs[0], self.kernel), 3, axis=-1)
        else:
            x_z, x_r, x_h = (
                ops.matmul(xg, k) for xg, k in zip(xs, ops.split(self.kernel, 3, axis=1))
            )
        if input_bias is not None:
            b_z, b_r, b_h = ops.split(input_bias, 3, axis=-1)
            x_z, x_r, x_h = x_z + b_z, x_r + b_r, x_h + b_h
        u_z, u_r, u_h = ops.split(self.recurrent_kernel, 3, axis=1)
        if self.reset_after and hs[0] is hs[1] is hs[2]:
            inner = ops.matmul(hs[0], self.recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            h_z, h_r, h_h = ops.split(inner, 3, axis=-1)
        else:
            h_z, h_r = ops.matmul(hs[0], u_z), ops.matmul(hs[1], u_r)
            h_h = ops.matmul(hs[2], u_h) if self.reset_after else None
            if recurrent_bias is not None:
                rb_z, rb_r, rb_h = ops.split(recurrent_bias, 3, axis=-1)
                h_z, h_r, h_h = h_z + rb_z, h_r + rb_r, h_h + rb_h
        z = self.recurrent_activation(x_z + h_z)
        r = self.recurrent_activation(x_r + h_r)
        if self.reset_after:
            candidate = self.activation(x_h + r * h_h)
        else:
            candidate = self.activation(x_h + ops.matmul(r * hs[2], u_h))
        new_h = z * h_prev + (1 - z) * candidate
        return new_h, [new_h] if tree.is_nested(states) else new_h


class GRU(RNN):
    """Gated Recurrent Unit (Cho et al., 2014).

    With ``reset_after=True`` (the default, the convention of cuDNN and PyTorch),
    ``activation="tanh"``, ``recurrent_activation="sigmoid"``, no ``recurrent_dropout`` and no
    ``unroll``, it runs on PyTorch's fused GRU kernel, also with a mask whose unmasked steps are
    one block per sequence; otherwise it steps through time with ``GRUCell``.

    Args:
        units, activation, recurrent_activation, use_bias, the initializers, regularizers and
            constraints, dropout, recurrent_dropout, reset_after, seed: as for ``GRUCell``.
        activity_regularizer: a penalty on the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as for ``RNN``.
        use_cudnn: ``"auto"``, ``False`` or ``True``, as for ``LSTM``.

    Input shape: ``(batch, timesteps, features)``. Output shape: ``(batch, units)``, or
    ``(batch, timesteps, units)`` with ``return_sequences``; with ``return_state``, followed by
    the last state ``(batch, units)``.
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            reset_after=reset_after,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
            implementation=kwargs.pop("implementation", 2),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=3)
        self.use_cudnn = _check_use_cudnn(use_cudnn, self.name)

    def _fused_allowed(self):
        cell = self.cell
        return (
            cell.reset_after
            and cell.activation is activations.tanh
            and cell.recurrent_activation is activations.sigmoid
            and not cell.recurrent_dropout
            and not self.unroll
        )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if tree.is_nested(mask):
            mask = mask[0]
        if self.use_cudnn in ("auto", True) and self._fused_allowed():
            try:
                return backend.rnn.gru(
                    _input_dropout(self.cell, sequences, training),
                    tree.flatten(initial_state)[0],
                    mask,
                    self.cell.kernel,
                    self.cell.recurrent_kernel,
                    self.cell.bias,
                    return_sequences=self.return_sequences,
                    go_backwards=self.go_backwards,
                    zero_output_for_mask=self.zero_output_for_mask,
                )
            except NotImplementedError:
                pass
        if self.use_cudnn is True:
            raise ValueError(
                _NO_FUSED_MESSAGE.format(name=self.name) + " GRU also needs reset_after=True."
            )
        return super().inner_loop(sequences, initial_state, mask, training=training)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        return layer_config(self)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


forward_to_cell(GRU, COMMON_CELL_ATTRIBUTES + ("recurrent_activation", "reset_after"))
