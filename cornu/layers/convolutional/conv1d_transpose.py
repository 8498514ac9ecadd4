"""Conv1DTranspose: 1-D transposed convolution ("deconvolution")."""

from cornu.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution: the gradient of ``Conv1D`` with respect to its input, used
    to upsample (each input cell spreads a ``kernel_size`` patch, ``strides`` apart).

    Args:
        filters: the number of output channels.
        kernel_size: the window's size, an int or 1 ints.
        strides: the step between patches in the output, an int or 1 ints.
        padding: ``"valid"`` or ``"same"`` (output ``size * stride``).
        output_padding: extra cells at the end of each output axis (each smaller than the
            stride), an int or 1 ints; None lets the padding decide.
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        dilation_rate: the spacing between the kernel's cells, an int or 1 ints.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint:
            as in ``Conv1D``.

    Input shape: ``(batch, steps, channels)`` (channels_last)
    or ``(batch, channels, steps)`` (channels_first).
    Output shape: the same with ``filters`` channels and each spatial size
    ``size * stride`` (``"same"``) or ``(size - 1) * stride + max(k_extent, stride)``
    (``"valid"``), where ``k_extent = (k - 1) * dilation + 1``; see ``BaseConvTranspose``
    for ``output_padding``. The kernel has shape ``(k, filters, channels)``.
    """

    def __init__(
        self,
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
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
