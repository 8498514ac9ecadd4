"""Preprocessing layers: text lookups and vectorization, normalization, structured data
(category encoding, discretization, hashing, crossing), and image resizing, cropping and
augmentation."""

from cornu.layers.preprocessing.category_encoding import CategoryEncoding
from cornu.layers.preprocessing.discretization import Discretization
from cornu.layers.preprocessing.hashed_crossing import HashedCrossing
from cornu.layers.preprocessing.hashing import Hashing
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
from cornu.layers.preprocessing.normalization import Normalization
from cornu.layers.preprocessing.rescaling import Rescaling
from cornu.layers.preprocessing.string_lookup import StringLookup
from cornu.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "StringLookup",
    "TextVectorization",
]
