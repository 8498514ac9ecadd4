"""Reshaping layers: Flatten, Reshape, padding, cropping, upsampling."""

from cornu.layers.reshaping.flatten import Flatten
from cornu.layers.reshaping.reshape import Reshape

__all__ = ["Flatten", "Reshape"]
