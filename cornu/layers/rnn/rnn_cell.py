"""What the SimpleRNN, LSTM and GRU cells share: arguments, weights, config, dropout masks."""

from cornu import activations, constraints, initializers, ops, random, regularizers
from cornu.core import tree
from cornu.layers.layer import Layer
from cornu.layers.rnn.dropout_rnn_cell import DropoutRNNCell


class BaseRNNCell(Layer, DropoutRNNCell):
    """A cell with Keras's common recurrent arguments (see ``LSTMCell`` for their meaning).

    Subclasses set ``state_size``, create the weights in ``build`` with ``_add_kernels``, and
    compute one step in ``call(inputs, states, training)``.
    """

    _extra_config = ()  # cell-specific constructor arguments stored as attributes

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
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `units` must be a positive int. "
                f"Received: units={units!r}"
            )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.output_size = units

    def __call__(self, *args, **kwargs):
        # States given as arrays (a cell called on its own) become tensors, as the inputs do.
        if len(args) > 1 and not all(ops.is_tensor(s) for s in tree.flatten(args[1])):
            args = (args[0], tree.map_structure(self._convert_input, args[1]), *args[2:])
        return super().__call__(*args, **kwargs)

    def _add_kernels(self, input_dim, gates, bias_shape, bias_initializer=None):
        """Creates ``kernel (input_dim, gates*units)``, ``recurrent_kernel (units,
        gates*units)`` and, with ``use_bias``, ``bias`` of ``bias_shape``."""
        if input_dim is None:
            raise ValueError(
                f"Layer '{self.name}': the last axis of the input must be known to build the layer."
            )
        self.kernel = self.add_weight(
            shape=(input_dim, gates * self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, gates * self.units),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=bias_shape,
                initializer=bias_initializer or self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    def _dropped(self, x, mask, training):
        """``x`` times the dropout ``mask`` in training (a list: one product per mask)."""
        if not training or mask is None:
            return x
        if isinstance(mask, list):
            return [x * m for m in mask]
        return x * mask

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [ops.zeros((batch_size, d), dtype=self.compute_dtype) for d in sizes]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed,
            }
        )
        for name in self._extra_config:
            value = getattr(self, name)
            config[name] = activations.serialize(value) if callable(value) else value
        return config


_CELL_ONLY_KEYS = ("name", "trainable", "dtype", "batch_input_shape")


def layer_config(rnn_layer):
    """The config of an RNN layer built around its own cell (LSTM, GRU, SimpleRNN): the RNN's
    arguments without ``cell``, plus the cell's arguments and ``activity_regularizer``."""
    from cornu.layers.rnn.rnn import RNN

    config = RNN.get_config(rnn_layer)
    del config["cell"]
    cell_config = rnn_layer.cell.get_config()
    for key in _CELL_ONLY_KEYS:
        cell_config.pop(key, None)
    config.update(cell_config)
    config["activity_regularizer"] = regularizers.serialize(rnn_layer.activity_regularizer)
    return config


def forward_to_cell(cls, names):
    """Adds read-only properties ``cls.<name>`` returning ``self.cell.<name>``."""
    for name in names:
        setattr(
            cls,
            name,
            property(lambda self, _n=name: getattr(self.cell, _n), doc=f"The cell's `{name}`."),
        )
    return cls


COMMON_CELL_ATTRIBUTES = (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
)
