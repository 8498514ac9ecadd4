"""Regularization layers: Dropout and its relatives."""

from cornu.layers.regularization.dropout import Dropout

__all__ = ["Dropout"]
