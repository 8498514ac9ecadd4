"""Metrics: the ``Metric`` base, the built-in metrics, and ``get``/``serialize``/``deserialize``."""

from cornu.backend import to_snake_case
from cornu.losses.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)
from cornu.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
)
from cornu.metrics.metric import Metric
from cornu.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)
from cornu.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from cornu.metrics.regression_metrics import MeanAbsoluteError, MeanSquaredError
from cornu.saving import serialization_lib

ALL_OBJECTS = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    MeanSquaredError,
    MeanAbsoluteError,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
)

# Names as Keras accepts them: class names, their snake_case forms, and the short aliases.
# A name such as "binary_accuracy" gives the class, as in Keras.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update(
    {
        "acc": Accuracy,
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
    }
)

# The functions a MeanMetricWrapper config may name as its `fn`.
FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        accuracy,
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        mean_squared_error,
        mean_absolute_error,
        binary_crossentropy,
        categorical_crossentropy,
        sparse_categorical_crossentropy,
    )
}


def serialize(metric):
    """The config of a metric object or function, as ``deserialize`` takes it back."""
    return serialization_lib.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """The metric that ``config`` (a name or a ``serialize`` config) describes.

    Args:
        config: a metric name such as ``"accuracy"``, or a config dict.
        custom_objects: an optional dict of user classes and functions to consider too.
    """
    if isinstance(config, dict) and config.get("class_name") == "function":
        return serialization_lib.deserialize_keras_object(
            config, module_objects=FUNCTIONS, custom_objects=custom_objects, kind="metric"
        )
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects, kind="metric"
    )


def get(identifier):
    """The metric that ``identifier`` names: a name, a config dict, a class, a function or a
    Metric.

    A class is instantiated with its defaults; a function is returned as it is. An unknown
    name raises ValueError naming the closest valid one. Note that ``"accuracy"`` gives plain
    ``Accuracy``; ``Model.compile`` picks the binary, categorical or sparse one itself.
    """
    return serialization_lib.resolve(
        identifier,
        deserialize,
        "metric",
        "a metric name (such as 'accuracy'), a config dict, a function or a `cornu.metrics.Metric`",
    )


__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "Mean",
    "MeanAbsoluteError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "Metric",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "Sum",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "deserialize",
    "get",
    "mean_absolute_error",
    "mean_squared_error",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
]
