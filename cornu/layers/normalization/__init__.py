"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization,
RMSNormalization, UnitNormalization, and the SpectralNormalization wrapper."""

from cornu.layers.normalization.batch_normalization import BatchNormalization
from cornu.layers.normalization.group_normalization import GroupNormalization
from cornu.layers.normalization.layer_normalization import LayerNormalization
from cornu.layers.normalization.rms_normalization import RMSNormalization
from cornu.layers.normalization.spectral_normalization import SpectralNormalization
from cornu.layers.normalization.unit_normalization import UnitNormalization

__all__ = [
    "BatchNormalization",
    "GroupNormalization",
    "LayerNormalization",
    "RMSNormalization",
    "SpectralNormalization",
    "UnitNormalization",
]
