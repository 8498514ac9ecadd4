"""Engine-free resampling matrices of the resize ops that every backend shares: one
``(n_in, n_out)`` float64 matrix per spatial axis, computed on the host from static sizes
(torch's ``interpolate``, its antialiased kernels, TensorFlow's area and Lanczos resizes)."""

import numpy as np


def _triangle(x):
    return np.maximum(1 - np.abs(x), 0)


def _cubic(a):
    def kernel(x):
        x = np.abs(x)
        near = ((a + 2) * x - (a + 3)) * x * x + 1
        far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
        return np.where(x <= 1, near, np.where(x < 2, far, 0.0))

    return kernel


def _lanczos(radius):
    def kernel(x):
        x = np.abs(x)
        safe = np.where(x != 0, np.pi**2 * x**2, 1.0)
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / safe
        return np.where(x > radius, 0.0, np.where(x > 1e-3, y, 1.0))

    return kernel


def _kernel_weights(n_in, n_out, kernel, antialias):
    """The matrix of a kernel normalized over the input (torch's antialiased kernels, JAX's
    ``scale_and_translate``), widened when downsampling with ``antialias``."""
    scale = n_out / n_in
    kernel_scale = max(1.0 / scale, 1.0) if antialias else 1.0
    sample = (np.arange(n_out) + 0.5) / scale - 0.5
    weights = kernel((sample[None, :] - np.arange(n_in)[:, None]) / kernel_scale)
    total = weights.sum(0, keepdims=True)
    eps = 1000.0 * np.finfo(np.float32).eps
    return np.where(np.abs(total) > eps, weights / np.where(total != 0, total, 1.0), 0.0)


def interpolation_weights(n_in, n_out, interpolation):
    """torch's ``interpolate`` without antialiasing: half-pixel centers, edges clamped,
    ``nearest-exact`` and bicubic with ``a = -0.75``."""
    scale = n_in / n_out
    weights = np.zeros((n_in, n_out))
    columns = np.arange(n_out)
    if interpolation == "nearest":
        rows = np.minimum(np.floor((columns + 0.5) * scale).astype(np.int64), n_in - 1)
        weights[rows, columns] = 1.0
        return weights
    source = (columns + 0.5) * scale - 0.5
    if interpolation == "bilinear":
        source = np.maximum(source, 0)
        low = np.floor(source).astype(np.int64)
        frac = source - low
        np.add.at(weights, (low, columns), 1 - frac)
        np.add.at(weights, (np.minimum(low + 1, n_in - 1), columns), frac)
        return weights
    low = np.floor(source).astype(np.int64)
    frac = source - low
    kernel = _cubic(-0.75)
    for offset in (-1, 0, 1, 2):
        np.add.at(weights, (np.clip(low + offset, 0, n_in - 1), columns), kernel(frac - offset))
    return weights


def _area_weights(n_in, n_out):
    """TensorFlow's area resize: each output averages the input cells its box covers."""
    scale = n_in / n_out
    start = np.arange(n_out) * scale
    source = np.arange(n_in)[:, None]
    overlap = np.minimum(source + 1, start[None, :] + scale) - np.maximum(source, start)
    return np.maximum(overlap, 0) / scale


def resize_weights(n_in, n_out, interpolation, antialias):
    """The ``(n_in, n_out)`` float64 resampling matrix of one axis of ``resize``."""
    if interpolation == "area":
        return _area_weights(n_in, n_out)
    if interpolation in ("lanczos3", "lanczos5"):
        radius = 3.0 if interpolation == "lanczos3" else 5.0
        return _kernel_weights(n_in, n_out, _lanczos(radius), antialias)
    if antialias and interpolation != "nearest":
        kernel = _triangle if interpolation == "bilinear" else _cubic(-0.5)
        return _kernel_weights(n_in, n_out, kernel, True)
    return interpolation_weights(n_in, n_out, interpolation)
