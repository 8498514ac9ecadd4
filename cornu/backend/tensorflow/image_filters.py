"""TensorFlow cores of the image filters (Gaussian blur, Sobel edges, SSIM), the convolution
they share with patch extraction, and ``scale_and_translate``. The public ops in ``image.py``
check their arguments and put images in NHWC first."""

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor
from cornu.backend.tensorflow.nn_conv import grouped_conv, pad_spatial, same_pads
from cornu.core.conv_args import ntuple

SCALE_AND_TRANSLATE_METHODS = (
    "linear",
    "bilinear",
    "trilinear",
    "triangle",
    "cubic",
    "bicubic",
    "tricubic",
    "lanczos3",
    "lanczos5",
)


def conv_nd(inputs, kernel, strides=1, padding="valid", dilation=1, groups=1):
    """A convolution of batched channels-last ``inputs`` by a ``(*k, in / groups, out)``
    kernel, with TensorFlow's 'same' padding (the odd padded cell at the end), as Keras's
    ``conv``."""
    rank = inputs.shape.rank - 2
    strides = ntuple(strides, rank, "strides")
    dilation = ntuple(dilation, rank, "dilation_rate")
    kernel = tf.cast(kernel, inputs.dtype)
    if str(padding).lower() == "same":
        sizes = inputs.shape[1:-1]
        pads = [same_pads(sizes[i], kernel.shape[i], strides[i], dilation[i]) for i in range(rank)]
        inputs = pad_spatial(inputs, pads)
    return grouped_conv(inputs, kernel, strides, dilation, groups)


def gaussian_1d(size, sigma, dtype):
    """A normalized Gaussian of ``size`` taps (``sigma`` may be a tensor)."""
    x = tf.range(size, dtype=dtype) - (size - 1) / 2
    kernel = tf.exp(-0.5 * tf.square(x / tf.cast(sigma, dtype)))
    return kernel / tf.reduce_sum(kernel)


def _same_padding(size):
    before = (size - 1) // 2
    return before, size - 1 - before


def _depthwise(kernel, channels):
    """A ``(kh, kw)`` kernel applied to each of ``channels`` channels on its own."""
    return tf.tile(kernel[:, :, None, None], [1, 1, 1, channels])


def blur_nhwc(images, kernel_size, sigma):
    """Each channel of float NHWC ``images`` convolved with a normalized Gaussian:
    ``kernel_size[0]``/``sigma[0]`` along the width, ``[1]`` along the height (Keras's
    order); zero padding keeps the size."""
    sigma = tf.reshape(convert_to_tensor(sigma), (-1,))
    across = gaussian_1d(kernel_size[0], sigma[0], images.dtype)
    down = gaussian_1d(kernel_size[1], sigma[-1], images.dtype)
    kernel = down[:, None] * across[None, :]
    channels = images.shape[-1]
    padded = pad_spatial(images, [_same_padding(kernel_size[1]), _same_padding(kernel_size[0])])
    return conv_nd(padded, _depthwise(kernel, channels), groups=channels)


def sobel_nhwc(images):
    """``(n, h, w, c, 2)``: the vertical then horizontal Sobel responses of NHWC ``images``
    (zero padding)."""
    horizontal = tf.constant([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=images.dtype)
    channels = images.shape[-1]
    padded = pad_spatial(images, [(1, 1), (1, 1)])
    edges = [
        conv_nd(padded, _depthwise(k, channels), groups=channels)
        for k in (tf.transpose(horizontal), horizontal)
    ]
    return tf.stack(edges, axis=-1)


def ssim_nhwc(image1, image2, max_val, filter_size, filter_sigma, k1, k2):
    """``(n,)``: the mean structural similarity of each pair of float NHWC images, local
    statistics under a ``filter_size`` Gaussian window (valid positions only), averaged over
    the positions and then the channels."""
    height, width, channels = image1.shape[1:]
    gauss = gaussian_1d(filter_size, filter_sigma, image1.dtype)
    kernel = (gauss[:, None] * gauss[None, :])[:, :, None, None]

    def local_mean(values):
        flat = tf.reshape(tf.transpose(values, (0, 3, 1, 2)), (-1, height, width, 1))
        return conv_nd(flat, kernel)

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu1, mu2 = local_mean(image1), local_mean(image2)
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = local_mean(image1 * image1) - mu1_sq
    sigma2_sq = local_mean(image2 * image2) - mu2_sq
    sigma12 = local_mean(image1 * image2) - mu1_mu2
    numerator = (2.0 * mu1_mu2 + c1) * (2.0 * sigma12 + c2)
    denominator = (mu1_sq + mu2_sq + c1) * (sigma1_sq + sigma2_sq + c2)
    per_channel = tf.reduce_mean(numerator / denominator, axis=(1, 2, 3))
    return tf.reduce_mean(tf.reshape(per_channel, (-1, channels)), axis=-1)


def _triangle(x):
    return tf.maximum(1 - tf.abs(x), 0)


def _keys_cubic(x):
    x = tf.abs(x)
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = tf.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return tf.where(x >= 2.0, tf.zeros_like(x), out)


def _lanczos(radius):
    def kernel(x):
        x = tf.abs(x)
        pi = 3.141592653589793
        safe = tf.where(x != 0, pi**2 * x**2, tf.ones_like(x))
        y = radius * tf.sin(pi * x) * tf.sin(pi * x / radius) / safe
        return tf.where(x > radius, tf.zeros_like(x), tf.where(x > 1e-3, y, tf.ones_like(x)))

    return kernel


_KERNELS = {
    "linear": _triangle,
    "cubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias):
    """The ``(in_size, out_size)`` resampling matrix of one axis (``scale`` and
    ``translation`` may be tensors)."""
    dtype = scale.dtype
    inv_scale = 1.0 / scale
    kernel_scale = tf.maximum(inv_scale, tf.ones_like(inv_scale)) if antialias else 1.0
    positions = tf.range(out_size, dtype=dtype)
    sample_at = (positions + 0.5) * inv_scale - translation * inv_scale - 0.5
    source = tf.range(in_size, dtype=dtype)
    weights = kernel(tf.abs(sample_at[None, :] - source[:, None]) / kernel_scale)
    total = tf.reduce_sum(weights, axis=0, keepdims=True)
    eps = 1000.0 * 1.1920928955078125e-07
    safe = tf.where(total != 0, total, tf.ones_like(total))
    weights = tf.where(tf.abs(total) > eps, weights / safe, tf.zeros_like(weights))
    inside = (sample_at >= -0.5) & (sample_at <= in_size - 0.5)
    return tf.where(inside[None, :], weights, tf.zeros_like(weights))


def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """Resamples ``images`` to ``output_shape`` by a scale and translation of the
    ``spatial_dims``: the input point ``x`` (half-pixel centers) goes to
    ``x * scale + translation``; samples whose source lies outside the input are 0.

    ``method`` is ``"linear"`` (or ``"bilinear"``, ``"trilinear"``, ``"triangle"``),
    ``"cubic"`` (or ``"bicubic"``, ``"tricubic"``; Keys cubic), ``"lanczos3"`` or
    ``"lanczos5"``; ``antialias`` widens the kernel when downsampling. Integer images are
    rounded and clipped to their own range, as on the torch backend.
    """
    if method not in SCALE_AND_TRANSLATE_METHODS:
        raise ValueError(
            "Invalid value for argument `method`. Expected one of "
            f"{SCALE_AND_TRANSLATE_METHODS}. Received: method={method!r}"
        )
    if method in ("linear", "bilinear", "trilinear", "triangle"):
        method = "linear"
    elif method in ("cubic", "bicubic", "tricubic"):
        method = "cubic"
    images = convert_to_tensor(images)
    scale = convert_to_tensor(scale)
    translation = convert_to_tensor(translation)
    dtype = tf.as_dtype(tf.experimental.numpy.result_type(scale.dtype, translation.dtype))
    if not dtype.is_floating:
        dtype = tf.float32
    scale = tf.reshape(tf.cast(scale, dtype), (-1,))
    translation = tf.reshape(tf.cast(translation, dtype), (-1,))
    if len(spatial_dims) == 0:
        return images
    integer = not (images.dtype.is_floating or images.dtype.is_complex)
    output = tf.cast(images, tf.float32) if integer else images
    rank = images.shape.rank
    for i, axis in enumerate(spatial_dims):
        axis = int(axis) % rank
        weights = _weight_matrix(
            images.shape[axis],
            int(output_shape[axis]),
            scale[i],
            translation[i],
            _KERNELS[method],
            antialias,
        )
        moved = tf.tensordot(output, tf.cast(weights, output.dtype), axes=[[axis], [0]])
        order = list(range(rank - 1))
        order.insert(axis, rank - 1)
        output = tf.transpose(moved, order)
    if integer:
        low = tf.cast(tf.reduce_min(images), tf.float32)
        high = tf.cast(tf.reduce_max(images), tf.float32)
        output = tf.cast(tf.clip_by_value(tf.round(output), low, high), images.dtype)
    return output
