"""Hinge, squared hinge and categorical hinge losses against Keras."""

import numpy as np
import pytest

from cornu import backend, losses
from cornu.backend import convert_to_numpy

B, C = 6, 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]


def _labels(rng, kind):
    if kind == "binary":
        return rng.integers(0, 2, (B, C)).astype("float32")
    if kind == "signed":
        return (rng.integers(0, 2, (B, C)) * 2 - 1).astype("float32")
    return np.eye(C, dtype="float32")[rng.integers(0, C, B)]


CASES = [
    ("Hinge", "binary"),
    ("Hinge", "signed"),
    ("SquaredHinge", "binary"),
    ("SquaredHinge", "signed"),
    ("CategoricalHinge", "one_hot"),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,labels", CASES)
def test_loss_matches_keras(keras, name, labels, weighted, reduction):
    rng = np.random.default_rng(0)
    y_true = _labels(rng, labels)
    y_pred = rng.normal(size=(B, C)).astype("float32")
    sample_weight = rng.random(B).astype("float32") if weighted else None
    ours = getattr(losses, name)(reduction=reduction)(y_true, y_pred, sample_weight)
    theirs = getattr(keras.losses, name)(reduction=reduction)(y_true, y_pred, sample_weight)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("fn", ["hinge", "squared_hinge", "categorical_hinge"])
def test_functions_match_keras(keras, fn):
    rng = np.random.default_rng(1)
    y_true = _labels(rng, "one_hot" if fn == "categorical_hinge" else "binary")
    y_pred = rng.normal(size=(B, C)).astype("float32")
    ours = getattr(losses, fn)(y_true, y_pred)
    theirs = getattr(keras.losses, fn)(y_true, y_pred)
    np.testing.assert_allclose(convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))


def test_binary_labels_are_converted_but_other_labels_are_not():
    y_pred = np.array([[0.3, -0.8]], dtype="float32")
    # 0/1 labels become -1/1: mean(max(1 + 0.3, 0), max(1 + 0.8, 0)).
    np.testing.assert_allclose(convert_to_numpy(losses.hinge([[0.0, 1.0]], y_pred)), [1.55])
    # A label of 2 is not binary: nothing is converted, mean(1 - 0, 1 + 1.6).
    np.testing.assert_allclose(convert_to_numpy(losses.hinge([[0.0, 2.0]], y_pred)), [1.8])


@pytest.mark.backends("torch")  # torch's meta device
def test_label_conversion_never_reads_back_to_the_host():
    with backend.device_scope("meta"):
        out = losses.Hinge()(np.ones((B, C), "float32"), np.ones((B, C), "float32"))
    assert out.device.type == "meta"


@pytest.mark.parametrize("name", ["Hinge", "SquaredHinge", "CategoricalHinge"])
def test_configs_match_keras(keras, name):
    config = getattr(losses, name)(reduction="sum", name="h").get_config()
    assert config == getattr(keras.losses, name)(reduction="sum", name="h").get_config()
    assert losses.deserialize({"class_name": name, "config": config}).get_config() == config
