"""Preprocessing layers: text lookups and vectorization, normalization, and image resizing,
cropping and augmentation, audio spectrograms, and Pipeline to chain them."""

from cornu.layers.preprocessing.image_preprocessing.center_crop import CenterCrop
from cornu.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from cornu.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from cornu.layers.preprocessing.image_preprocessing.random_crop import RandomCrop
from cornu.layers.preprocessing.image_preprocessing.random_flip import RandomFlip
from cornu.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from cornu.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from cornu.layers.preprocessing.image_preprocessing.random_zoom import RandomZoom
from cornu.layers.preprocessing.image_preprocessing.resizing import Resizing
from cornu.layers.preprocessing.integer_lookup import IntegerLookup
from cornu.layers.preprocessing.mel_spectrogram import MelSpectrogram
from cornu.layers.preprocessing.normalization import Normalization
from cornu.layers.preprocessing.pipeline import Pipeline
from cornu.layers.preprocessing.rescaling import Rescaling
from cornu.layers.preprocessing.stft_spectrogram import STFTSpectrogram
from cornu.layers.preprocessing.string_lookup import StringLookup
from cornu.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "CenterCrop",
    "IntegerLookup",
    "MelSpectrogram",
    "Normalization",
    "Pipeline",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "STFTSpectrogram",
    "Resizing",
    "StringLookup",
    "TextVectorization",
]
