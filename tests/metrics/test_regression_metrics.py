"""Regression metrics (MAPE, MSLE, RMSE, cosine similarity, log-cosh, R2) against Keras."""

import numpy as np
import pytest

from cornu import backend, metrics, ops
from cornu.backend import convert_to_numpy

B, D = 6, 3


def _check_against_keras(keras, ours, theirs, batches, rtol=1e-5):
    for y_true, y_pred, sample_weight in batches:
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
        expected = keras.ops.convert_to_numpy(theirs.result())
        got = convert_to_numpy(ours.result())
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-6)
    ours.reset_state()
    assert all(not np.any(convert_to_numpy(v.value)) for v in ours.variables)


def _batches(weights, seed=0, shape=(B, D)):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(3):
        y_true = (rng.random(shape) * 3 - 0.5).astype("float32")
        y_pred = (rng.random(shape) * 3 - 0.5).astype("float32")
        w = None if weights is None else rng.random(weights).astype("float32")
        out.append((y_true, y_pred, w))
    return out


MEAN_METRICS = [
    ("MeanAbsolutePercentageError", {}),
    ("MeanSquaredLogarithmicError", {}),
    ("RootMeanSquaredError", {}),
    ("CosineSimilarity", {}),
    ("CosineSimilarity", {"axis": 0}),
    ("LogCoshError", {}),
]


@pytest.mark.parametrize("weights", [None, (B,), (B, 1)], ids=str)
@pytest.mark.parametrize("name,kwargs", MEAN_METRICS, ids=str)
def test_mean_metrics(keras, name, kwargs, weights):
    if kwargs.get("axis") == 0 and weights is not None:
        weights = (D,)
    _check_against_keras(
        keras,
        getattr(metrics, name)(**kwargs),
        getattr(keras.metrics, name)(**kwargs),
        _batches(weights),
    )


@pytest.mark.parametrize("name", ["RootMeanSquaredError", "LogCoshError"])
def test_sequences_with_per_step_weights(keras, name):
    batches = _batches((B, 2), shape=(B, 2, D))
    _check_against_keras(keras, getattr(metrics, name)(), getattr(keras.metrics, name)(), batches)


@pytest.mark.parametrize("weights", [None, (B,), (B, 1)], ids=str)
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"class_aggregation": "variance_weighted_average"},
        {"class_aggregation": None},
        {"num_regressors": 2},
        {"num_regressors": 17},  # n - 1 == num_regressors after one batch: the plain score
        {"num_regressors": 40},  # more regressors than samples: the plain score
    ],
    ids=str,
)
def test_r2_score(keras, kwargs, weights):
    import warnings

    ours, theirs = metrics.R2Score(**kwargs), keras.metrics.R2Score(**kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns when it falls back to the plain score
        _check_against_keras(keras, ours, theirs, _batches(weights), rtol=1e-4)


def test_known_values():
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    assert float(convert_to_numpy(rmse.result())) == pytest.approx(0.5)
    r2 = metrics.R2Score()
    r2.update_state(np.array([[1], [4], [3]], "float32"), np.array([[2], [4], [4]], "float32"))
    assert float(convert_to_numpy(r2.result())) == pytest.approx(0.57142854)


def test_mask_on_predictions_is_applied(keras):
    rng = np.random.default_rng(3)
    y_true = rng.random((B, 4, D)).astype("float32")
    values = rng.random((B, 4, D)).astype("float32")
    mask = rng.random((B, 4)) > 0.3
    ours_pred = ops.convert_to_tensor(values)
    ours_pred._keras_mask = ops.convert_to_tensor(mask)
    theirs_pred = keras.ops.convert_to_tensor(values)
    theirs_pred._keras_mask = keras.ops.convert_to_tensor(mask)
    for name in ("MeanAbsolutePercentageError", "LogCoshError", "CosineSimilarity"):
        for weights in (None, rng.random((B, 4)).astype("float32")):
            ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
            ours.update_state(y_true, ours_pred, sample_weight=weights)
            theirs.update_state(y_true, theirs_pred, sample_weight=weights)
            np.testing.assert_allclose(
                convert_to_numpy(ours.result()),
                keras.ops.convert_to_numpy(theirs.result()),
                rtol=1e-5,
            )


@pytest.mark.backends("torch")  # torch's meta device
def test_updates_never_sync_with_the_host():
    y_true, y_pred, weights = _batches((B,))[0]
    with backend.device_scope("meta"):
        for metric in (
            metrics.RootMeanSquaredError(),
            metrics.R2Score(num_regressors=2),
            metrics.CosineSimilarity(),
            metrics.MeanSquaredLogarithmicError(),
        ):
            metric.update_state(y_true, y_pred, sample_weight=weights)
            assert metric.result().device.type == "meta"


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="`class_aggregation`.*'mean'"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="`num_regressors`.*num_regressors=-1"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        metrics.R2Score().update_state(np.ones((2, 2, 2)), np.ones((2, 2, 2)))


@pytest.mark.parametrize(
    "name,kwargs,keras_drops",
    [
        ("MeanAbsolutePercentageError", {}, ()),
        ("MeanSquaredLogarithmicError", {"dtype": "float64"}, ()),
        ("RootMeanSquaredError", {}, ()),
        ("CosineSimilarity", {"axis": 1}, ("axis",)),
        ("LogCoshError", {}, ()),
        ("R2Score", {"class_aggregation": None, "num_regressors": 3}, ()),
    ],
)
def test_configs_match_keras(keras, name, kwargs, keras_drops):
    kwargs = {"name": "m", **kwargs}
    metric = getattr(metrics, name)(**kwargs)
    config = metric.get_config()
    # Keras's CosineSimilarity config drops `axis`; cornu keeps it.
    theirs = getattr(keras.metrics, name)(**kwargs).get_config()
    assert {k: v for k, v in config.items() if k not in keras_drops} == theirs
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config
