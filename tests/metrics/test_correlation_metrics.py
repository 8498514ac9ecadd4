"""PearsonCorrelation and ConcordanceCorrelation against Keras."""

import numpy as np
import pytest

from cornu import metrics
from cornu.backend import convert_to_numpy

B, D = 6, 5


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("axis", [-1, 0])
@pytest.mark.parametrize("name", ["PearsonCorrelation", "ConcordanceCorrelation"])
def test_matches_keras(keras, name, axis, weighted):
    rng = np.random.default_rng(0)
    ours, theirs = getattr(metrics, name)(axis=axis), getattr(keras.metrics, name)(axis=axis)
    for _ in range(3):
        y_true = rng.normal(size=(B, D)).astype("float32")
        y_pred = (y_true + rng.normal(size=(B, D))).astype("float32")
        weights = rng.random(D if axis == 0 else B).astype("float32") if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=weights)
        theirs.update_state(y_true, y_pred, sample_weight=weights)
        np.testing.assert_allclose(
            convert_to_numpy(ours.result()), keras.ops.convert_to_numpy(theirs.result()), rtol=1e-5
        )
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize("fn", ["pearson_correlation", "concordance_correlation"])
def test_functions_match_keras(keras, fn):
    rng = np.random.default_rng(1)
    y_true = rng.normal(size=(B, D)).astype("float32")
    y_pred = rng.normal(size=(B, D)).astype("float32")
    np.testing.assert_allclose(
        convert_to_numpy(getattr(metrics, fn)(y_true, y_pred)),
        keras.ops.convert_to_numpy(getattr(keras.metrics, fn)(y_true, y_pred)),
        rtol=1e-5,
    )


def test_perfect_correlation_is_one():
    x = np.array([[1.0, 2.0, 3.0, 4.0]], dtype="float32")
    assert float(convert_to_numpy(metrics.pearson_correlation(x, 2 * x + 1)[0])) == pytest.approx(
        1.0, abs=1e-6
    )
