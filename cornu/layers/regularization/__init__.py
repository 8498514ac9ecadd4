"""Regularization layers: Dropout and its relatives, noise layers, ActivityRegularization."""

from cornu.layers.regularization.activity_regularization import ActivityRegularization
from cornu.layers.regularization.alpha_dropout import AlphaDropout
from cornu.layers.regularization.dropout import Dropout
from cornu.layers.regularization.gaussian_dropout import GaussianDropout
from cornu.layers.regularization.gaussian_noise import GaussianNoise
from cornu.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)

__all__ = [
    "ActivityRegularization",
    "AlphaDropout",
    "Dropout",
    "GaussianDropout",
    "GaussianNoise",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
]
