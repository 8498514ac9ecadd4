"""Utilities, as ``keras.utils``: to_categorical, normalize, set_random_seed, Progbar,
get_file, pad_sequences, the serialization registry, Config, clear_session, model_to_dot and
plot_model, and the datasets read from folders and arrays (images, texts, audio, time series).

``FeatureSpace`` is here too after ``import cornu``: it is a layer
(``cornu/layers/preprocessing/feature_space.py``), and utils sits below the layers, so the
package root puts it in place."""

from cornu import backend
from cornu.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from cornu.utils import legacy
from cornu.utils.audio_dataset_utils import audio_dataset_from_directory
from cornu.utils.config import Config
from cornu.utils.file_utils import get_file
from cornu.utils.global_state import clear_session
from cornu.utils.graph_utils import get_source_inputs
from cornu.utils.image_dataset_utils import image_dataset_from_directory
from cornu.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from cornu.utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from cornu.utils.model_visualization import model_to_dot, plot_model
from cornu.utils.numerical_utils import normalize, to_categorical
from cornu.utils.packing_utils import pack_x_y_sample_weight, unpack_x_y_sample_weight
from cornu.utils.progbar import Progbar
from cornu.utils.py_dataset import PyDataset
from cornu.utils.rng_utils import set_random_seed
from cornu.utils.sequence_utils import pad_sequences
from cornu.utils.split_dataset_utils import split_dataset
from cornu.utils.summary_utils import print_summary
from cornu.utils.text_dataset_utils import text_dataset_from_directory
from cornu.utils.timeseries_dataset_utils import timeseries_dataset_from_array

is_keras_tensor = backend.is_keras_tensor
standardize_dtype = backend.standardize_dtype
Sequence = PyDataset

__all__ = [
    "Config",
    "CustomObjectScope",
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "get_source_inputs",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "is_keras_tensor",
    "legacy",
    "load_img",
    "model_to_dot",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "print_summary",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "set_random_seed",
    "split_dataset",
    "standardize_dtype",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
