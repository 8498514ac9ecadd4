"""Utilities: to_categorical, normalize, set_random_seed, Progbar, get_file, print_summary,
model_to_dot, plot_model."""

from cornu.utils.file_utils import get_file
from cornu.utils.model_visualization import model_to_dot, plot_model
from cornu.utils.numerical_utils import normalize, to_categorical
from cornu.utils.progbar import Progbar
from cornu.utils.py_dataset import PyDataset
from cornu.utils.rng_utils import set_random_seed
from cornu.utils.sequence_utils import pad_sequences
from cornu.utils.summary_utils import print_summary

__all__ = [
    "Progbar",
    "PyDataset",
    "Sequence",
    "get_file",
    "model_to_dot",
    "normalize",
    "pad_sequences",
    "plot_model",
    "print_summary",
    "set_random_seed",
    "to_categorical",
]

Sequence = PyDataset
