"""The image ops that read an image at computed points on TensorFlow tensors:
``map_coordinates`` and the affine, perspective and elastic warps built on it, with the
numbers of the torch backend. Reads are ``tf.gather_nd`` of folded indices, so all of them
trace inside a ``tf.function``."""

import itertools

import tensorflow as tf

from cornu.backend.tensorflow import random as tf_random
from cornu.backend.tensorflow.core import convert_to_tensor
from cornu.backend.tensorflow.image_color import check_rank, is_float
from cornu.backend.tensorflow.image_filters import blur_nhwc
from cornu.core.config import standardize_data_format
from cornu.core.image_args import FILL_MODES, check_fill_mode, check_interpolation
from cornu.core.image_args import mirror_index as _mirror
from cornu.core.image_args import reflect_index as _reflect

_FIXERS = {
    "constant": lambda index, size: tf.clip_by_value(index, 0, size - 1),
    "nearest": lambda index, size: tf.clip_by_value(index, 0, size - 1),
    "wrap": lambda index, size: tf.math.floormod(index, size),
    "mirror": _mirror,
    "reflect": _reflect,
}


def _is_integer(x):
    return not (x.dtype.is_floating or x.dtype.is_complex)


def _nodes(coordinate, order):
    """The ``(index, weight)`` pairs that interpolate along one axis at ``coordinate``."""
    if order == 0:
        rounded = coordinate if _is_integer(coordinate) else tf.round(coordinate)
        return [(tf.cast(rounded, tf.int32), None)]
    lower = tf.floor(coordinate)
    upper_weight = coordinate - lower
    index = tf.cast(lower, tf.int32)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def _broadcast_all(arrays):
    shape = tf.shape(arrays[0])
    for a in arrays[1:]:
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(a))
    return [tf.broadcast_to(a, shape) for a in arrays]


def sample(inputs, coordinates, order, fill_mode, fill_value, leading=()):
    """``inputs`` read at ``coordinates`` (one tensor per sampled axis, after the ``leading``
    index tensors taken as they are); trailing axes are carried along; points outside read
    ``fill_value`` (``"constant"``) or a folded index; integers are rounded back."""
    sizes = inputs.shape[len(leading) : len(leading) + len(coordinates)]
    trailing = inputs.shape.rank - len(leading) - len(coordinates)
    integer = _is_integer(inputs)
    fix = _FIXERS[fill_mode]
    leading = [tf.cast(i, tf.int32) for i in leading]
    per_axis = [
        [(fix(index, size), (index >= 0) & (index < size), w) for index, w in _nodes(c, order)]
        for c, size in zip(coordinates, sizes)
    ]
    result = None
    for nodes in itertools.product(*per_axis):
        indices, valid, weight = list(leading), None, None
        for fixed, inside, node_weight in nodes:
            indices.append(fixed)
            valid = inside if valid is None else valid & inside
            if node_weight is not None:
                weight = node_weight if weight is None else weight * node_weight
        values = tf.gather_nd(inputs, tf.stack(_broadcast_all(indices), axis=-1))
        if fill_mode == "constant":
            expanded = tf.reshape(valid, tf.concat([tf.shape(valid), [1] * trailing], 0))
            fill = tf.cast(int(fill_value) if integer else fill_value, values.dtype)
            values = tf.where(expanded, values, fill)
        if weight is not None:
            weight = tf.reshape(weight, tf.concat([tf.shape(weight), [1] * trailing], 0))
            values = tf.cast(values, weight.dtype) if values.dtype != weight.dtype else values
            term = weight * values
        else:
            term = values
        result = term if result is None else result + term
    if integer and not _is_integer(result):
        result = tf.round(result)
    return tf.cast(result, inputs.dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """``inputs`` interpolated at ``coordinates`` (one tensor per axis of ``inputs``, all of one
    shape), as ``scipy.ndimage.map_coordinates`` with ``order`` 0 or 1; ``fill_mode`` is
    ``"constant"``, ``"nearest"``, ``"wrap"``, ``"mirror"`` or ``"reflect"``."""
    inputs = convert_to_tensor(inputs)
    if tf.is_tensor(coordinates) or hasattr(coordinates, "shape"):
        coordinates = tf.unstack(convert_to_tensor(coordinates), axis=0)
    coordinates = [convert_to_tensor(c) for c in coordinates]
    if len(coordinates) != inputs.shape.rank:
        raise ValueError(
            "First dim of `coordinates` must be the same as the rank of `inputs`. Received "
            f"inputs with shape: {tuple(inputs.shape)} and coordinate leading dim of "
            f"{len(coordinates)}"
        )
    if coordinates[0].shape.rank < 1:
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
    squeeze = images.shape.rank == 3
    if squeeze:
        images = images[None]
    first = standardize_data_format(data_format) == "channels_first"
    if first:
        images = tf.transpose(images, (0, 2, 3, 1))

    def restore(result):
        if first:
            order = list(range(result.shape.rank))
            order.insert(1, order.pop(3))
            result = tf.transpose(result, order)
        return result[0] if squeeze else result

    return images, restore


def _batch_index(batch_images):
    return tf.range(tf.shape(batch_images)[0])[:, None, None]


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
    if transform.shape.rank not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(
            "Invalid transform shape: expected (8,) (single transform) or (batch, 8) (batch of "
            f"transforms). Received: transform.shape={tuple(transform.shape)}"
        )
    batch_images, restore = to_nhwc(images, data_format)
    batch, height, width, _ = batch_images.shape
    transform = tf.reshape(transform, (-1, 8))
    count = transform.shape[0]
    if count is not None and batch is not None and count not in (1, batch):
        raise ValueError(f"`transform` holds {count} transforms for a batch of {batch} images.")
    if not is_float(transform):
        transform = tf.cast(transform, tf.float32)
    a0, a1, a2, b0, b1, b2 = (tf.reshape(transform[:, k], (-1, 1, 1)) for k in range(6))
    rows = tf.range(height, dtype=transform.dtype)[None, :, None]
    cols = tf.range(width, dtype=transform.dtype)[None, None, :]
    source_rows = rows * b1 + cols * b0 + b2
    source_cols = rows * a1 + cols * a0 + a2
    order = 0 if interpolation == "nearest" else 1
    out = sample(
        batch_images,
        [source_rows, source_cols],
        order,
        fill_mode,
        fill_value,
        (_batch_index(batch_images),),
    )
    return restore(out)


def homography(start_points, end_points):
    """The ``(n, 8)`` projective transforms that carry each set of four ``end_points`` onto
    its ``start_points`` (both ``(n, 4, 2)``), solved in float32 or wider."""
    dtype = start_points.dtype if start_points.dtype.is_floating else tf.float32
    start_points, end_points = tf.cast(start_points, dtype), tf.cast(end_points, dtype)
    x, y = end_points[..., 0], end_points[..., 1]
    sx, sy = start_points[..., 0], start_points[..., 1]
    one, zero = tf.ones_like(x), tf.zeros_like(x)
    x_rows = tf.stack([x, y, one, zero, zero, zero, -sx * x, -sx * y], -1)
    y_rows = tf.stack([zero, zero, zero, x, y, one, -sy * x, -sy * y], -1)
    matrix = tf.reshape(tf.stack([x_rows, y_rows], 2), (-1, 8, 8))
    target = tf.reshape(tf.stack([sx, sy], -1), (-1, 8, 1))
    solve_dtype = tf.float64 if dtype == tf.float64 else tf.float32
    solution = tf.linalg.solve(tf.cast(matrix, solve_dtype), tf.cast(target, solve_dtype))
    return tf.cast(tf.reshape(solution, (-1, 8)), dtype)


def _check_points(name, points):
    if points.shape.rank not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
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
    start_points = tf.cast(convert_to_tensor(start_points), images.dtype)
    end_points = tf.cast(convert_to_tensor(end_points), images.dtype)
    _check_points("start_points", start_points)
    _check_points("end_points", end_points)
    if start_points.shape != end_points.shape:
        raise ValueError(
            "start_points and end_points must have the same shape. Received "
            f"start_points.shape={tuple(start_points.shape)}, "
            f"end_points.shape={tuple(end_points.shape)}"
        )
    batch_images, restore = to_nhwc(images, data_format)
    transforms = homography(
        tf.reshape(start_points, (-1, 4, 2)), tf.reshape(end_points, (-1, 4, 2))
    )
    height, width = batch_images.shape[1:3]
    if transforms.shape[0] == 1:
        transforms = tf.broadcast_to(transforms, tf.stack([tf.shape(batch_images)[0], 8]))
    grid_dtype = batch_images.dtype if is_float(batch_images) else transforms.dtype
    cols = tf.range(width, dtype=grid_dtype)[None, None, :]
    rows = tf.range(height, dtype=grid_dtype)[None, :, None]
    a = [tf.reshape(tf.cast(transforms[:, k], grid_dtype), (-1, 1, 1)) for k in range(8)]
    denominator = a[6] * cols + a[7] * rows + 1.0
    source_x = (a[0] * cols + a[1] * rows + a[2]) / denominator
    source_y = (a[3] * cols + a[4] * rows + a[5]) / denominator
    order = 0 if interpolation == "nearest" else 1
    out = sample(
        batch_images,
        [source_y, source_x],
        order,
        "constant",
        fill_value,
        (_batch_index(batch_images),),
    )
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
    reads the input ``alpha`` times its displacement away. As Keras's TensorFlow backend
    (which draws both axes' fields from one seed), one draw serves both axes."""
    check_interpolation(interpolation)
    check_fill_mode(fill_mode)
    images = convert_to_tensor(images)
    check_rank(images)
    batch_images, restore = to_nhwc(images, data_format)
    dtype = batch_images.dtype if is_float(batch_images) else tf.float32
    taps = int(6 * float(sigma)) | 1  # the kernel's size must be static: sigma is concrete
    alpha = tf.cast(convert_to_tensor(alpha), dtype)
    sigma = tf.cast(convert_to_tensor(sigma), dtype)
    height, width = batch_images.shape[1:3]
    shape = tuple(batch_images.shape[:3])
    if None in shape:
        shape = tf.shape(batch_images)[:3]
    noise = tf_random.normal(shape, dtype=dtype.name, seed=seed)
    field = blur_nhwc(tf.cast(noise * sigma, dtype)[..., None], (taps, taps), sigma)[..., 0]
    source_x = tf.range(width, dtype=dtype)[None, None, :] + alpha * field
    source_y = tf.range(height, dtype=dtype)[None, :, None] + alpha * field
    order = 0 if interpolation == "nearest" else 1
    out = sample(
        batch_images,
        [source_y, source_x],
        order,
        fill_mode,
        fill_value,
        (_batch_index(batch_images),),
    )
    return restore(out)
