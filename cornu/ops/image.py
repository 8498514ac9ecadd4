"""Image operations (``resize``, ``affine_transform``, ``gaussian_blur``, ``ssim``, ...) of the
active backend."""

from cornu.backend import image as _backend

affine_transform = _backend.affine_transform
crop_images = _backend.crop_images
elastic_transform = _backend.elastic_transform
extract_patches = _backend.extract_patches
extract_patches_3d = _backend.extract_patches_3d
gaussian_blur = _backend.gaussian_blur
hsv_to_rgb = _backend.hsv_to_rgb
map_coordinates = _backend.map_coordinates
pad_images = _backend.pad_images
perspective_transform = _backend.perspective_transform
resize = _backend.resize
rgb_to_grayscale = _backend.rgb_to_grayscale
rgb_to_hsv = _backend.rgb_to_hsv
scale_and_translate = _backend.scale_and_translate
sobel_edges = _backend.sobel_edges
ssim = _backend.ssim

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]
