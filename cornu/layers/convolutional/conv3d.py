"""Conv3D: 3-D convolution (over volumes or video)."""

from cornu.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3-D convolution over volumes: ``activation(conv3d(inputs, kernel) + bias)``.

    Args:
        filters: the number of output channels.
        kernel_size: the window's size, an int or 3 ints.
        strides: the window's step, an int or 3 ints (``strides > 1`` cannot be combined
            with ``dilation_rate > 1``).
        padding: ``"valid"`` (none) or ``"same"`` (TensorFlow's rule: ``ceil(size / stride)``
            outputs, the odd padded cell at the end).
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        dilation_rate: the spacing between the window's cells, an int or 3 ints.
        groups: the number of groups the input channels are split into, each convolved with
            ``filters // groups`` filters.
        activation: an activation function or its name; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (``"glorot_uniform"``, ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to the loss.
        kernel_constraint, bias_constraint: projections applied to the weights after updates.

    Input shape: ``(batch, depth, height, width, channels)`` (channels_last)
    or ``(batch, channels, depth, height, width)`` (channels_first).
    Output shape: ``(batch, new_depth, new_height, new_width, filters)``
    or ``(batch, filters, new_depth, new_height, new_width)``; each new size is
    ``ceil(size / stride)`` with ``"same"`` and
    ``floor((size - (k - 1) * dilation - 1) / stride) + 1`` with ``"valid"``.
    The kernel has shape ``(kd, kh, kw, channels // groups, filters)``, the bias ``(filters,)``.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
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
            rank=3,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
