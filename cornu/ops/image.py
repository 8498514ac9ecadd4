"""Image operations (``resize``, ``affine_transform``, ...) of the active backend."""

from cornu.backend import image as _backend  # noqa: F401
