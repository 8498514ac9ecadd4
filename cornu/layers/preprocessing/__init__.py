"""Preprocessing layers: text lookups and vectorization, normalization, structured data
(category encoding, discretization, hashing, crossing), image resizing, cropping and
augmentation, audio spectrograms, and Pipeline to chain them."""

from cornu.layers.preprocessing.category_encoding import CategoryEncoding
from cornu.layers.preprocessing.discretization import Discretization
from cornu.layers.preprocessing.hashed_crossing import HashedCrossing
from cornu.layers.preprocessing.hashing import Hashing
from cornu.layers.preprocessing.image_preprocessing.aug_mix import AugMix
from cornu.layers.preprocessing.image_preprocessing.auto_contrast import AutoContrast
from cornu.layers.preprocessing.image_preprocessing.center_crop import CenterCrop
from cornu.layers.preprocessing.image_preprocessing.clahe import (
    ContrastLimitedAdaptiveHistogramEqualization,
)
from cornu.layers.preprocessing.image_preprocessing.cut_mix import CutMix
from cornu.layers.preprocessing.image_preprocessing.equalization import Equalization
from cornu.layers.preprocessing.image_preprocessing.max_num_bounding_box import MaxNumBoundingBoxes
from cornu.layers.preprocessing.image_preprocessing.mix_up import MixUp
from cornu.layers.preprocessing.image_preprocessing.rand_augment import RandAugment
from cornu.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from cornu.layers.preprocessing.image_preprocessing.random_color_degeneration import (
    RandomColorDegeneration,
)
from cornu.layers.preprocessing.image_preprocessing.random_color_jitter import RandomColorJitter
from cornu.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from cornu.layers.preprocessing.image_preprocessing.random_crop import RandomCrop
from cornu.layers.preprocessing.image_preprocessing.random_elastic_transform import (
    RandomElasticTransform,
)
from cornu.layers.preprocessing.image_preprocessing.random_erasing import RandomErasing
from cornu.layers.preprocessing.image_preprocessing.random_flip import RandomFlip
from cornu.layers.preprocessing.image_preprocessing.random_gaussian_blur import RandomGaussianBlur
from cornu.layers.preprocessing.image_preprocessing.random_grayscale import RandomGrayscale
from cornu.layers.preprocessing.image_preprocessing.random_hue import RandomHue
from cornu.layers.preprocessing.image_preprocessing.random_invert import RandomInvert
from cornu.layers.preprocessing.image_preprocessing.random_perspective import RandomPerspective
from cornu.layers.preprocessing.image_preprocessing.random_posterization import RandomPosterization
from cornu.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from cornu.layers.preprocessing.image_preprocessing.random_saturation import RandomSaturation
from cornu.layers.preprocessing.image_preprocessing.random_sharpness import RandomSharpness
from cornu.layers.preprocessing.image_preprocessing.random_shear import RandomShear
from cornu.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from cornu.layers.preprocessing.image_preprocessing.random_zoom import RandomZoom
from cornu.layers.preprocessing.image_preprocessing.resizing import Resizing
from cornu.layers.preprocessing.image_preprocessing.solarization import Solarization
from cornu.layers.preprocessing.integer_lookup import IntegerLookup
from cornu.layers.preprocessing.mel_spectrogram import MelSpectrogram
from cornu.layers.preprocessing.normalization import Normalization
from cornu.layers.preprocessing.pipeline import Pipeline
from cornu.layers.preprocessing.rescaling import Rescaling
from cornu.layers.preprocessing.stft_spectrogram import STFTSpectrogram
from cornu.layers.preprocessing.string_lookup import StringLookup
from cornu.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "AugMix",
    "AutoContrast",
    "CategoryEncoding",
    "CenterCrop",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Discretization",
    "Equalization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "MaxNumBoundingBoxes",
    "MelSpectrogram",
    "MixUp",
    "Normalization",
    "Pipeline",
    "RandAugment",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "STFTSpectrogram",
    "Solarization",
    "StringLookup",
    "TextVectorization",
]
