"""Image operations (``resize``, ``affine_transform``, ...) of the active backend."""

from cornu.backend import image as _backend

affine_transform = _backend.affine_transform
hsv_to_rgb = _backend.hsv_to_rgb
resize = _backend.resize
rgb_to_grayscale = _backend.rgb_to_grayscale
rgb_to_hsv = _backend.rgb_to_hsv

__all__ = ["affine_transform", "hsv_to_rgb", "resize", "rgb_to_grayscale", "rgb_to_hsv"]
