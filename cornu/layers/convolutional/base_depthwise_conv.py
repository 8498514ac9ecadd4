"""The shared base of the depthwise convolution layers."""

from cornu import constraints, initializers, ops, regularizers
from cornu.layers.convolutional.base_conv import SpatialConvLayer, _positive_int
from cornu.saving.serialization_lib import serialize_keras_object


class BaseDepthwiseConv(SpatialConvLayer):
    """An N-D depthwise convolution: each input channel is convolved with its own
    ``depth_multiplier`` filters, and the results are stacked (no mixing of channels).

    Args:
        rank: the number of spatial axes (1 or 2).
        depth_multiplier: the number of output channels per input channel.
        kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias:
            as in ``Conv2D``.
        depthwise_initializer, bias_initializer: the weights' initializers.
        depthwise_regularizer, bias_regularizer, activity_regularizer: penalties added to the
            loss.
        depthwise_constraint, bias_constraint: projections applied to the weights after
            updates.

    The kernel has shape ``(*kernel_size, in_channels, depth_multiplier)``, the bias
    ``(in_channels * depth_multiplier,)``; output channel ``c * depth_multiplier + m`` comes
    from input channel ``c``.
    """

    def __init__(
        self,
        rank,
        depth_multiplier,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
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
        self.depth_multiplier = _positive_int(self, "depth_multiplier", depth_multiplier)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape):
        channels = self._input_channels_of(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="kernel",
        )
        self._add_bias_weight(channels * self.depth_multiplier)
        self._input_channels = channels
        self.built = True

    def convolution_op(self, inputs):
        return ops.depthwise_conv(
            inputs,
            self.kernel.value,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def _output_channels(self, input_shape):
        channels = input_shape[self._channel_axis]
        return None if channels is None else channels * self.depth_multiplier

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "depthwise_regularizer": serialize_keras_object(self.depthwise_regularizer),
                "depthwise_constraint": serialize_keras_object(self.depthwise_constraint),
            }
        )
        return config
