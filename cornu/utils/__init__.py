"""Utilities: to_categorical, normalize, set_random_seed, Progbar, get_file, print_summary, and
the datasets read from folders and arrays (images, texts, audio, time series).

``FeatureSpace`` is here too after ``import cornu``: it is a layer
(``cornu/layers/preprocessing/feature_space.py``), and utils sits below the layers, so the
package root puts it in place."""

from cornu.utils.audio_dataset_utils import audio_dataset_from_directory
from cornu.utils.file_utils import get_file
from cornu.utils.image_dataset_utils import image_dataset_from_directory
from cornu.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from cornu.utils.numerical_utils import normalize, to_categorical
from cornu.utils.progbar import Progbar
from cornu.utils.py_dataset import PyDataset
from cornu.utils.rng_utils import set_random_seed
from cornu.utils.sequence_utils import pad_sequences
from cornu.utils.split_dataset_utils import split_dataset
from cornu.utils.summary_utils import print_summary
from cornu.utils.text_dataset_utils import text_dataset_from_directory
from cornu.utils.timeseries_dataset_utils import timeseries_dataset_from_array

__all__ = [
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "get_file",
    "image_dataset_from_directory",
    "img_to_array",
    "load_img",
    "normalize",
    "pad_sequences",
    "print_summary",
    "save_img",
    "set_random_seed",
    "split_dataset",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
]

Sequence = PyDataset
