"""KLDivergence and Poisson metrics against Keras (the cross-entropy metrics are tested in
test_reduction_metrics.py)."""

import numpy as np
import pytest

from cornu import metrics
from cornu.backend import convert_to_numpy

B, C = 6, 4


def _probs(rng):
    x = rng.random((B, C)).astype("float32") + 0.05
    return x / x.sum(-1, keepdims=True)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name", ["KLDivergence", "Poisson"])
def test_matches_keras(keras, name, weighted):
    rng = np.random.default_rng(0)
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    for _ in range(3):
        y_true = _probs(rng) if name == "KLDivergence" else rng.integers(0, 4, (B, C))
        y_pred = _probs(rng)
        weights = rng.random(B).astype("float32") if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=weights)
        theirs.update_state(y_true, y_pred, sample_weight=weights)
        np.testing.assert_allclose(
            convert_to_numpy(ours.result()), keras.ops.convert_to_numpy(theirs.result()), rtol=1e-6
        )
    assert ours.get_config() == theirs.get_config()


def test_names_resolve(keras):
    for name in ("kl_divergence", "KLDivergence", "poisson"):
        assert type(metrics.get(name)).__name__ == type(keras.metrics.get(name)).__name__
