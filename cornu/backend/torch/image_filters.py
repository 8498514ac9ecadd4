"""Torch cores of the image filters (Gaussian blur, Sobel edges, SSIM) and the resampling op
``scale_and_translate``. The public filter ops in ``image.py`` check their arguments and put
images in a fixed layout before calling these."""

import math

import numpy as np
import torch
import torch.nn.functional as F

from cornu.backend.torch.core import convert_to_tensor

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


def _gaussian_1d(size, sigma, dtype, device):
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def _same_padding(size):
    before = (size - 1) // 2
    return before, size - 1 - before


def blur_nchw(images, kernel_size, sigma):
    """Each channel of NCHW ``images`` convolved with a normalized Gaussian: the kernel's
    width and sigma along the image width are ``kernel_size[0]`` and ``sigma[0]``, along the
    height ``kernel_size[1]`` and ``sigma[1]`` (Keras's order); zero padding keeps the size."""
    sigma = convert_to_tensor(sigma).to(images.device)
    across = _gaussian_1d(kernel_size[0], sigma[0], images.dtype, images.device)
    down = _gaussian_1d(kernel_size[1], sigma[1], images.dtype, images.device)
    kernel = torch.outer(down, across).to(images.dtype)
    channels = images.shape[1]
    kernel = kernel.expand(channels, 1, *kernel.shape)
    top, bottom = _same_padding(kernel_size[1])
    left, right = _same_padding(kernel_size[0])
    images = F.pad(images, (left, right, top, bottom))
    return F.conv2d(images, kernel, groups=channels)


def sobel_nchw(images):
    """``(n, c, h, w, 2)``: the vertical then horizontal Sobel responses of NCHW ``images``
    (zero padding)."""
    channels = images.shape[1]
    horizontal = torch.tensor(
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=images.dtype, device=images.device
    )
    vertical = horizontal.T.contiguous()
    kernels = torch.stack([vertical, horizontal])[:, None].repeat(channels, 1, 1, 1)
    edges = F.conv2d(images, kernels, padding=1, groups=channels)
    return edges.reshape(images.shape[0], channels, 2, *edges.shape[-2:]).permute(0, 1, 3, 4, 2)


def ssim_nhwc(image1, image2, max_val, filter_size, filter_sigma, k1, k2):
    """``(n,)``: the mean structural similarity of each pair of NHWC float images, with local
    statistics under a ``filter_size`` Gaussian window (valid positions only), averaged over
    the positions and then the channels."""
    batch, height, width, channels = image1.shape
    x = (
        torch.arange(filter_size, dtype=image1.dtype, device=image1.device)
        - (filter_size - 1) / 2.0
    )
    gauss = torch.exp(-(x**2) / (2.0 * filter_sigma**2))
    gauss = gauss / gauss.sum()
    kernel = torch.outer(gauss, gauss)[None, None]

    def local_mean(values):
        return F.conv2d(values, kernel)

    image1 = image1.permute(0, 3, 1, 2).reshape(-1, 1, height, width)
    image2 = image2.permute(0, 3, 1, 2).reshape(-1, 1, height, width)
    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mu1, mu2 = local_mean(image1), local_mean(image2)
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = local_mean(image1 * image1) - mu1_sq
    sigma2_sq = local_mean(image2 * image2) - mu2_sq
    sigma12 = local_mean(image1 * image2) - mu1_mu2
    numerator = (2.0 * mu1_mu2 + c1) * (2.0 * sigma12 + c2)
    denominator = (mu1_sq + mu2_sq + c1) * (sigma1_sq + sigma2_sq + c2)
    per_channel = (numerator / denominator).mean(dim=(1, 2, 3))
    return per_channel.reshape(batch, channels).mean(-1)


def _triangle(x):
    return torch.clamp(1 - torch.abs(x), min=0)


def _keys_cubic(x):
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = torch.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return torch.where(x >= 2.0, 0.0, out)


def _lanczos(radius):
    def kernel(x):
        y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
        out = torch.where(x > 1e-3, y / torch.where(x != 0, math.pi**2 * x**2, 1), 1)
        return torch.where(x > radius, 0.0, out)

    return kernel


_KERNELS = {
    "linear": _triangle,
    "cubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias):
    """``(in_size, out_size)``: how much each input sample feeds each output sample."""
    inv_scale = 1.0 / scale
    kernel_scale = torch.clamp(inv_scale, min=1.0) if antialias else 1.0
    positions = torch.arange(out_size, dtype=scale.dtype, device=scale.device)
    sample_at = (positions + 0.5) * inv_scale - translation * inv_scale - 0.5
    source = torch.arange(in_size, dtype=scale.dtype, device=scale.device)
    weights = kernel(torch.abs(sample_at[None, :] - source[:, None]) / kernel_scale)
    total = weights.sum(0, keepdim=True)
    eps = 1000.0 * float(np.finfo(np.float32).eps)
    weights = torch.where(total.abs() > eps, weights / torch.where(total != 0, total, 1), 0)
    inside = (sample_at >= -0.5) & (sample_at <= in_size - 0.5)
    return torch.where(inside[None, :], weights, 0)


def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """Resamples ``images`` to ``output_shape`` by a scale and translation of the chosen
    ``spatial_dims``, as JAX's ``jax.image.scale_and_translate``.

    The input point ``x`` (half-pixel centers) goes to ``x * scale + translation``; output
    samples whose source lies outside the input are 0.

    Args:
        images: the array to resample.
        output_shape: the output shape, one size per axis of ``images``.
        scale: ``(k,)``, the scale of each axis in ``spatial_dims``.
        translation: ``(k,)``, the translation of each axis in ``spatial_dims``.
        spatial_dims: the ``k`` axes resampled.
        method: ``"linear"`` (or ``"bilinear"``, ``"trilinear"``, ``"triangle"``),
            ``"cubic"`` (or ``"bicubic"``, ``"tricubic"``; Keys cubic), ``"lanczos3"`` or
            ``"lanczos5"``.
        antialias: widen the kernel when downsampling.

    Returns:
        The resampled array, of the input's dtype (integers rounded and clipped to the
        input's range).
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
    dtype = torch.promote_types(scale.dtype, translation.dtype)
    scale, translation = scale.to(dtype), translation.to(dtype)
    if len(spatial_dims) == 0:
        return images
    integer = not images.is_floating_point() and not images.is_complex()
    output = images.to(torch.float32) if integer else images.clone()
    for i, axis in enumerate(spatial_dims):
        axis = axis % images.ndim
        weights = _weight_matrix(
            images.shape[axis],
            output_shape[axis],
            scale[i],
            translation[i],
            _KERNELS[method],
            antialias,
        ).to(output.dtype)
        output = torch.moveaxis(torch.tensordot(output, weights, dims=([axis], [0])), -1, axis)
    if integer:
        output = torch.clip(torch.round(output), images.min(), images.max()).to(images.dtype)
    return output
