"""JAX cores of the image filters (Gaussian blur, Sobel edges, SSIM), the convolution they
share with patch extraction, and ``scale_and_translate`` (``jax.image.scale_and_translate``).
The public ops in ``image.py`` check their arguments and put images in NHWC first."""

import jax
import jax.numpy as jnp
from jax import lax

from cornu.backend.jax.core import convert_to_tensor

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

_SPATIAL = {2: "HW", 3: "DHW"}


def conv_nd(inputs, kernel, strides=1, padding="valid", channels_last=True, dilation=1, groups=1):
    """A convolution of batched ``inputs`` by a ``(*k, in / groups, out)`` kernel, with
    TensorFlow's 'same' padding (the odd padded cell at the end), as Keras's ``conv``."""
    rank = inputs.ndim - 2
    spatial = _SPATIAL[rank]
    layout = ("N" + spatial + "C") if channels_last else ("NC" + spatial)
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    dilation = (dilation,) * rank if isinstance(dilation, int) else tuple(dilation)
    return lax.conv_general_dilated(
        inputs,
        kernel.astype(inputs.dtype),
        window_strides=strides,
        padding=padding.upper(),
        rhs_dilation=dilation,
        dimension_numbers=(layout, spatial + "IO", layout),
        feature_group_count=groups,
    )


def gaussian_1d(size, sigma, dtype):
    """A normalized Gaussian of ``size`` taps (``sigma`` may be traced)."""
    x = jnp.arange(size, dtype=dtype) - (size - 1) / 2
    kernel = jnp.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def _same_padding(size):
    before = (size - 1) // 2
    return before, size - 1 - before


def blur_nhwc(images, kernel_size, sigma):
    """Each channel of float NHWC ``images`` convolved with a normalized Gaussian:
    ``kernel_size[0]``/``sigma[0]`` along the width, ``[1]`` along the height (Keras's
    order); zero padding keeps the size."""
    sigma = jnp.reshape(convert_to_tensor(sigma), (-1,))
    across = gaussian_1d(kernel_size[0], sigma[0], images.dtype)
    down = gaussian_1d(kernel_size[1], sigma[-1], images.dtype)
    kernel = jnp.outer(down, across).astype(images.dtype)
    channels = images.shape[-1]
    kernel = jnp.broadcast_to(kernel[:, :, None, None], kernel.shape + (1, channels))
    padded = jnp.pad(
        images,
        [(0, 0), _same_padding(kernel_size[1]), _same_padding(kernel_size[0]), (0, 0)],
    )
    return conv_nd(padded, kernel, groups=channels)


def sobel_nhwc(images):
    """``(n, h, w, c, 2)``: the vertical then horizontal Sobel responses of NHWC ``images``
    (zero padding)."""
    horizontal = jnp.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=images.dtype)
    channels = images.shape[-1]
    padded = jnp.pad(images, [(0, 0), (1, 1), (1, 1), (0, 0)])
    edges = []
    for k in (horizontal.T, horizontal):
        depthwise = jnp.broadcast_to(k[:, :, None, None], (3, 3, 1, channels))
        edges.append(conv_nd(padded, depthwise, groups=channels))
    return jnp.stack(edges, axis=-1)


def ssim_nhwc(image1, image2, max_val, filter_size, filter_sigma, k1, k2):
    """``(n,)``: the mean structural similarity of each pair of float NHWC images, local
    statistics under a ``filter_size`` Gaussian window (valid positions only), averaged over
    the positions and then the channels."""
    batch, height, width, channels = image1.shape
    gauss = gaussian_1d(filter_size, filter_sigma, image1.dtype)
    kernel = jnp.outer(gauss, gauss)[:, :, None, None]

    def local_mean(values):
        flat = jnp.transpose(values, (0, 3, 1, 2)).reshape(-1, height, width, 1)
        return conv_nd(flat, kernel)

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu1, mu2 = local_mean(image1), local_mean(image2)
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = local_mean(image1 * image1) - mu1_sq
    sigma2_sq = local_mean(image2 * image2) - mu2_sq
    sigma12 = local_mean(image1 * image2) - mu1_mu2
    numerator = (2.0 * mu1_mu2 + c1) * (2.0 * sigma12 + c2)
    denominator = (mu1_sq + mu2_sq + c1) * (sigma1_sq + sigma2_sq + c2)
    per_channel = (numerator / denominator).mean(axis=(1, 2, 3))
    return per_channel.reshape(batch, channels).mean(-1)


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
    dtype = jnp.promote_types(scale.dtype, translation.dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = jnp.float32
    scale, translation = scale.astype(dtype).reshape(-1), translation.astype(dtype).reshape(-1)
    if len(spatial_dims) == 0:
        return images
    integer = not jnp.issubdtype(images.dtype, jnp.inexact)
    work = images.astype(jnp.float32) if integer else images
    output = jax.image.scale_and_translate(
        work,
        tuple(int(s) for s in output_shape),
        tuple(int(d) % images.ndim for d in spatial_dims),
        scale,
        translation,
        method,
        antialias=bool(antialias),
    )
    if integer:
        output = jnp.clip(jnp.round(output), images.min(), images.max()).astype(images.dtype)
    return output.astype(images.dtype) if not integer else output
