"""Image operations (``resize``, ``affine_transform``, ...) of the active backend."""

from cornu.backend import image as _backend

affine_transform = _backend.affine_transform
resize = _backend.resize

__all__ = ["affine_transform", "resize"]
