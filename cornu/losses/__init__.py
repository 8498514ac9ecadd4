"""Losses: the ``Loss`` base, the built-in losses, and ``get``/``serialize``/``deserialize``."""

from cornu.losses.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from cornu.losses.loss import Loss
from cornu.losses.losses import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanSquaredError,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)
from cornu.losses.probabilistic import (
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    KLDivergence,
    Poisson,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    poisson,
)
from cornu.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
)
from cornu.losses.segmentation import Dice, Tversky, dice, tversky
from cornu.losses.sequence import CTC, ctc
from cornu.losses.similarity import Circle, circle
from cornu.saving import serialization_lib

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    # Probabilistic
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    SparseCategoricalCrossentropy,
    # Regression
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    # Hinge
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    # Segmentation, similarity, sequences
    Dice,
    Tversky,
    Circle,
    CTC,
    # The functions
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    huber,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    circle,
    ctc,
)

# Names as Keras accepts them: class and function names, and the short aliases.
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {
        "bce": binary_crossentropy,
        "BCE": binary_crossentropy,
        "kld": kl_divergence,
        "KLD": kl_divergence,
        "mae": mean_absolute_error,
        "MAE": mean_absolute_error,
        "mse": mean_squared_error,
        "MSE": mean_squared_error,
        "mape": mean_absolute_percentage_error,
        "MAPE": mean_absolute_percentage_error,
        "msle": mean_squared_logarithmic_error,
        "MSLE": mean_squared_logarithmic_error,
    }
)


def serialize(loss):
    """The config of a loss object or function, as ``deserialize`` takes it back."""
    return serialization_lib.serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """The loss (object or function) that ``name`` (a name or a ``serialize`` config) describes.

    Args:
        name: a loss name such as ``"mse"``, or a config dict.
        custom_objects: an optional dict of user classes and functions to consider too.
    """
    return serialization_lib.deserialize_keras_object(
        name, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects, kind="loss"
    )


def get(identifier):
    """The loss that ``identifier`` names: a name, a config dict, a class, a function or a Loss.

    A class is instantiated with its defaults; a function is returned as it is. An unknown
    name raises ValueError naming the closest valid one.

    Example: ``get("mse")`` is the function ``mean_squared_error``; ``get("MeanSquaredError")``
    is a ``MeanSquaredError()`` object.
    """
    return serialization_lib.resolve(
        identifier,
        deserialize,
        "loss",
        "a loss name (such as 'mse'), a config dict, a function or a `cornu.losses.Loss`",
    )


__all__ = [
    "CTC",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Circle",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "ctc",
    "deserialize",
    "dice",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "poisson",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "tversky",
]
