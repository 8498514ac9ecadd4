"""NumPy references of Keras-torch's image resampling, for the cases where the oracle on
another backend (Keras-JAX) computes differently: its bicubic kernel (``jax.image.resize``,
``a = -0.5``) and its rounding of ties (half away from zero in ``map_coordinates``, where
torch rounds half to even). cornu follows Keras-torch on every backend; on torch the tests
check these references against Keras-torch itself."""

import numpy as np


def _cubic(t, a=-0.75):
    t = np.abs(t)
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
    return np.where(t <= 1, near, np.where(t < 2, far, 0.0))


def bicubic_matrix(n_in, n_out):
    """The ``(n_out, n_in)`` matrix of torch's bicubic ``interpolate`` without antialiasing:
    half-pixel centers, Keys kernel with ``a = -0.75``, edge indices clamped."""
    matrix = np.zeros((n_out, n_in))
    for j in range(n_out):
        source = (j + 0.5) * n_in / n_out - 0.5
        low = int(np.floor(source))
        for offset in (-1, 0, 1, 2):
            matrix[j, min(max(low + offset, 0), n_in - 1)] += _cubic(source - low - offset)
    return matrix


def _aspect_crop(images, height, width):
    in_height, in_width = images.shape[1:3]
    crop_height = max(min(in_height, int(float(in_width * height) / width)), 1)
    crop_width = max(min(in_width, int(float(in_height * width) / height)), 1)
    top = int(float(in_height - crop_height) / 2)
    left = int(float(in_width - crop_width) / 2)
    return images[:, top : top + crop_height, left : left + crop_width]


def _aspect_pad(images, height, width, fill_value):
    in_height, in_width = images.shape[1:3]
    pad_height = max(in_height, int(float(in_width * height) / width))
    pad_width = max(in_width, int(float(in_height * width) / height))
    top = int(float(pad_height - in_height) / 2)
    left = int(float(pad_width - in_width) / 2)
    pads = [(0, 0), (top, top), (left, left), (0, 0)]
    return np.pad(images, pads, constant_values=fill_value)


def bicubic_resize(
    images, size, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_value=0.0
):
    """Channels-last ``images`` ``(n, h, w, c)`` resized to ``size`` with Keras-torch's
    bicubic (no antialiasing); integer images are rounded half to even and saturated."""
    work = images.astype("float64")
    if crop_to_aspect_ratio:
        work = _aspect_crop(work, *size)
    elif pad_to_aspect_ratio:
        work = _aspect_pad(work, *size, fill_value)
    rows = bicubic_matrix(work.shape[1], size[0])
    cols = bicubic_matrix(work.shape[2], size[1])
    out = np.einsum("ph,nhwc,qw->npqc", rows, work, cols)
    if np.issubdtype(images.dtype, np.integer):
        info = np.iinfo(images.dtype)
        return np.clip(np.round(out), info.min, info.max).astype(images.dtype)
    return out.astype(images.dtype)


def _fix_index(index, size, fill_mode):
    if fill_mode in ("constant", "nearest"):
        return np.clip(index, 0, size - 1)
    if fill_mode == "wrap":
        return index % size
    if fill_mode == "mirror":
        s = size - 1
        return np.abs((index + s) % (2 * s) - s)
    # reflect: the mirror fixer on the doubled grid
    s = 2 * size
    return (np.abs((2 * index + 1 + s) % (2 * s) - s) - 1) // 2


def affine_transform(images, transforms, interpolation, fill_mode, fill_value):
    """Channels-last ``images`` ``(n, h, w, c)`` under the ``(n, 8)`` ``transforms``, as
    Keras-torch's ``affine_transform`` computes them (float32 coordinates, ties rounded half
    to even for ``"nearest"`` and for integer results)."""
    n, height, width, _ = images.shape
    y, x = np.meshgrid(
        np.arange(height, dtype="float32"), np.arange(width, dtype="float32"), indexing="ij"
    )
    outputs = []
    for image, (a0, a1, a2, b0, b1, b2, _, _) in zip(images, transforms.astype("float32")):
        rows = (y * b1 + x * b0) + b2
        cols = (y * a1 + x * a0) + a2
        if interpolation == "nearest":
            nodes = [(np.round(rows).astype(np.int64), np.round(cols).astype(np.int64), 1.0)]
        else:
            top, left = np.floor(rows), np.floor(cols)
            dy, dx = (rows - top)[..., None], (cols - left)[..., None]
            top, left = top.astype(np.int64), left.astype(np.int64)
            nodes = [
                (top, left, (1 - dy) * (1 - dx)),
                (top, left + 1, (1 - dy) * dx),
                (top + 1, left, dy * (1 - dx)),
                (top + 1, left + 1, dy * dx),
            ]
        out = np.zeros(image.shape, "float32")
        for r, c, weight in nodes:
            values = image[_fix_index(r, height, fill_mode), _fix_index(c, width, fill_mode)]
            if fill_mode == "constant":
                inside = ((r >= 0) & (r < height) & (c >= 0) & (c < width))[..., None]
                values = np.where(inside, values, fill_value)
            out = out + weight * values.astype("float32")
        outputs.append(out)
    result = np.stack(outputs)
    if np.issubdtype(images.dtype, np.integer):
        return np.round(result).astype(images.dtype)
    return result.astype(images.dtype)
