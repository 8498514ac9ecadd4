"""Activation layers."""

from cornu.layers.activations.activation import Activation

__all__ = ["Activation"]
