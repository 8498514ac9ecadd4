"""Confusion counting helpers, and the ops they use (segment_sum, flip), against Keras."""

import numpy as np
import pytest

from cornu import backend, ops
from cornu.backend import convert_to_numpy
from cornu.metrics import metrics_utils


def test_segment_sum_matches_keras_and_drops_out_of_range_ids(keras):
    rng = np.random.default_rng(0)
    data = rng.random((7, 3)).astype("float32")
    ids = np.array([0, 2, 2, -1, 4, 1, 9])
    ours = ops.segment_sum(data, ids, num_segments=5)
    theirs = keras.ops.segment_sum(data, ids, num_segments=5)
    np.testing.assert_allclose(convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))
    counts = ops.segment_sum(np.ones(4, "int32"), np.array([1, 1, 3, 0]), 4)
    np.testing.assert_array_equal(convert_to_numpy(counts), [1, 2, 0, 1])
    assert convert_to_numpy(counts).dtype == np.int32


def test_flip(keras):
    x = np.arange(6).reshape(2, 3)
    for axis in (None, 0, 1, (0, 1)):
        np.testing.assert_array_equal(convert_to_numpy(ops.flip(x, axis)), np.flip(x, axis))


def test_confusion_matrix_matches_keras(keras):
    from keras.src.metrics import metrics_utils as keras_utils

    labels = np.array([1, 2, 4, 2, 0])
    predictions = np.array([2, 2, 4, 1, 0])
    weights = np.array([1.0, 0.5, 2.0, 1.0, 3.0], "float32")
    for w, dtype in ((None, "int32"), (weights, "float32")):
        ours = metrics_utils.confusion_matrix(labels, predictions, 5, w, dtype)
        theirs = keras_utils.confusion_matrix(labels, predictions, 5, w, dtype)
        np.testing.assert_array_equal(convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))


def test_bucketed_and_compared_counts_agree_off_the_thresholds():
    """Both counting paths give the same counts when no prediction lies on a threshold."""
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, (20, 3))
    y_pred = (rng.integers(0, 10, (20, 3)) + 0.5) / 10  # never on a multiple of 0.1
    weights = rng.random(20).astype("float32")
    thresholds = [i / 10 for i in range(11)]
    results = []
    for evenly in (True, False):
        variables = {
            key: backend.Variable(np.zeros(11, "float32"), trainable=False)
            for key in metrics_utils.CONFUSION_KEYS
        }
        metrics_utils.update_confusion_matrix_variables(
            variables,
            y_true,
            y_pred,
            thresholds,
            sample_weight=weights,
            thresholds_distributed_evenly=evenly,
        )
        results.append({k: convert_to_numpy(v.value) for k, v in variables.items()})
    for key in metrics_utils.CONFUSION_KEYS:
        np.testing.assert_allclose(results[0][key], results[1][key], rtol=1e-5, atol=1e-5)


def test_filter_top_k_keeps_exactly_k_entries():
    x = np.array([[0.1, 0.9, 0.5, 0.5], [0.3, 0.2, 0.1, 0.0]], "float32")
    kept = convert_to_numpy(metrics_utils.filter_top_k(ops.convert_to_tensor(x), 2))
    assert (kept > metrics_utils.NEG_INF).sum(axis=1).tolist() == [2, 2]
    np.testing.assert_allclose(kept[1], [0.3, 0.2, -1e10, -1e10])


def test_threshold_parsing():
    assert metrics_utils.parse_init_thresholds(None) == [0.5]
    assert metrics_utils.parse_init_thresholds(np.array(0.3)) == [0.3]
    assert metrics_utils.parse_init_thresholds((0, 1)) == [0.0, 1.0]
    with pytest.raises(ValueError, match=r"thresholds=\[0.5, 2\]"):
        metrics_utils.parse_init_thresholds([0.5, 2])
    assert metrics_utils.is_evenly_distributed_thresholds([0.0, 0.5, 1.0])
    assert not metrics_utils.is_evenly_distributed_thresholds([0.0, 1.0])
    assert not metrics_utils.is_evenly_distributed_thresholds([0.0, 0.4, 1.0])
