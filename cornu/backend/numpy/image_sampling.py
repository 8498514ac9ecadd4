"""The image ops that read an image at computed points: ``map_coordinates`` and the affine,
perspective and elastic warps built on it, and ``scale_and_translate`` (the numbers of
Keras's torch backend)."""

import itertools

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor
from cornu.backend.numpy.image_color import check_rank
from cornu.backend.numpy.nn_conv import conv
from cornu.backend.numpy.random import normal
from cornu.core.config import standardize_data_format
from cornu.core.image_args import FILL_MODES
from cornu.core.image_args import check_fill_mode as _check_fill_mode
from cornu.core.image_args import check_interpolation as _check_interpolation
from cornu.core.image_args import mirror_index as _mirror
from cornu.core.image_args import reflect_index as _reflect

_FIXERS = {
    "constant": lambda index, size: np.clip(index, 0, size - 1),
    "nearest": lambda index, size: np.clip(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": _reflect,
}


def _nodes(coordinate, order):
    if order == 0:
        rounded = coordinate if coordinate.dtype.kind in "iu" else np.round(coordinate)
        return [(rounded.astype(np.int64), 1)]
    lower = np.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.astype(np.int64)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def sample(inputs, coordinates, order, fill_mode, fill_value, leading=()):
    """``inputs`` read at ``coordinates`` (one array per sampled axis, after the ``leading``
    index arrays); trailing axes are carried along; integers are rounded back."""
    sizes = inputs.shape[len(leading) : len(leading) + len(coordinates)]
    trailing = inputs.ndim - len(leading) - len(coordinates)
    integer = inputs.dtype.kind in "iub"
    fix = _FIXERS[fill_mode]
    per_axis = [
        [(fix(index, size), (index >= 0) & (index < size), w) for index, w in _nodes(c, order)]
        for c, size in zip(coordinates, sizes)
    ]
    result = None
    for nodes in itertools.product(*per_axis):
        indices, valid, weight = tuple(leading), None, 1
        for fixed, inside, node_weight in nodes:
            indices += (fixed,)
            valid = inside if valid is None else valid & inside
            weight = weight * node_weight
        values = inputs[indices]
        if fill_mode == "constant":
            values = np.where(valid.reshape(valid.shape + (1,) * trailing), values, fill_value)
        if not isinstance(weight, int):
            weight = weight.reshape(weight.shape + (1,) * trailing)
        term = weight * values
        result = term if result is None else result + term
    if integer and result.dtype.kind == "f":
        result = np.round(result)
    return np.asarray(result).astype(inputs.dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """``inputs`` interpolated at ``coordinates`` (one array per axis of ``inputs``), as
    ``scipy.ndimage.map_coordinates`` with ``order`` 0 or 1."""
    inputs = convert_to_tensor(inputs)
    coordinates = [convert_to_tensor(c) for c in coordinates]
    if len(coordinates) != inputs.ndim:
        raise ValueError(
            "First dim of `coordinates` must be the same as the rank of `inputs`. Received "
            f"inputs with shape: {tuple(inputs.shape)} and coordinate leading dim of "
            f"{len(coordinates)}"
        )
    if coordinates[0].ndim < 1:
        raise ValueError(
            "Invalid coordinates rank: expected at least rank 2. Received input with shape: "
            f"{(len(coordinates),) + tuple(coordinates[0].shape)}"
        )
    if fill_mode not in _FIXERS:
        raise ValueError(
            "Invalid value for argument `fill_mode`. Expected one of "
            f"{FILL_MODES}. Received: fill_mode={fill_mode!r}"
        )
    if order not in (0, 1):
        raise NotImplementedError(
            "map_coordinates supports only order 0 (nearest) and 1 (linear). "
            f"Received: order={order}"
        )
    return sample(inputs, coordinates, order, fill_mode, fill_value)


def _to_nhwc(images, data_format):
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    first = standardize_data_format(data_format) == "channels_first"
    if first:
        images = images.transpose(0, 2, 3, 1)

    def restore(result):
        if first:
            result = result.transpose(0, 3, 1, 2)
        return result[0] if squeeze else result

    return images, restore


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Samples each image at ``(a0 x + a1 y + a2, b0 x + b1 y + b2)`` for each output point
    ``(x, y)``, a ``transform`` row being ``[a0, a1, a2, b0, b1, b2, c0, c1]`` (``c`` taken as 0,
    as Keras does on every backend but TensorFlow)."""
    _check_interpolation(interpolation)
    _check_fill_mode(fill_mode)
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    check_rank(images)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(
            "Invalid transform shape: expected (8,) (single transform) or (batch, 8) (batch of "
            f"transforms). Received: transform.shape={tuple(transform.shape)}"
        )
    batch_images, restore = _to_nhwc(images, data_format)
    batch, height, width, _ = batch_images.shape
    transform = transform.reshape(-1, 8)
    if transform.shape[0] not in (1, batch):
        raise ValueError(
            f"`transform` holds {transform.shape[0]} transforms for a batch of {batch} images."
        )
    if transform.dtype.kind != "f":
        transform = transform.astype(np.float32)
    a0, a1, a2, b0, b1, b2 = (transform[:, k].reshape(-1, 1, 1) for k in range(6))
    rows = np.arange(height, dtype=transform.dtype)[None, :, None]
    cols = np.arange(width, dtype=transform.dtype)[None, None, :]
    source_rows = rows * b1 + cols * b0 + b2
    source_cols = rows * a1 + cols * a0 + a2
    index = np.arange(batch)[:, None, None]
    order = 0 if interpolation == "nearest" else 1
    out = sample(batch_images, [source_rows, source_cols], order, fill_mode, fill_value, (index,))
    return restore(out)


def _homography(start_points, end_points):
    x, y = end_points[..., 0], end_points[..., 1]
    sx, sy = start_points[..., 0], start_points[..., 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    x_rows = np.stack([x, y, one, zero, zero, zero, -sx * x, -sx * y], -1)
    y_rows = np.stack([zero, zero, zero, x, y, one, -sy * x, -sy * y], -1)
    matrix = np.stack([x_rows, y_rows], 2).reshape(-1, 8, 8)
    target = np.stack([sx, sy], -1).reshape(-1, 8, 1)
    return np.linalg.solve(matrix, target).reshape(-1, 8)


def _check_points(name, points):
    if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
        raise ValueError(
            f"Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a batch. "
            f"Received shape: {tuple(points.shape)}"
        )


def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """Warps images so that the four ``start_points`` ``(x, y)`` land on the ``end_points``."""
    _check_interpolation(interpolation)
    images = convert_to_tensor(images)
    check_rank(images)
    dtype = images.dtype if images.dtype.kind == "f" else np.dtype(np.float32)
    start_points = convert_to_tensor(start_points).astype(dtype)
    end_points = convert_to_tensor(end_points).astype(dtype)
    _check_points("start_points", start_points)
    _check_points("end_points", end_points)
    if start_points.shape != end_points.shape:
        raise ValueError(
            "start_points and end_points must have the same shape. Received "
            f"start_points.shape={tuple(start_points.shape)}, "
            f"end_points.shape={tuple(end_points.shape)}"
        )
    batch_images, restore = _to_nhwc(images, data_format)
    transforms = _homography(
        start_points.reshape(-1, 4, 2).astype(np.float64),
        end_points.reshape(-1, 4, 2).astype(np.float64),
    ).astype(dtype)
    batch, height, width, _ = batch_images.shape
    transforms = np.broadcast_to(transforms, (batch, 8)) if transforms.shape[0] == 1 else transforms
    cols = np.arange(width, dtype=dtype)[None, None, :]
    rows = np.arange(height, dtype=dtype)[None, :, None]
    a = [transforms[:, k].reshape(-1, 1, 1) for k in range(8)]
    denominator = a[6] * cols + a[7] * rows + 1.0
    source_x = (a[0] * cols + a[1] * rows + a[2]) / denominator
    source_y = (a[3] * cols + a[4] * rows + a[5]) / denominator
    index = np.arange(batch)[:, None, None]
    order = 0 if interpolation == "nearest" else 1
    out = sample(batch_images, [source_y, source_x], order, "constant", fill_value, (index,))
    return restore(out)


def _blur(fields, taps, sigma):
    x = np.arange(taps, dtype=fields.dtype) - (taps - 1) / 2
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel = kernel / kernel.sum()
    kernel = np.outer(kernel, kernel)[:, :, None, None].astype(fields.dtype)
    before = (taps - 1) // 2
    pad = (before, taps - 1 - before)
    padded = np.pad(fields[..., None], [(0, 0), pad, pad, (0, 0)])
    return conv(padded, kernel, data_format="channels_last")[..., 0]


def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """Deforms images along two smooth random displacement fields: normal noise times
    ``sigma``, blurred by a Gaussian of ``sigma`` and ``int(6 * sigma) | 1`` taps; each output
    pixel reads the input ``alpha`` times its displacement away."""
    _check_interpolation(interpolation)
    _check_fill_mode(fill_mode)
    images = convert_to_tensor(images)
    check_rank(images)
    batch_images, restore = _to_nhwc(images, data_format)
    dtype = batch_images.dtype if batch_images.dtype.kind == "f" else np.dtype(np.float32)
    alpha, sigma = float(alpha), float(sigma)
    taps = int(6 * sigma) | 1
    shape = batch_images.shape[:3]
    dx, dy = (
        _blur(normal(shape, dtype=dtype.name, seed=seed) * sigma, taps, sigma) for _ in range(2)
    )
    batch, height, width, _ = batch_images.shape
    source_x = np.arange(width)[None, None, :] + alpha * dx
    source_y = np.arange(height)[None, :, None] + alpha * dy
    index = np.arange(batch)[:, None, None]
    order = 0 if interpolation == "nearest" else 1
    out = sample(batch_images, [source_y, source_x], order, fill_mode, fill_value, (index,))
    return restore(out)


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


def _triangle(x):
    return np.maximum(1 - np.abs(x), 0)


def _keys_cubic(x):
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return np.where(x >= 2.0, 0.0, out)


def _lanczos(radius):
    def kernel(x):
        with np.errstate(divide="ignore", invalid="ignore"):
            y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi**2 * x**2)
        return np.where(x > radius, 0.0, np.where(x > 1e-3, y, 1.0))

    return kernel


_KERNELS = {"linear": _triangle, "cubic": _keys_cubic, "lanczos3": _lanczos(3.0)}
_KERNELS["lanczos5"] = _lanczos(5.0)


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias):
    dtype = scale.dtype
    inv_scale = dtype.type(1.0) / scale
    kernel_scale = np.maximum(inv_scale, dtype.type(1.0)) if antialias else dtype.type(1.0)
    positions = np.arange(out_size, dtype=dtype)
    sample_at = (positions + dtype.type(0.5)) * inv_scale - translation * inv_scale - 0.5
    source = np.arange(in_size, dtype=dtype)
    weights = kernel(np.abs(sample_at[None, :] - source[:, None]) / kernel_scale)
    total = weights.sum(0, keepdims=True)
    eps = 1000.0 * float(np.finfo(np.float32).eps)
    weights = np.where(np.abs(total) > eps, weights / np.where(total != 0, total, 1), 0)
    inside = (sample_at >= -0.5) & (sample_at <= in_size - 0.5)
    return np.where(inside[None, :], weights, 0)


def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """Resamples ``images`` to ``output_shape`` by a scale and translation of the
    ``spatial_dims`` (the input point ``x`` goes to ``x * scale + translation``, half-pixel
    centers), as JAX's ``jax.image.scale_and_translate``; integers are rounded and clipped."""
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
    scale, translation = convert_to_tensor(scale), convert_to_tensor(translation)
    dtype = np.result_type(scale.dtype, translation.dtype)
    if dtype.kind != "f":
        dtype = np.dtype(np.float32)
    scale = np.asarray(scale, dtype=dtype).reshape(-1)
    translation = np.asarray(translation, dtype=dtype).reshape(-1)
    if len(spatial_dims) == 0:
        return images
    integer = images.dtype.kind not in "fc"
    output = images.astype(np.float32) if integer else images.copy()
    for i, axis in enumerate(spatial_dims):
        axis = axis % images.ndim
        weights = _weight_matrix(
            images.shape[axis],
            output_shape[axis],
            scale[i],
            translation[i],
            _KERNELS[method],
            antialias,
        ).astype(output.dtype)
        output = np.moveaxis(np.tensordot(output, weights, axes=([axis], [0])), -1, axis)
    if integer:
        output = np.clip(np.round(output), images.min(), images.max()).astype(images.dtype)
    return output
