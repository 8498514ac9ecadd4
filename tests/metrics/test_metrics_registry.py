"""cornu.metrics.get / serialize / deserialize."""

import pytest

from cornu import metrics


@pytest.mark.parametrize(
    "name,cls",
    [
        ("accuracy", "Accuracy"),
        ("Accuracy", "Accuracy"),
        ("binary_accuracy", "BinaryAccuracy"),
        ("categorical_accuracy", "CategoricalAccuracy"),
        ("sparse_categorical_accuracy", "SparseCategoricalAccuracy"),
        ("mse", "MeanSquaredError"),
        ("MSE", "MeanSquaredError"),
        ("mean_squared_error", "MeanSquaredError"),
        ("mae", "MeanAbsoluteError"),
        ("MAE", "MeanAbsoluteError"),
        ("binary_crossentropy", "BinaryCrossentropy"),
        ("categorical_crossentropy", "CategoricalCrossentropy"),
        ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"),
        ("mean", "Mean"),
        ("sum", "Sum"),
    ],
)
def test_names_give_the_same_classes_as_keras(keras, name, cls):
    ours = metrics.get(name)
    assert type(ours) is getattr(metrics, cls)
    assert type(keras.metrics.get(name)).__name__ == cls


def test_acc_is_accuracy():
    # Keras's own metrics.get("acc") refuses the name; compile resolves it. cornu accepts it.
    assert type(metrics.get("acc")) is metrics.Accuracy


def test_objects_functions_classes_and_none_pass_through():
    metric = metrics.Mean()
    assert metrics.get(metric) is metric
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert isinstance(metrics.get(metrics.CategoricalAccuracy), metrics.CategoricalAccuracy)
    assert metrics.get(None) is None


def test_unknown_name_names_the_closest():
    with pytest.raises(ValueError, match="Did you mean 'accuracy'") as info:
        metrics.get("acuracy")
    assert "Unknown metric: 'acuracy'" in str(info.value)
    with pytest.raises(ValueError, match="Did you mean 'sparse_categorical_accuracy'"):
        metrics.get("sparse_categorical_acuracy")


def test_not_a_metric_is_refused():
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(3.5)


@pytest.mark.parametrize(
    "metric",
    [
        metrics.BinaryAccuracy(threshold=0.2, name="ba"),
        metrics.SparseCategoricalAccuracy(),
        metrics.Mean(name="m", dtype="float64"),
        metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
        metrics.MeanMetricWrapper(metrics.categorical_accuracy, name="ca"),
    ],
    ids=lambda m: m.name,
)
def test_serialize_round_trip(metric):
    config = metrics.serialize(metric)
    assert config["class_name"] == type(metric).__name__
    rebuilt = metrics.deserialize(config)
    assert type(rebuilt) is type(metric)
    assert rebuilt.get_config() == metric.get_config()
    assert metrics.get(config).get_config() == metric.get_config()


def test_serialized_function_round_trips():
    config = metrics.serialize(metrics.sparse_categorical_accuracy)
    assert config["class_name"] == "function"
    assert metrics.deserialize(config) is metrics.sparse_categorical_accuracy


def test_every_keras_metric_name_gives_the_same_class(keras):
    from keras.src.metrics import ALL_OBJECTS_DICT

    needs_arguments = {
        "IoU": {"num_classes": 2, "target_class_ids": [0]},
        "MeanIoU": {"num_classes": 2},
        "OneHotIoU": {"num_classes": 2, "target_class_ids": [0]},
        "OneHotMeanIoU": {"num_classes": 2},
        "PrecisionAtRecall": {"recall": 0.5},
        "RecallAtPrecision": {"precision": 0.5},
        "SensitivityAtSpecificity": {"specificity": 0.5},
        "SpecificityAtSensitivity": {"sensitivity": 0.5},
    }
    for name, cls in ALL_OBJECTS_DICT.items():
        ours = metrics.ALL_OBJECTS_DICT.get(name)
        assert ours is not None and ours.__name__ == cls.__name__, name
        if cls.__name__ in needs_arguments:
            config = {"class_name": name, "config": needs_arguments[cls.__name__]}
            assert type(metrics.get(config)).__name__ == cls.__name__
        elif cls.__name__ not in ("Metric", "MeanMetricWrapper"):
            assert type(metrics.get(name)).__name__ == cls.__name__, name


@pytest.mark.parametrize(
    "name,cls",
    [
        ("auc", "AUC"),
        ("precision", "Precision"),
        ("recall", "Recall"),
        ("top_k_categorical_accuracy", "TopKCategoricalAccuracy"),
        ("sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy"),
        ("root_mean_squared_error", "RootMeanSquaredError"),
        ("mape", "MeanAbsolutePercentageError"),
        ("msle", "MeanSquaredLogarithmicError"),
        ("f1_score", "F1Score"),
        ("r2_score", "R2Score"),
        ("log_cosh_error", "LogCoshError"),
    ],
)
def test_common_names(keras, name, cls):
    assert type(metrics.get(name)) is getattr(metrics, cls)
    assert type(keras.metrics.get(name)).__name__ == cls


def test_rmse_is_not_a_keras_name():
    with pytest.raises(ValueError, match="Unknown metric: 'rmse'"):
        metrics.get("rmse")


@pytest.mark.parametrize(
    "fn",
    [
        metrics.top_k_categorical_accuracy,
        metrics.huber,
        metrics.pearson_correlation,
        metrics.kl_divergence,
        metrics.hinge,
    ],
    ids=lambda f: f.__name__,
)
def test_wrapped_functions_round_trip(fn):
    wrapper = metrics.MeanMetricWrapper(fn, name="w")
    rebuilt = metrics.deserialize(metrics.serialize(wrapper))
    assert rebuilt._fn is fn
