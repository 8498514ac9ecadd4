"""The shared base of the convolution layers: arguments, input checks, bias and activation."""

from cornu import activations, backend, constraints, core, initializers, ops, regularizers
from cornu.layers.convolutional import conv_utils
from cornu.layers.layer import Layer
from cornu.saving.serialization_lib import serialize_keras_object

# The backend's convolution with the bias fused in, where it has one.
_conv_with_bias = getattr(backend.nn, "conv_with_bias", None)


def _positive_int(layer, name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': `{name}` must be a positive int. "
            f"Received: {name}={value!r}"
        )
    return value


class SpatialConvLayer(Layer):
    """What every convolution layer shares: window arguments, the checks of the input shape
    (rank, channels, spatial size), the bias and the activation. Subclasses set
    ``self.kernel``/``self.bias`` in ``build`` and implement ``convolution_op``,
    ``_output_channels`` and ``_output_spatial``."""

    def __init__(
        self,
        rank,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        bias_initializer="zeros",
        bias_regularizer=None,
        activity_regularizer=None,
        bias_constraint=None,
        allow_causal=False,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.kernel_size = conv_utils.standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.standardize_tuple(strides, rank, "strides")
        self.dilation_rate = conv_utils.standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = conv_utils.standardize_padding(padding, allow_causal=allow_causal)
        self.data_format = core.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self._activation_fn = None if self.activation is activations.linear else self.activation
        self.use_bias = bool(use_bias)
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self._channel_axis = -1 if self.data_format == "channels_last" else 1
        self._input_channels = None
        self._seen_shapes = set()

    # ---- input checks ----------------------------------------------------------------------

    def _windows(self):
        """``[(window, dilation), ...]`` that must fit in the input, or None ('same' padding)."""
        if self.padding != "valid":
            return None
        return list(zip(self.kernel_size, self.dilation_rate))

    def _check_shape(self, shape):
        conv_utils.check_input_shape(
            self, shape, self.rank, self.data_format, self._input_channels, self._windows()
        )

    def _input_channels_of(self, input_shape):
        self._check_shape(input_shape)
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': the channel axis "
                f"({self._channel_axis}) of the input must be known to build the layer. "
                f"Received input_shape={tuple(input_shape)}"
            )
        return channels

    def _check_call(self, inputs):
        """Checks an eager input once per distinct shape (a set lookup afterwards)."""
        conv_utils.check_once_per_shape(self._seen_shapes, inputs.shape, self._check_shape)

    # ---- computation -----------------------------------------------------------------------

    def _add_bias(self, outputs, bias):
        if self.data_format == "channels_first":
            bias = ops.reshape(bias, (-1,) + (1,) * self.rank)
        return ops.add(outputs, bias)

    def call(self, inputs):
        self._check_call(inputs)
        outputs = self.convolution_op(inputs)
        if self.bias is not None:
            outputs = self._add_bias(outputs, self.bias.value)
        if self._activation_fn is not None:
            outputs = self._activation_fn(outputs)
        return outputs

    def convolution_op(self, inputs):
        """The convolution itself, before the bias and the activation."""
        raise NotImplementedError

    def _output_channels(self, input_shape):
        raise NotImplementedError

    def _output_spatial(self, spatial):
        return [
            conv_utils.conv_output_length(n, k, self.padding, s, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        ]

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        self._check_shape(input_shape)
        axes = conv_utils.spatial_axes(self.rank, self.data_format)
        spatial = tuple(self._output_spatial([input_shape[a] for a in axes]))
        channels = self._output_channels(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0],) + spatial + (channels,)
        return (input_shape[0], channels) + spatial

    def _add_bias_weight(self, size):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(size,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "bias_regularizer": serialize_keras_object(self.bias_regularizer),
                "activity_regularizer": serialize_keras_object(self.activity_regularizer),
                "bias_constraint": serialize_keras_object(self.bias_constraint),
            }
        )
        return config


class BaseConv(SpatialConvLayer):
    """An N-D convolution layer: ``activation(conv(inputs, kernel) + bias)``.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: the window's size, an int or one int per spatial axis.
        strides: the window's step, an int or one per axis; ``strides > 1`` cannot be
            combined with ``dilation_rate > 1``.
        padding: ``"valid"`` (no padding), ``"same"`` (pad so that the output has
            ``ceil(size / stride)`` cells, the odd padded cell at the end, as TensorFlow) or,
            for 1-D, ``"causal"`` (pad at the start only: output ``t`` sees inputs ``<= t``).
        data_format: ``"channels_last"`` (``(batch, *spatial, channels)``) or
            ``"channels_first"`` (``(batch, channels, *spatial)``); ``image_data_format()``
            when None.
        dilation_rate: the spacing between the window's cells, an int or one per axis.
        groups: split the input channels into this many groups, each convolved with
            ``filters // groups`` filters; input channels and ``filters`` must be multiples.
        activation: an activation function or its name; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: the weights' initializers.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to the
            loss (a regularizer, its name, or a callable).
        kernel_constraint, bias_constraint: projections applied to the weight after updates.

    The kernel has shape ``(*kernel_size, in_channels // groups, filters)``, the bias
    ``(filters,)``.
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
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            bias_constraint=bias_constraint,
            allow_causal=rank == 1,
            **kwargs,
        )
        self.filters = _positive_int(self, "filters", filters)
        self.groups = _positive_int(self, "groups", groups)
        if filters % groups:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `filters` must be a multiple of "
                f"`groups`. Received: filters={filters}, groups={groups}"
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `strides > 1` cannot be combined with "
                f"`dilation_rate > 1`. Received: strides={self.strides}, "
                f"dilation_rate={self.dilation_rate}"
            )
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build(self, input_shape):
        channels = self._input_channels_of(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': the number of input channels must be a "
                f"multiple of `groups`. Received groups={self.groups} and an input of shape "
                f"{tuple(input_shape)} ({channels} channels)."
            )
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self._add_bias_weight(self.filters)
        self._input_channels = channels
        self.built = True

    def _causal_pad(self, inputs):
        """``(inputs, padding)``: 'causal' becomes zeros before the sequence and 'valid'."""
        if self.padding != "causal":
            return inputs, self.padding
        pads = [[0, 0], [0, 0], [0, 0]]
        axis = 1 if self.data_format == "channels_last" else 2
        pads[axis][0] = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        return ops.pad(inputs, pads), "valid"

    def convolution_op(self, inputs, kernel):
        """``conv(inputs, kernel)`` with the layer's strides, padding, dilation and data
        format (override it to transform the kernel first, as in Keras)."""
        inputs, padding = self._causal_pad(inputs)
        return ops.conv(
            inputs,
            kernel,
            strides=self.strides,
            padding=padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def call(self, inputs):
        self._check_call(inputs)
        if _conv_with_bias is None or type(self).convolution_op is not BaseConv.convolution_op:
            outputs = self.convolution_op(inputs, self.kernel.value)
            if self.bias is not None:
                outputs = self._add_bias(outputs, self.bias.value)
        else:
            # Fast path: the bias is added inside the backend's convolution kernel.
            inputs, padding = self._causal_pad(inputs)
            outputs = _conv_with_bias(
                inputs,
                self.kernel.value,
                None if self.bias is None else self.bias.value,
                self.strides,
                padding,
                self.data_format,
                self.dilation_rate,
            )
        if self._activation_fn is not None:
            outputs = self._activation_fn(outputs)
        return outputs

    def _output_channels(self, input_shape):
        return self.filters

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "groups": self.groups,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
                "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            }
        )
        return config
