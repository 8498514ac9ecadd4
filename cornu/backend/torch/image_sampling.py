"""Torch cores of the image ops that read an image at computed points: ``map_coordinates``
and the perspective and elastic warps built on it. The public ops in ``image.py`` check their
arguments and put images in a fixed layout before calling these."""

import itertools

import torch

from cornu.backend.torch.core import convert_to_tensor, to_torch_dtype
from cornu.backend.torch.random import _generator

MAP_COORDINATES_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def mirror_index(index, size):
    """Folds ``index`` into ``[0, size)`` mirroring about the edge pixels (``c b | a b c``)."""
    period = size - 1
    if period == 0:
        return torch.zeros_like(index)
    return torch.abs((index + period) % (2 * period) - period)


def reflect_index(index, size):
    """Folds ``index`` into ``[0, size)`` reflecting about the image edge (``b a | a b c``)."""
    return torch.div(mirror_index(2 * index + 1, 2 * size + 1) - 1, 2, rounding_mode="floor")


INDEX_FIXERS = {
    "constant": lambda index, size: index.clamp(0, size - 1),
    "nearest": lambda index, size: index.clamp(0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": mirror_index,
    "reflect": reflect_index,
}


def _is_integer(x):
    return not x.is_floating_point() and not x.is_complex()


def _nodes(coordinate, order):
    """The ``(index, weight)`` pairs that interpolate along one axis at ``coordinate``."""
    if order == 0:
        rounded = coordinate if _is_integer(coordinate) else torch.round(coordinate)
        return [(rounded.to(torch.int32), 1)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.to(torch.int32)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def sample(inputs, coordinates, order, fill_mode, fill_value, leading=()):
    """``inputs`` read at ``coordinates`` (one tensor per sampled axis, all of one shape).

    ``leading`` holds index tensors for the first axes of ``inputs`` that are taken as they
    are (a batch index, say); ``coordinates`` then address the axes after them. Trailing axes
    not addressed (channels) are carried along. Points outside the input read ``fill_value``
    (``"constant"``) or a folded index. Integer inputs are rounded back to their dtype.
    """
    sizes = inputs.shape[len(leading) : len(leading) + len(coordinates)]
    trailing = inputs.ndim - len(leading) - len(coordinates)
    if _is_integer(inputs) and isinstance(fill_value, (int, float)):
        fill_value = int(fill_value)
    fix = INDEX_FIXERS[fill_mode]
    per_axis = []
    for coordinate, size in zip(coordinates, sizes):
        per_axis.append(
            [
                (fix(index, size), (index >= 0) & (index < size), w)
                for index, w in _nodes(coordinate, order)
            ]
        )
    result = None
    for nodes in itertools.product(*per_axis):
        indices, valid, weight = tuple(leading), None, 1
        for fixed, inside, node_weight in nodes:
            indices += (fixed,)
            valid = inside if valid is None else valid & inside
            weight = weight * node_weight
        values = inputs[indices]
        if fill_mode == "constant":
            values = torch.where(valid.reshape(valid.shape + (1,) * trailing), values, fill_value)
        if not isinstance(weight, int):
            weight = weight.reshape(weight.shape + (1,) * trailing)
        term = weight * values
        result = term if result is None else result + term
    if _is_integer(inputs) and not _is_integer(result):
        result = torch.round(result)
    return result.to(inputs.dtype)


def homography(start_points, end_points):
    """The ``(n, 8)`` projective transforms that carry each set of four ``end_points`` onto
    its ``start_points`` (both ``(n, 4, 2)``): row ``[a0..a7]`` maps ``(x, y)`` to
    ``((a0 x + a1 y + a2) / d, (a3 x + a4 y + a5) / d)`` with ``d = a6 x + a7 y + 1``."""
    dtype = torch.promote_types(start_points.dtype, end_points.dtype)
    if not dtype.is_floating_point:
        dtype = to_torch_dtype(None)
    start_points, end_points = start_points.to(dtype), end_points.to(dtype)
    x, y = end_points[..., 0], end_points[..., 1]
    sx, sy = start_points[..., 0], start_points[..., 1]
    one, zero = torch.ones_like(x), torch.zeros_like(x)
    x_rows = torch.stack([x, y, one, zero, zero, zero, -sx * x, -sx * y], -1)
    y_rows = torch.stack([zero, zero, zero, x, y, one, -sy * x, -sy * y], -1)
    matrix = torch.stack([x_rows, y_rows], 2).reshape(-1, 8, 8)
    target = torch.stack([sx, sy], -1).reshape(-1, 8, 1)
    solve_dtype = torch.promote_types(dtype, torch.float32)  # torch solves in float32 or wider
    solution = torch.linalg.solve(matrix.to(solve_dtype), target.to(solve_dtype))
    return solution.reshape(-1, 8).to(dtype)


def perspective_nhwc(images, transforms, order, fill_value):
    """Warps NHWC ``images`` by ``(n, 8)`` projective ``transforms`` of the output grid."""
    _, height, width, _ = images.shape
    grid_dtype = images.dtype if images.is_floating_point() else transforms.dtype
    cols = torch.arange(width, dtype=grid_dtype, device=images.device)[None, None, :]
    rows = torch.arange(height, dtype=grid_dtype, device=images.device)[None, :, None]
    a = [transforms[:, k].reshape(-1, 1, 1) for k in range(8)]
    denominator = a[6] * cols + a[7] * rows + 1.0
    source_x = (a[0] * cols + a[1] * rows + a[2]) / denominator
    source_y = (a[3] * cols + a[4] * rows + a[5]) / denominator
    batch = torch.arange(images.shape[0], device=images.device)[:, None, None]
    return sample(images, [source_y, source_x], order, "constant", fill_value, leading=(batch,))


def elastic_displacements(shape, sigma, dtype, device, seed, blur):
    """Two smoothed normal displacement fields ``(n, h, w)`` for ``elastic_transform``:
    drawn from torch's global generator when ``seed`` is None (as Keras on torch always
    draws them), else from a generator seeded by ``seed``, then blurred by ``blur``."""
    generator = _generator(seed)
    fields = []
    for _ in range(2):
        noise = torch.normal(0.0, 1.0, size=shape, generator=generator, dtype=dtype, device=device)
        fields.append(blur(noise * sigma))
    return fields


def elastic_nhwc(images, dx, dy, alpha, order, fill_mode, fill_value):
    """Reads NHWC ``images`` at the grid moved by ``alpha * (dx, dy)`` (each ``(n, h, w)``)."""
    batch, height, width, _ = images.shape
    cols = torch.arange(width, device=images.device)[None, None, :]
    rows = torch.arange(height, device=images.device)[None, :, None]
    source_x = cols + alpha * dx
    source_y = rows + alpha * dy
    index = torch.arange(batch, device=images.device)[:, None, None]
    return sample(images, [source_y, source_x], order, fill_mode, fill_value, leading=(index,))


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """``inputs`` interpolated at ``coordinates``, as ``scipy.ndimage.map_coordinates``
    (without scipy's boundary bug 2640).

    Args:
        inputs: the array to read.
        coordinates: one array of coordinates per axis of ``inputs`` (a sequence, or an
            array whose first axis has the rank of ``inputs``), all of one shape.
        order: 0 (nearest) or 1 (linear).
        fill_mode: how points outside ``inputs`` are read: ``"constant"`` (``fill_value``),
            ``"nearest"`` (``a a | a b c d | d d``), ``"wrap"`` (``c d | a b c d | a b``),
            ``"mirror"`` (``c b | a b c d | c b``) or ``"reflect"`` (``b a | a b c d | d c``).
        fill_value: the value outside ``inputs`` for ``fill_mode="constant"``.

    Returns:
        An array of the coordinates' shape and the dtype of ``inputs``.
    """
    inputs = convert_to_tensor(inputs)
    coordinates = [convert_to_tensor(c).to(inputs.device) for c in coordinates]
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
    if fill_mode not in INDEX_FIXERS:
        raise ValueError(
            "Invalid value for argument `fill_mode`. Expected one of "
            f"{MAP_COORDINATES_FILL_MODES}. Received: fill_mode={fill_mode!r}"
        )
    if order not in (0, 1):
        raise NotImplementedError(
            "map_coordinates supports only order 0 (nearest) and 1 (linear). "
            f"Received: order={order}"
        )
    return sample(inputs, coordinates, order, fill_mode, fill_value)


def check_rank(images):
    """A ValueError unless ``images`` is one image (rank 3) or a batch (rank 4)."""
    if images.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )
