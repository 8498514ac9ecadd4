"""Losses: the ``Loss`` base, the built-in losses, and ``get``/``serialize``/``deserialize``."""

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
from cornu.saving import serialization_lib

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    MeanSquaredError,
    MeanAbsoluteError,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
)

# Names as Keras accepts them: class and function names, and the short aliases.
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {
        "bce": binary_crossentropy,
        "BCE": binary_crossentropy,
        "mae": mean_absolute_error,
        "MAE": mean_absolute_error,
        "mse": mean_squared_error,
        "MSE": mean_squared_error,
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
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "SparseCategoricalCrossentropy",
    "binary_crossentropy",
    "categorical_crossentropy",
    "deserialize",
    "get",
    "mean_absolute_error",
    "mean_squared_error",
    "serialize",
    "sparse_categorical_crossentropy",
]
