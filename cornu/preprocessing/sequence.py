"""``keras.preprocessing.sequence``: padding of sequences."""

from cornu.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
