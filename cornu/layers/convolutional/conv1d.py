"""Conv1D: 1-D convolution (temporal convolution)."""

from cornu.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1-D convolution over the steps of a sequence: ``activation(conv1d(inputs, kernel) + bias)``.

    Args:
        filters: the number of output channels.
        kernel_size: the window's size, an int or 1 ints.
        strides: the window's step, an int or 1 ints (``strides > 1`` cannot be combined
            with ``dilation_rate > 1``).
        padding: ``"valid"`` (none), ``"same"`` (TensorFlow's rule: the odd padded cell at
            the end) or ``"causal"`` (``(kernel_size - 1) * dilation_rate`` zeros at the start,
            so output ``t`` depends only on inputs ``<= t``; for WaveNet-like models).
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        dilation_rate: the spacing between the window's cells, an int or 1 ints.
        groups: the number of groups the input channels are split into, each convolved with
            ``filters // groups`` filters.
        activation: an activation function or its name; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (``"glorot_uniform"``, ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to the loss.
        kernel_constraint, bias_constraint: projections applied to the weights after updates.

    Input shape: ``(batch, steps, channels)`` (channels_last)
    or ``(batch, channels, steps)`` (channels_first).
    Output shape: ``(batch, new_steps, filters)``
    or ``(batch, filters, new_steps)``; each new size is
    ``ceil(size / stride)`` with ``"same"`` or ``"causal"`` and
    ``floor((size - (k - 1) * dilation - 1) / stride) + 1`` with ``"valid"``.
    The kernel has shape ``(kernel_size, channels // groups, filters)``, the bias ``(filters,)``.
    """

    def __init__(
        self,
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
            rank=1,
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
