"""The image ops that read an image at computed points (affine, perspective and elastic warps,
``map_coordinates``, ``scale_and_translate``). Not yet on the NumPy backend: they raise."""

from cornu.backend.numpy.core import not_supported


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Raises NotImplementedError on the NumPy backend."""
    raise not_supported("image.affine_transform")


def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """Raises NotImplementedError on the NumPy backend."""
    raise not_supported("image.perspective_transform")


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
    """Raises NotImplementedError on the NumPy backend."""
    raise not_supported("image.elastic_transform")


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Raises NotImplementedError on the NumPy backend."""
    raise not_supported("image.map_coordinates")


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    """Raises NotImplementedError on the NumPy backend."""
    raise not_supported("image.scale_and_translate")
