"""Hinge, SquaredHinge and CategoricalHinge metrics against Keras."""

import numpy as np
import pytest

from cornu import metrics
from cornu.backend import convert_to_numpy

B, C = 6, 4


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name", ["Hinge", "SquaredHinge", "CategoricalHinge"])
def test_matches_keras(keras, name, weighted):
    rng = np.random.default_rng(0)
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    for _ in range(3):
        if name == "CategoricalHinge":
            y_true = np.eye(C, dtype="float32")[rng.integers(0, C, B)]
        else:
            y_true = rng.integers(0, 2, (B, C)).astype("float32")
        y_pred = rng.normal(size=(B, C)).astype("float32")
        weights = rng.random(B).astype("float32") if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=weights)
        theirs.update_state(y_true, y_pred, sample_weight=weights)
        np.testing.assert_allclose(
            convert_to_numpy(ours.result()), keras.ops.convert_to_numpy(theirs.result()), rtol=1e-6
        )
    assert ours.get_config() == theirs.get_config()
    ours.reset_state()
    assert float(convert_to_numpy(ours.result())) == 0.0


def test_names_resolve(keras):
    for name in ("hinge", "squared_hinge", "categorical_hinge"):
        assert type(metrics.get(name)).__name__ == type(keras.metrics.get(name)).__name__
