"""The image ops that read an image at computed points on jax arrays: ``map_coordinates``
and the affine, perspective and elastic warps built on it, with the numbers of the torch
backend. Every shape is static, so all of them trace under ``jax.jit``."""

import itertools

import jax.numpy as jnp

from cornu.backend.jax import random as jax_random
from cornu.backend.jax.core import convert_to_tensor
from cornu.backend.jax.image_color import check_rank, is_float
from cornu.backend.jax.image_filters import blur_nhwc
from cornu.core.config import standardize_data_format
from cornu.core.image_args import FILL_MODES, check_fill_mode, check_interpolation
from cornu.core.image_args import mirror_index as _mirror
from cornu.core.image_args import reflect_index as _reflect

_FIXERS = {
    "constant": lambda index, size: jnp.clip(index, 0, size - 1),
    "nearest": lambda index, size: jnp.clip(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": _reflect,
}


def _is_integer(x):
    return not jnp.issubdtype(x.dtype, jnp.inexact)


def _nodes(coordinate, order):
    """The ``(index, weight)`` pairs that interpolate along one axis at ``coordinate``."""
    if order == 0:
        rounded = coordinate if _is_integer(coordinate) else jnp.round(coordinate)
        return [(rounded.astype(jnp.int32), 1)]
    lower = jnp.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.astype(jnp.int32)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def sample(inputs, coordinates, order, fill_mode, fill_value, leading=()):
    """``inputs`` read at ``coordinates`` (one array per sampled axis, after the ``leading``
    index arrays taken as they are); trailing axes are carried along; points outside read
    ``fill_value`` (``"constant"``) or a folded index; integers are rounded back."""
    sizes = inputs.shape[len(leading) : len(leading) + len(coordinates)]
    trailing = inputs.ndim - len(leading) - len(coordinates)
    integer = _is_integer(inputs)
    if integer and isinstance(fill_value, (int, float)):
        fill_value = int(fill_value)
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
            values = jnp.where(valid.reshape(valid.shape + (1,) * trailing), values, fill_value)
        if not isinstance(weight, int):
            weight = weight.reshape(weight.shape + (1,) * trailing)
        term = weight * values
        result = term if result is None else result + term
    if integer and not _is_integer(result):
        result = jnp.round(result)
    return result.astype(inputs.dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """``inputs`` interpolated at ``coordinates`` (one array per axis of ``inputs``, all of one
    shape), as ``scipy.ndimage.map_coordinates`` with ``order`` 0 or 1; ``fill_mode`` is
    ``"constant"``, ``"nearest"``, ``"wrap"``, ``"mirror"`` or ``"reflect"``."""
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


def to_nhwc(images, data_format):
    """``images`` as an NHWC batch, and the function that undoes it on a result."""
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    first = standardize_data_format(data_format) == "channels_first"
    if first:
        images = jnp.transpose(images, (0, 2, 3, 1))

    def restore(result):
        if first:
            result = jnp.moveaxis(result, 3, 1)
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
    check_interpolation(interpolation)
    check_fill_mode(fill_mode)
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    check_rank(images)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(
            "Invalid transform shape: expected (8,) (single transform) or (batch, 8) (batch of "
            f"transforms). Received: transform.shape={tuple(transform.shape)}"
        )
    batch_images, restore = to_nhwc(images, data_format)
    batch, height, width, _ = batch_images.shape
    transform = transform.reshape(-1, 8)
    if transform.shape[0] not in (1, batch):
        raise ValueError(
            f"`transform` holds {transform.shape[0]} transforms for a batch of {batch} images."
        )
    if not is_float(transform):
        transform = transform.astype(jnp.float32)
    a0, a1, a2, b0, b1, b2 = (transform[:, k].reshape(-1, 1, 1) for k in range(6))
    rows = jnp.arange(height, dtype=transform.dtype)[None, :, None]
    cols = jnp.arange(width, dtype=transform.dtype)[None, None, :]
    source_rows = rows * b1 + cols * b0 + b2
    source_cols = rows * a1 + cols * a0 + a2
    index = jnp.arange(batch)[:, None, None]
    order = 0 if interpolation == "nearest" else 1
    out = sample(batch_images, [source_rows, source_cols], order, fill_mode, fill_value, (index,))
    return restore(out)


def homography(start_points, end_points):
    """The ``(n, 8)`` projective transforms that carry each set of four ``end_points`` onto
    its ``start_points`` (both ``(n, 4, 2)``), solved in float32 or wider."""
    dtype = jnp.promote_types(start_points.dtype, end_points.dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = jnp.float32
    start_points, end_points = start_points.astype(dtype), end_points.astype(dtype)
    x, y = end_points[..., 0], end_points[..., 1]
    sx, sy = start_points[..., 0], start_points[..., 1]
    one, zero = jnp.ones_like(x), jnp.zeros_like(x)
    x_rows = jnp.stack([x, y, one, zero, zero, zero, -sx * x, -sx * y], -1)
    y_rows = jnp.stack([zero, zero, zero, x, y, one, -sy * x, -sy * y], -1)
    matrix = jnp.stack([x_rows, y_rows], 2).reshape(-1, 8, 8)
    target = jnp.stack([sx, sy], -1).reshape(-1, 8, 1)
    solve_dtype = jnp.promote_types(dtype, jnp.float32)
    solution = jnp.linalg.solve(matrix.astype(solve_dtype), target.astype(solve_dtype))
    return solution.reshape(-1, 8).astype(dtype)


def _check_points(name, points):
    if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
        raise ValueError(
            f"Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a batch. "
            f"Received shape: {tuple(points.shape)}"
        )


def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """Warps images so that the four ``start_points`` ``(x, y)`` land on the ``end_points``
    (``(4, 2)`` or ``(n, 4, 2)``); outside points read ``fill_value``."""
    check_interpolation(interpolation)
    images = convert_to_tensor(images)
    check_rank(images)
    start_points = convert_to_tensor(start_points).astype(images.dtype)
    end_points = convert_to_tensor(end_points).astype(images.dtype)
    _check_points("start_points", start_points)
    _check_points("end_points", end_points)
    if start_points.shape != end_points.shape:
        raise ValueError(
            "start_points and end_points must have the same shape. Received "
            f"start_points.shape={tuple(start_points.shape)}, "
            f"end_points.shape={tuple(end_points.shape)}"
        )
    batch_images, restore = to_nhwc(images, data_format)
    transforms = homography(start_points.reshape(-1, 4, 2), end_points.reshape(-1, 4, 2))
    batch, height, width, _ = batch_images.shape
    if transforms.shape[0] == 1 and batch > 1:
        transforms = jnp.broadcast_to(transforms, (batch, 8))
    grid_dtype = batch_images.dtype if is_float(batch_images) else transforms.dtype
    cols = jnp.arange(width, dtype=grid_dtype)[None, None, :]
    rows = jnp.arange(height, dtype=grid_dtype)[None, :, None]
    a = [transforms[:, k].reshape(-1, 1, 1) for k in range(8)]
    denominator = a[6] * cols + a[7] * rows + 1.0
    source_x = (a[0] * cols + a[1] * rows + a[2]) / denominator
    source_y = (a[3] * cols + a[4] * rows + a[5]) / denominator
    index = jnp.arange(batch)[:, None, None]
    order = 0 if interpolation == "nearest" else 1
    out = sample(batch_images, [source_y, source_x], order, "constant", fill_value, (index,))
    return restore(out)


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
    """Deforms images along a smooth random displacement field: normal noise times ``sigma``,
    blurred by a Gaussian of ``sigma`` and ``int(6 * sigma) | 1`` taps; each output pixel
    reads the input ``alpha`` times its displacement away. As Keras's JAX backend, one draw
    of ``seed`` serves both axes (the field moves each pixel along the diagonal)."""
    check_interpolation(interpolation)
    check_fill_mode(fill_mode)
    images = convert_to_tensor(images)
    check_rank(images)
    batch_images, restore = to_nhwc(images, data_format)
    dtype = batch_images.dtype if is_float(batch_images) else jnp.dtype(jnp.float32)
    taps = int(6 * float(sigma)) | 1  # the kernel's size must be static: sigma is concrete
    alpha = convert_to_tensor(alpha)
    sigma = convert_to_tensor(sigma)
    batch, height, width, _ = batch_images.shape
    noise = jax_random.normal((batch, height, width), dtype=jnp.dtype(dtype).name, seed=seed)
    field = blur_nhwc((noise * sigma).astype(dtype)[..., None], (taps, taps), sigma)[..., 0]
    source_x = jnp.arange(width)[None, None, :] + alpha * field
    source_y = jnp.arange(height)[None, :, None] + alpha * field
    index = jnp.arange(batch)[:, None, None]
    order = 0 if interpolation == "nearest" else 1
    out = sample(batch_images, [source_y, source_x], order, fill_mode, fill_value, (index,))
    return restore(out)
