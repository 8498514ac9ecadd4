"""Conv3DTranspose: 3-D transposed convolution ("deconvolution")."""

from cornu.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution: the gradient of ``Conv3D`` with respect to its input, used
    to upsample (each input cell spreads a ``kernel_size`` patch, ``strides`` apart).

    Args:
        filters: the number of output channels.
        kernel_size: the window's size, an int or 3 ints.
        strides: the step between patches in the output, an int or 3 ints.
        padding: ``"valid"`` or ``"same"`` (output ``size * stride``).
        output_padding: extra cells at the end of each output axis (each smaller than the
            stride), an int or 3 ints; None lets the padding decide.
        data_format: ``"channels_last"`` (default, from ``image_data_format()``) or
            ``"channels_first"``.
        dilation_rate: the spacing between the kernel's cells, an int or 3 ints.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint:
            as in ``Conv3D``.

    Input shape: ``(batch, depth, height, width, channels)`` (channels_last)
    or ``(batch, channels, depth, height, width)`` (channels_first).
    Output shape: the same with ``filters`` channels and each spatial size
    ``size * stride`` (``"same"``) or ``(size - 1) * stride + max(k_extent, stride)``
    (``"valid"``), where ``k_extent = (k - 1) * dilation + 1``; see ``BaseConvTranspose``
    for ``output_padding``. The kernel has shape ``(kd, kh, kw, filters, channels)``.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        output_padding=None,
        dilation_rate=(1, 1, 1),
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
