"""cornu: the Keras 3 API on PyTorch. ``import cornu as keras``."""

from cornu import backend, ops, random, saving

__version__ = "0.1.0"
