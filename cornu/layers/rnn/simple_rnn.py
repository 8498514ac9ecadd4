"""SimpleRNNCell and SimpleRNN: the fully-connected recurrent layer."""

from cornu import ops
from cornu.layers.input_spec import InputSpec
from cornu.layers.rnn.rnn import RNN
from cornu.layers.rnn.rnn_cell import (
    COMMON_CELL_ATTRIBUTES,
    BaseRNNCell,
    forward_to_cell,
    layer_config,
)


class SimpleRNNCell(BaseRNNCell):
    """One step of ``SimpleRNN``: ``h = activation(x @ kernel + bias + h_prev @
    recurrent_kernel)``; the output is ``h``.

    Args:
        units: the size of the output and of the state.
        activation: ``"tanh"`` by default; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer: ``"glorot_uniform"``,
            ``"orthogonal"``, ``"zeros"`` by default.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties on the weights.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints on the weights.
        dropout, recurrent_dropout: fractions of the inputs and of the state dropped in
            training (one mask per sequence).
        seed: the dropout's random seed.

    Call arguments: ``inputs (batch, features)``, ``states`` (a list with ``(batch, units)``),
    ``training``. Weights: ``kernel (features, units)``, ``recurrent_kernel (units, units)``,
    ``bias (units,)``.
    """

    def __init__(self, units, activation="tanh", use_bias=True, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self.state_size = units

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], 1, (self.units,))
        self.built = True

    def call(self, sequence, states, training=False):
        previous = states[0] if isinstance(states, (list, tuple)) else states
        dp_mask = self.get_dropout_mask(sequence) if training else None
        rec_mask = self.get_recurrent_dropout_mask(previous) if training else None
        h = ops.matmul(self._dropped(sequence, dp_mask, training), self.kernel)
        if self.bias is not None:
            h = h + self.bias
        output = h + ops.matmul(self._dropped(previous, rec_mask, training), self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        return output, [output] if isinstance(states, (list, tuple)) else output


class SimpleRNN(RNN):
    """Fully-connected RNN where the output is fed back as the next step's state.

    Args:
        units, activation, use_bias, the initializers, regularizers and constraints,
            dropout, recurrent_dropout, seed: as for ``SimpleRNNCell``.
        activity_regularizer: a penalty on the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as for ``RNN``.

    Input shape: ``(batch, timesteps, features)``. Output shape: ``(batch, units)``, or
    ``(batch, timesteps, units)`` with ``return_sequences``; with ``return_state``, followed by
    the last state ``(batch, units)``.
    """

    def __init__(
        self,
        units,
        activation="tanh",
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        cell = SimpleRNNCell(
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
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
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

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        config = layer_config(self)
        del config["seed"]  # Keras's SimpleRNN config has none (its cell's has)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


forward_to_cell(SimpleRNN, COMMON_CELL_ATTRIBUTES)
