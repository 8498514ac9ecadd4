"""F1Score and FBetaScore against Keras."""

import numpy as np
import pytest

from cornu import backend, metrics
from cornu.backend import convert_to_numpy

B, C = 8, 4
AVERAGES = [None, "micro", "macro", "weighted"]


def _batches(weighted, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(3):
        y_true = rng.integers(0, 2, (B, C)).astype("float32")
        y_pred = rng.random((B, C)).astype("float32")
        y_pred[0] = 0.0  # a row of zeros predicts nothing with threshold=None
        out.append((y_true, y_pred, rng.random(B).astype("float32") if weighted else None))
    return out


def _check_against_keras(keras, ours, theirs, batches):
    for y_true, y_pred, sample_weight in batches:
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
        expected = keras.ops.convert_to_numpy(theirs.result())
        got = convert_to_numpy(ours.result())
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    ours.reset_state()
    assert not np.any(convert_to_numpy(ours.result()))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("threshold", [None, 0.4])
@pytest.mark.parametrize("average", AVERAGES)
def test_f1_score(keras, average, threshold, weighted):
    kwargs = {"average": average, "threshold": threshold}
    _check_against_keras(
        keras, metrics.F1Score(**kwargs), keras.metrics.F1Score(**kwargs), _batches(weighted)
    )


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("average", AVERAGES)
def test_f_beta_score(keras, average, weighted):
    kwargs = {"average": average, "beta": 2.0, "threshold": 0.6}
    _check_against_keras(
        keras, metrics.FBetaScore(**kwargs), keras.metrics.FBetaScore(**kwargs), _batches(weighted)
    )


def test_f1_of_perfect_predictions_is_one():
    y_true = np.eye(3, dtype="float32")
    score = metrics.F1Score(average="macro")(y_true, y_true * 0.9)
    assert float(convert_to_numpy(score)) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.backends("torch")  # torch's meta device
def test_updates_never_sync_with_the_host():
    y_true, y_pred, weights = _batches(True)[0]
    with backend.device_scope("meta"):
        for metric in (metrics.F1Score(), metrics.FBetaScore(average="weighted", beta=0.5)):
            metric.update_state(y_true, y_pred, sample_weight=weights)
            assert metric.result().device.type == "meta"


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="`average`.*average='mean'"):
        metrics.F1Score(average="mean")
    with pytest.raises(ValueError, match="`beta`.*Python float"):
        metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="`beta`.*> 0"):
        metrics.FBetaScore(beta=-1.0)
    with pytest.raises(ValueError, match="`threshold`.*Python float"):
        metrics.F1Score(threshold=1)
    with pytest.raises(ValueError, match=r"`threshold`.*0 < threshold <= 1"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.F1Score().update_state(np.ones(3), np.ones(3))


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("F1Score", {"average": "micro", "threshold": 0.3}),
        ("FBetaScore", {"average": "weighted", "beta": 0.5}),
    ],
)
def test_configs_match_keras(keras, name, kwargs):
    metric = getattr(metrics, name)(**kwargs)
    config = metric.get_config()
    assert config == getattr(keras.metrics, name)(**kwargs).get_config()
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config
