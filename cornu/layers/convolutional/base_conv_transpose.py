"""The shared base of the transposed convolution layers."""

from cornu import constraints, initializers, ops, regularizers
from cornu.layers.convolutional import conv_utils
from cornu.layers.convolutional.base_conv import SpatialConvLayer, _positive_int
from cornu.saving.serialization_lib import serialize_keras_object


class BaseConvTranspose(SpatialConvLayer):
    """An N-D transposed convolution ("deconvolution"): the gradient of a convolution with
    respect to its input, mapping each input cell to a ``kernel_size`` patch of the output.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: the window's size, an int or one int per spatial axis.
        strides: the step between the patches in the output, an int or one per axis.
        padding: ``"valid"`` or ``"same"`` (output size ``size * stride``).
        output_padding: extra cells added at the end of each spatial axis of the output, an int
            or one per axis, each smaller than the stride; None lets the padding decide.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
        dilation_rate: the spacing between the kernel's cells.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint:
            as in ``Conv2D``.

    The kernel has shape ``(*kernel_size, filters, in_channels)``, the bias ``(filters,)``.
    Each output size is ``size * stride`` with ``"same"`` and
    ``(size - 1) * stride + max(kernel_extent, stride)`` with ``"valid"``; with
    ``output_padding`` it is ``(size - 1) * stride + kernel_extent + output_padding``
    (``"valid"``) or ``(size - 1) * stride + kernel_extent % 2 + output_padding``
    (``"same"``), where ``kernel_extent = (kernel_size - 1) * dilation_rate + 1``.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
            **kwargs,
        )
        self.filters = _positive_int(self, "filters", filters)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = conv_utils.standardize_tuple(
                output_padding, rank, "output_padding", allow_zero=True
            )
            for extra, stride in zip(self.output_padding, self.strides):
                if extra >= stride:
                    raise ValueError(
                        f"{type(self).__name__} '{self.name}': each `output_padding` must be "
                        f"smaller than the matching `strides`. Received: "
                        f"output_padding={self.output_padding}, strides={self.strides}"
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

    def _windows(self):
        return None  # any input size gives a non-empty output

    def build(self, input_shape):
        channels = self._input_channels_of(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self._add_bias_weight(self.filters)
        self._input_channels = channels
        self.built = True

    def convolution_op(self, inputs):
        return ops.conv_transpose(
            inputs,
            self.kernel.value,
            strides=self.strides,
            padding=self.padding,
            output_padding=self.output_padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def _output_channels(self, input_shape):
        return self.filters

    def _output_spatial(self, spatial):
        extras = self.output_padding or (None,) * self.rank
        return [
            conv_utils.deconv_output_length(n, k, self.padding, extra, s, d)
            for n, k, extra, s, d in zip(
                spatial, self.kernel_size, extras, self.strides, self.dilation_rate
            )
        ]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "output_padding": self.output_padding,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
                "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            }
        )
        return config
