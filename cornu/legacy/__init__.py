"""Legacy APIs kept for Keras 2 compatibility, as ``keras.legacy``."""

from cornu.legacy import saving

__all__ = ["saving"]
