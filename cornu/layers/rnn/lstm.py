"""LSTMCell and LSTM: Long Short-Term Memory (Hochreiter & Schmidhuber, 1997)."""

from cornu import activations, backend, initializers, ops
from cornu.core import tree
from cornu.layers.input_spec import InputSpec
from cornu.layers.rnn.rnn import RNN
from cornu.layers.rnn.rnn_cell import (
    COMMON_CELL_ATTRIBUTES,
    BaseRNNCell,
    forward_to_cell,
    layer_config,
)


class LSTMCell(BaseRNNCell):
    """One step of ``LSTM``. With ``z = x @ kernel + h @ recurrent_kernel + bias`` split into
    the gates ``i, f, c, o`` (Keras's order): ``c' = f*c + i*activation(z_c)`` and
    ``h' = o*activation(c')`` where ``i, f, o`` go through ``recurrent_activation``.

    Args:
        units: the size of the output and of both states.
        activation: ``"tanh"`` by default; None means linear.
        recurrent_activation: the gates' activation, ``"sigmoid"`` by default.
        use_bias: whether to add a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer: ``"glorot_uniform"``,
            ``"orthogonal"``, ``"zeros"`` by default.
        unit_forget_bias: add 1 to the forget gate's bias at initialization (the rest of the
            bias then comes from ``bias_initializer``).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties on the weights.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints on the weights.
        dropout, recurrent_dropout: fractions of the inputs and of the state dropped in
            training (one mask per sequence).
        seed: the dropout's random seed.

    Call arguments: ``inputs (batch, features)``, ``states`` ``[h, c]`` each ``(batch,
    units)``, ``training``. Weights: ``kernel (features, 4*units)``, ``recurrent_kernel
    (units, 4*units)``, ``bias (4*units,)``.
    """

    _extra_config = ("recurrent_activation", "unit_forget_bias")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
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
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4  # one mask per gate, as Keras
        self.state_size = [units, units]

    def build(self, input_shape):
        bias_initializer = None
        if self.use_bias and self.unit_forget_bias:
            units, base = self.units, self.bias_initializer

            def bias_initializer(shape, dtype=None):
                return ops.concatenate(
                    [
                        base((units,), dtype=dtype),
                        initializers.get("ones")((units,), dtype=dtype),
                        base((units * 2,), dtype=dtype),
                    ]
                )

        self._add_kernels(input_shape[-1], 4, (4 * self.units,), bias_initializer)
        self.built = True

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        dp_mask = self.get_dropout_mask(inputs) if training and self.dropout else None
        rec_mask = (
            self.get_recurrent_dropout_mask(h_prev) if training and self.recurrent_dropout else None
        )
        x = self._dropped(inputs, dp_mask, training)
        h = self._dropped(h_prev, rec_mask, training)
        if isinstance(x, list) or isinstance(h, list):  # a mask per gate
            xs = x if isinstance(x, list) else [x] * 4
            hs = h if isinstance(h, list) else [h] * 4
            kernels = ops.split(self.kernel, 4, axis=1)
            recurrent = ops.split(self.recurrent_kernel, 4, axis=1)
            z = ops.concatenate(
                [
                    ops.matmul(xg, k) + ops.matmul(hg, r)
                    for xg, hg, k, r in zip(xs, hs, kernels, recurrent)
                ],
                axis=-1,
            )
        else:
            z = ops.matmul(x, self.kernel) + ops.matmul(h, self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_prev + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        return h, [h, c]


class LSTM(RNN):
    """Long Short-Term Memory layer (Hochreiter & Schmidhuber, 1997).

    With ``activation="tanh"``, ``recurrent_activation="sigmoid"``, no ``recurrent_dropout``
    and no ``unroll``, it runs on PyTorch's fused LSTM kernel (cuDNN on GPUs), also with a mask
    whose unmasked steps are one block per sequence (right- or left-padding); otherwise it steps
    through time with ``LSTMCell``. Both give the same numbers.

    Args:
        units, activation, recurrent_activation, use_bias, kernel_initializer,
            recurrent_initializer, bias_initializer, unit_forget_bias, the regularizers and
            constraints, dropout, recurrent_dropout, seed: as for ``LSTMCell``.
        activity_regularizer: a penalty on the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as for ``RNN``.
        use_cudnn: ``"auto"`` uses the fused kernel when the configuration allows it,
            ``False`` never does, ``True`` requires it (ValueError otherwise).

    Input shape: ``(batch, timesteps, features)``. Output shape: ``(batch, units)``, or
    ``(batch, timesteps, units)`` with ``return_sequences``; with ``return_state``, followed by
    the last states ``h`` and ``c``, each ``(batch, units)``.
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
        unit_forget_bias=True,
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
        use_cudnn="auto",
        **kwargs,
    ):
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="lstm_cell",
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
            cell.activation is activations.tanh
            and cell.recurrent_activation is activations.sigmoid
            and not cell.recurrent_dropout
            and not self.unroll
        )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if tree.is_nested(mask):
            mask = mask[0]
        if self.use_cudnn in ("auto", True) and self._fused_allowed():
            try:
                return backend.rnn.lstm(
                    _input_dropout(self.cell, sequences, training),
                    initial_state[0],
                    initial_state[1],
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
            raise ValueError(_NO_FUSED_MESSAGE.format(name=self.name))
        return super().inner_loop(sequences, initial_state, mask, training=training)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        return layer_config(self)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


forward_to_cell(LSTM, COMMON_CELL_ATTRIBUTES + ("recurrent_activation", "unit_forget_bias"))

_NO_FUSED_MESSAGE = (
    "Layer '{name}': use_cudnn=True was given, but the fused kernel cannot run this "
    "configuration (it needs activation='tanh', recurrent_activation='sigmoid', no "
    "recurrent_dropout, unroll=False, and a mask, if any, with each sequence's unmasked steps in "
    "one block). Pass use_cudnn='auto' to fall back to the step loop."
)


def _check_use_cudnn(value, name):
    if value not in ("auto", True, False):
        raise ValueError(
            f"Layer '{name}': invalid value for argument `use_cudnn`. Expected one of "
            f"{{'auto', True, False}}. Received: use_cudnn={value!r}"
        )
    return value


def _input_dropout(cell, sequences, training):
    """The sequences with the cell's input dropout mask (the same at every step) applied."""
    if not (training and cell.dropout):
        return sequences
    mask = cell.get_dropout_mask(sequences[:, 0, :])
    if isinstance(mask, list):  # one mask per gate: only the step loop can apply those
        raise NotImplementedError
    return sequences * ops.expand_dims(mask, 1)
