"""Sum, Mean, MeanMetricWrapper and the loss-based metrics against Keras."""

import numpy as np
import pytest

from cornu import losses, metrics
from cornu.backend import convert_to_numpy

B, C = 6, 3


def _close(ours, theirs, keras):
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-6, atol=1e-7
    )


def _check_against_keras(keras, ours, theirs, batches):
    """Feeds the same batches to both metrics, comparing results after each; then resets."""
    for args, sample_weight in batches:
        ours.update_state(*args, sample_weight=sample_weight)
        theirs.update_state(*args, sample_weight=sample_weight)
        _close(ours.result(), theirs.result(), keras)
    ours.reset_state()
    theirs.reset_state()
    _close(ours.result(), theirs.result(), keras)
    assert float(convert_to_numpy(ours.result())) == 0.0
    args, sample_weight = batches[-1]
    _close(
        ours(*args, sample_weight=sample_weight), theirs(*args, sample_weight=sample_weight), keras
    )


WEIGHTS = [None, "scalar", (B,), (B, 1), (B, 4)]


def _weight(rng, spec):
    if spec is None:
        return None
    if spec == "scalar":
        return 0.5
    return rng.random(spec).astype("float32")


@pytest.mark.parametrize("cls", ["Sum", "Mean"])
@pytest.mark.parametrize("weights", WEIGHTS, ids=str)
def test_sum_and_mean(keras, cls, weights):
    rng = np.random.default_rng(0)
    batches = [((rng.random((B, 4)).astype("float32"),), _weight(rng, weights)) for _ in range(3)]
    _check_against_keras(keras, getattr(metrics, cls)(), getattr(keras.metrics, cls)(), batches)


@pytest.mark.parametrize("cls", ["Sum", "Mean"])
def test_scalars_and_lists(keras, cls):
    batches = [((2.0,), None), (([1.0, 3.0, 5.0],), None), ((4.0,), 3.0)]
    _check_against_keras(keras, getattr(metrics, cls)(), getattr(keras.metrics, cls)(), batches)


def _data(name, rng, shape=(B, C)):
    if name in ("MeanSquaredError", "MeanAbsoluteError"):
        return rng.random(shape).astype("float32"), rng.random(shape).astype("float32")
    probs = rng.random(shape).astype("float32") + 0.05
    probs /= probs.sum(-1, keepdims=True)
    labels = rng.integers(0, shape[-1], shape[:-1])
    if name == "BinaryCrossentropy":
        return rng.integers(0, 2, shape).astype("float32"), probs
    if name == "CategoricalCrossentropy":
        return np.eye(shape[-1], dtype="float32")[labels], probs
    return labels, probs


METRICS = [
    ("MeanSquaredError", {}),
    ("MeanAbsoluteError", {}),
    ("BinaryCrossentropy", {}),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}),
    ("CategoricalCrossentropy", {}),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("SparseCategoricalCrossentropy", {}),
    ("SparseCategoricalCrossentropy", {"from_logits": True}),
    ("SparseCategoricalCrossentropy", {"ignore_class": 0}),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,kwargs", METRICS, ids=[f"{n}-{k}" for n, k in METRICS])
def test_loss_based_metrics(keras, name, kwargs, weighted):
    rng = np.random.default_rng(1)
    batches = [
        (_data(name, rng), rng.random(B).astype("float32") if weighted else None) for _ in range(3)
    ]
    _check_against_keras(
        keras, getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs), batches
    )
    config = getattr(metrics, name)(**kwargs).get_config()
    assert config == getattr(keras.metrics, name)(**kwargs).get_config()


@pytest.mark.parametrize("weighted", [False, True])
def test_mean_metric_wrapper_of_a_loss_function(keras, weighted):
    rng = np.random.default_rng(2)
    batches = [
        (_data("MeanSquaredError", rng, (B, 2, C)), _weight(rng, (B, 2) if weighted else None))
        for _ in range(3)
    ]
    ours = metrics.MeanMetricWrapper(losses.mean_squared_error, name="err")
    theirs = keras.metrics.MeanMetricWrapper(keras.losses.mean_squared_error, name="err")
    _check_against_keras(keras, ours, theirs, batches)
    assert ours.name == "err"


def test_mean_metric_wrapper_with_a_mask_on_predictions(keras):
    from keras.src.backend import set_keras_mask

    from cornu import ops

    rng = np.random.default_rng(3)
    y_true = rng.random((B, 4, C)).astype("float32")
    y_pred = ops.convert_to_tensor(rng.random((B, 4, C)).astype("float32"))
    set_keras_mask(y_pred, ops.convert_to_tensor(rng.random((B, 4)) > 0.3))
    for weights in (None, rng.random((B, 4)).astype("float32")):
        batches = [((y_true, y_pred), weights)]
        _check_against_keras(
            keras, metrics.MeanSquaredError(), keras.metrics.MeanSquaredError(), batches
        )


def test_mean_metric_wrapper_config_round_trip(keras):
    wrapper = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="ba", threshold=0.3)
    config = wrapper.get_config()
    assert config["name"] == "ba" and config["threshold"] == 0.3 and config["dtype"] == "float32"
    again = metrics.MeanMetricWrapper.from_config(config)
    assert again._fn is metrics.binary_accuracy
    assert again._fn_kwargs == {"threshold": 0.3}
