"""The shared base of the separable convolution layers."""

from cornu import constraints, initializers, ops, regularizers
from cornu.layers.convolutional.base_conv import SpatialConvLayer, _positive_int
from cornu.saving.serialization_lib import serialize_keras_object


class BaseSeparableConv(SpatialConvLayer):
    """An N-D depthwise-separable convolution: a depthwise convolution (each input channel
    with its own ``depth_multiplier`` filters) followed by a pointwise (1x1) convolution that
    mixes the channels into ``filters`` outputs.

    Args:
        rank: the number of spatial axes (1 or 2).
        depth_multiplier: the depthwise outputs per input channel.
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias:
            as in ``Conv2D`` (they apply to the depthwise step).
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer: penalties added to the loss.
        depthwise_constraint, pointwise_constraint, bias_constraint: projections applied to
            the weights after updates.

    Weights: ``depthwise_kernel`` ``(*kernel_size, in_channels, depth_multiplier)``,
    ``pointwise_kernel`` ``(*ones, in_channels * depth_multiplier, filters)`` and the bias
    ``(filters,)``.
    """

    def __init__(
        self,
        rank,
        depth_multiplier,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
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
        self.filters = _positive_int(self, "filters", filters)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        channels = self._input_channels_of(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="depthwise_kernel",
        )
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            name="pointwise_kernel",
        )
        self._add_bias_weight(self.filters)
        self._input_channels = channels
        self.built = True

    def convolution_op(self, inputs):
        return ops.separable_conv(
            inputs,
            self.depthwise_kernel.value,
            self.pointwise_kernel.value,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def _output_channels(self, input_shape):
        return self.filters

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "filters": self.filters,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                "depthwise_regularizer": serialize_keras_object(self.depthwise_regularizer),
                "pointwise_regularizer": serialize_keras_object(self.pointwise_regularizer),
                "depthwise_constraint": serialize_keras_object(self.depthwise_constraint),
                "pointwise_constraint": serialize_keras_object(self.pointwise_constraint),
            }
        )
        return config
