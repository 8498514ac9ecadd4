"""IoU, MeanIoU, BinaryIoU, OneHotIoU and OneHotMeanIoU against Keras."""

import warnings

import numpy as np
import pytest

from cornu import backend, metrics
from cornu.backend import convert_to_numpy

B, N = 6, 5


def _check_against_keras(keras, ours, theirs, batches):
    for y_true, y_pred, sample_weight in batches:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # float weights with int counts (as in Keras)
            ours.update_state(y_true, y_pred, sample_weight=sample_weight)
            theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
        np.testing.assert_allclose(
            convert_to_numpy(ours.result()),
            keras.ops.convert_to_numpy(theirs.result()),
            rtol=1e-6,
            atol=1e-7,
        )
    np.testing.assert_array_equal(
        convert_to_numpy(ours.total_cm.value), keras.ops.convert_to_numpy(theirs.total_cm)
    )
    assert ours.total_cm.dtype == theirs.total_cm.dtype
    ours.reset_state()
    assert float(convert_to_numpy(ours.result())) == 0.0


def _sparse(weights, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(3):
        y_true = rng.integers(0, 3, (B, N))
        y_pred = rng.integers(0, 3, (B, N))
        y_pred[0, 0] = 7  # out of range: not counted
        if weights == "int":
            w = rng.integers(0, 3, (B, N))
        elif weights == "float":
            w = rng.random((B, N)).astype("float32") * 3
        else:
            w = None
        out.append((y_true, y_pred, w))
    return out


@pytest.mark.parametrize("weights", [None, "int", "float"])
@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("MeanIoU", {"num_classes": 3}),
        ("MeanIoU", {"num_classes": 3, "ignore_class": 1}),
        ("MeanIoU", {"num_classes": 4, "dtype": "float32"}),
        ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}),
        ("IoU", {"num_classes": 3, "target_class_ids": [1], "ignore_class": 0}),
    ],
    ids=str,
)
def test_sparse_iou(keras, name, kwargs, weights):
    _check_against_keras(
        keras,
        getattr(metrics, name)(**kwargs),
        getattr(keras.metrics, name)(**kwargs),
        _sparse(weights),
    )


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("kwargs", [{}, {"target_class_ids": [1], "threshold": 0.3}], ids=str)
def test_binary_iou(keras, kwargs, weighted):
    rng = np.random.default_rng(1)
    batches = [
        (
            rng.integers(0, 2, (B, N)),
            rng.random((B, N)).astype("float32"),
            rng.integers(0, 3, (B, N)) if weighted else None,
        )
        for _ in range(3)
    ]
    _check_against_keras(
        keras, metrics.BinaryIoU(**kwargs), keras.metrics.BinaryIoU(**kwargs), batches
    )


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("OneHotIoU", {"num_classes": 4, "target_class_ids": [0, 2]}),
        ("OneHotMeanIoU", {"num_classes": 4}),
        ("OneHotMeanIoU", {"num_classes": 4, "ignore_class": 3}),
    ],
    ids=str,
)
def test_one_hot_iou(keras, name, kwargs, weighted):
    rng = np.random.default_rng(2)
    batches = [
        (
            np.eye(4, dtype="float32")[rng.integers(0, 4, B)],
            rng.random((B, 4)).astype("float32"),
            rng.integers(0, 3, B) if weighted else None,
        )
        for _ in range(3)
    ]
    _check_against_keras(
        keras, getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs), batches
    )


def test_known_value():
    # Keras's documented example: the confusion matrix is [[1, 1], [1, 1]], so each class's
    # IoU is 1 / (2 + 2 - 1).
    metric = metrics.MeanIoU(num_classes=2)
    metric.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    assert float(convert_to_numpy(metric.result())) == pytest.approx(1 / 3, rel=1e-6)


def test_float_weights_with_int_counts_warn():
    with pytest.warns(UserWarning, match="weight as `float`"):
        metrics.MeanIoU(2).update_state([0, 1], [0, 1], sample_weight=np.array([0.5, 1.5]))


@pytest.mark.backends("torch")  # torch's meta device
def test_updates_never_sync_with_the_host():
    with backend.device_scope("meta"):
        metric = metrics.OneHotMeanIoU(3)
        metric.update_state(np.eye(3), np.eye(3), sample_weight=np.ones(3, "int32"))
        assert metric.result().device.type == "meta"


def test_target_class_out_of_range_is_refused():
    with pytest.raises(ValueError, match=r"Target class id 3 is out of range.*\[0, 3\)"):
        metrics.IoU(num_classes=3, target_class_ids=[0, 3])


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("IoU", {"num_classes": 3, "target_class_ids": [0, 1], "ignore_class": 2}),
        ("MeanIoU", {"num_classes": 4, "sparse_y_pred": False}),
        ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.2}),
        ("OneHotIoU", {"num_classes": 3, "target_class_ids": [2]}),
        ("OneHotMeanIoU", {"num_classes": 3, "axis": 1}),
    ],
)
def test_configs_match_keras(keras, name, kwargs):
    kwargs = {"name": "m", **kwargs}
    metric = getattr(metrics, name)(**kwargs)
    config = metric.get_config()
    assert config == getattr(keras.metrics, name)(**kwargs).get_config()
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config
