"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, padding, cropping, upsampling."""

from cornu.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D
from cornu.layers.reshaping.flatten import Flatten
from cornu.layers.reshaping.permute import Permute
from cornu.layers.reshaping.repeat_vector import RepeatVector
from cornu.layers.reshaping.reshape import Reshape
from cornu.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D, UpSampling3D
from cornu.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D

__all__ = [
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Flatten",
    "Permute",
    "RepeatVector",
    "Reshape",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
]
