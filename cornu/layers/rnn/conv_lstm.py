"""ConvLSTMCell and ConvLSTM: the LSTM whose input and recurrent transformations are
convolutions (the base of ConvLSTM1D/2D/3D)."""

from cornu import activations, core, initializers, ops, regularizers
from cornu.layers.input_spec import InputSpec
from cornu.layers.rnn.rnn import RNN
from cornu.layers.rnn.rnn_cell import COMMON_CELL_ATTRIBUTES, BaseRNNCell, forward_to_cell


def _tuple(value, rank, name):
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank or not all(isinstance(v, int) and v > 0 for v in values):
        raise ValueError(
            f"The `{name}` argument must be an int or a tuple of {rank} positive ints. "
            f"Received: {name}={value!r}"
        )
    return values


def _conv_output_size(size, kernel, stride, dilation, padding):
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    return (size - dilation * (kernel - 1) - 1) // stride + 1


class ConvLSTMCell(BaseRNNCell):
    """One step of a ConvLSTM: the LSTM gates ``i, f, c, o`` computed by convolutions of the
    input (``strides``, ``padding``, ``dilation_rate``) and of the state (stride 1, ``"same"``).

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels (the size of each state's channel axis).
        kernel_size, strides, dilation_rate: ints or tuples of ``rank`` ints.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; ``image_data_format()`` when
            None.
        Other arguments: as for ``LSTMCell``.

    Weights: ``kernel (*kernel_size, channels, 4*filters)``, ``recurrent_kernel
    (*kernel_size, filters, 4*filters)``, ``bias (4*filters,)``.
    """

    _extra_config = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "recurrent_activation",
        "unit_forget_bias",
    )

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        unit_forget_bias=True,
        **kwargs,
    ):
        if rank not in (1, 2, 3):
            raise ValueError(f"ConvLSTM supports ranks 1, 2 and 3. Received: rank={rank}")
        super().__init__(filters, activation=activation, **kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = _tuple(kernel_size, rank, "kernel_size")
        self.strides = _tuple(strides, rank, "strides")
        self.dilation_rate = _tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        padding = str(padding).lower()
        if padding not in ("valid", "same"):
            raise ValueError(f"`padding` must be 'valid' or 'same'. Received: {padding!r}")
        self.padding = padding
        self.data_format = core.standardize_data_format(data_format)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        self.dropout_mask_count = 4  # one mask per gate, as Keras
        self.state_size = -1  # the states' shape follows the input's spatial shape
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, inputs_shape, states_shape=None):
        channel_axis = 1 if self.data_format == "channels_first" else -1
        spatial = inputs_shape[2:] if channel_axis == 1 else inputs_shape[1:-1]
        if None in spatial or inputs_shape[channel_axis] is None:
            raise ValueError(
                f"Layer '{self.name}': ConvLSTM needs known spatial and channel sizes. "
                f"Received input_shape={tuple(inputs_shape)}"
            )
        self.spatial_dims = tuple(spatial)
        self.input_dim = inputs_shape[channel_axis]
        self.input_spec = InputSpec(ndim=self.rank + 2, shape=(None, *inputs_shape[1:]))
        bias_initializer = None
        if self.use_bias and self.unit_forget_bias:
            filters, base = self.filters, self.bias_initializer

            def bias_initializer(shape, dtype=None):
                return ops.concatenate(
                    [
                        base((filters,), dtype=dtype),
                        initializers.get("ones")((filters,), dtype=dtype),
                        base((filters * 2,), dtype=dtype),
                    ]
                )

        self.kernel = self.add_weight(
            shape=(*self.kernel_size, self.input_dim, 4 * self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=(*self.kernel_size, self.filters, 4 * self.filters),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(4 * self.filters,),
                initializer=bias_initializer or self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.built = True

    def compute_output_shape(self, inputs_shape, states_shape=None):
        sizes = inputs_shape[2:] if self.data_format == "channels_first" else inputs_shape[1:-1]
        spatial = tuple(
            _conv_output_size(n, k, s, d, self.padding)
            for n, k, s, d in zip(sizes, self.kernel_size, self.strides, self.dilation_rate)
        )
        if self.data_format == "channels_first":
            shape = (inputs_shape[0], self.filters, *spatial)
        else:
            shape = (inputs_shape[0], *spatial, self.filters)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            inputs_shape = (batch_size, *self.spatial_dims, self.input_dim)
        else:
            inputs_shape = (batch_size, self.input_dim, *self.spatial_dims)
        shape = self.compute_output_shape(inputs_shape)[0]
        return [ops.zeros(shape, dtype=self.compute_dtype) for _ in range(2)]

    def _conv(self, x, kernel, strides, padding, dilation_rate):
        return ops.conv(
            x,
            kernel,
            strides=strides,
            padding=padding,
            data_format=self.data_format,
            dilation_rate=dilation_rate,
        )

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        dp_mask = self.get_dropout_mask(inputs) if training and self.dropout else None
        rec_mask = (
            self.get_recurrent_dropout_mask(h_prev) if training and self.recurrent_dropout else None
        )
        xs = self._dropped(inputs, dp_mask, training)
        hs = self._dropped(h_prev, rec_mask, training)
        xs = xs if isinstance(xs, list) else [xs] * 4
        hs = hs if isinstance(hs, list) else [hs] * 4
        channel_axis = self.rank + 1
        if xs[0] is xs[1]:
            z = self._conv(xs[0], self.kernel, self.strides, self.padding, self.dilation_rate)
        else:
            z = ops.concatenate(
                [
                    self._conv(x, k, self.strides, self.padding, self.dilation_rate)
                    for x, k in zip(xs, ops.split(self.kernel, 4, axis=channel_axis))
                ],
                axis=1 if self.data_format == "channels_first" else -1,
            )
        if hs[0] is hs[1]:
            z = z + self._conv(hs[0], self.recurrent_kernel, 1, "same", 1)
        else:
            z = z + ops.concatenate(
                [
                    self._conv(h, k, 1, "same", 1)
                    for h, k in zip(hs, ops.split(self.recurrent_kernel, 4, axis=channel_axis))
                ],
                axis=1 if self.data_format == "channels_first" else -1,
            )
        axis = 1 if self.data_format == "channels_first" else -1
        if self.bias is not None:
            shape = (1, -1) + (1,) * self.rank if axis == 1 else (1,) * (self.rank + 1) + (-1,)
            z = z + ops.reshape(self.bias, shape)
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=axis)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_prev + i * self.activation(z_c)
        h = self.recurrent_activation(z_o) * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        del config["units"]
        config["rank"] = self.rank
        return config


class ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D: an LSTM whose input and recurrent transformations are
    convolutions. Arguments as for ``ConvLSTMCell`` and ``RNN``.

    Input shape: ``(batch, time, *spatial, channels)`` (``channels_last``) or ``(batch, time,
    channels, *spatial)``. Output shape: ``(batch, *new_spatial, filters)`` (or with the time
    axis after the batch with ``return_sequences``); with ``return_state``, followed by the
    states ``h`` and ``c``.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        **kwargs,
    ):
        cell = ConvLSTMCell(
            rank=rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=rank + 3)

    def _state_shapes(self, batch_size, sequences_shape=None):
        step_shape = (batch_size, *sequences_shape[2:])
        shape = self.cell.compute_output_shape(step_shape)[0]
        return [shape, shape]

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        state = self.cell.compute_output_shape((batch_size, *sequences_shape[2:]))[0][1:]
        output = (batch_size, steps, *state) if self.return_sequences else (batch_size, *state)
        if self.return_state:
            return output, (batch_size, *state), (batch_size, *state)
        return output

    def compute_mask(self, inputs, mask):
        output_mask = super().compute_mask(inputs, mask)
        return [output_mask[0], None, None] if self.return_state else output_mask

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def get_config(self):
        config = RNN.get_config(self)
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype", "rank"):
            cell_config.pop(key, None)
        config.update(cell_config)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


forward_to_cell(
    ConvLSTM,
    [n for n in COMMON_CELL_ATTRIBUTES if n != "units"]
    + [
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "recurrent_activation",
        "unit_forget_bias",
    ],
)
