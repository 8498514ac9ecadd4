"""DepthwiseConv2D: 2-D depthwise convolution."""

from cornu.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution: each input channel is convolved with its own
    ``depth_multiplier`` filters (no mixing across channels), then the bias and the activation.

    Args:
        kernel_size: the window's size, an int or 2 ints.
        strides, padding, data_format, dilation_rate: as in ``Conv2D`` (``padding`` is
            ``"valid"`` or ``"same"``).
        depth_multiplier: the output channels per input channel.
        activation: an activation function or its name; None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, bias_regularizer, activity_regularizer: penalties added to the
            loss.
        depthwise_constraint, bias_constraint: projections applied to the weights after
            updates.

    Input shape: ``(batch, height, width, channels)`` (channels_last)
    or ``(batch, channels, height, width)`` (channels_first).
    Output shape: as ``Conv2D`` with ``channels * depth_multiplier`` channels (output channel
    ``c * depth_multiplier + m`` comes from input channel ``c``). The kernel has shape
    ``(kh, kw, channels, depth_multiplier)``, the bias ``(channels * depth_multiplier,)``.
    """

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=(1, 1),
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
            rank=2,
            depth_multiplier=depth_multiplier,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
