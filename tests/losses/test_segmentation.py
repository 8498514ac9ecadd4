"""Dice and Tversky losses against Keras."""

import numpy as np
import pytest

from cornu import losses
from cornu.backend import convert_to_numpy

B = 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]
CONFIGS = [
    ("Dice", {}),
    ("Dice", {"axis": (1, 2, 3)}),
    ("Tversky", {}),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2, 3)}),
    ("Tversky", {"alpha": 0.8, "beta": 0.1, "axis": (1, 2)}),
]


def _masks(rng):
    y_true = rng.integers(0, 2, (B, 3, 3, 2)).astype("float32")
    return y_true, rng.random((B, 3, 3, 2)).astype("float32")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}-{k}" for n, k in CONFIGS])
def test_loss_matches_keras(keras, name, kwargs, weighted, reduction):
    rng = np.random.default_rng(0)
    y_true, y_pred = _masks(rng)
    # One weight per loss: per image, or per image and channel with axis=(1, 2).
    weight_shape = (B, 2) if kwargs.get("axis") == (1, 2) else (B,)
    sample_weight = rng.random(weight_shape).astype("float32") if weighted else None
    ours = getattr(losses, name)(**kwargs, reduction=reduction)(y_true, y_pred, sample_weight)
    theirs = getattr(keras.losses, name)(**kwargs, reduction=reduction)(
        y_true, y_pred, sample_weight
    )
    theirs = keras.ops.convert_to_numpy(theirs)
    np.testing.assert_allclose(convert_to_numpy(ours), theirs, rtol=1e-5, atol=1e-6)
    assert tuple(ours.shape) == theirs.shape


def test_known_values():
    # Keras's documented example: one loss per image with axis=(1, 2, 3).
    y_true = np.array([[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]])
    y_pred = np.array([[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]])
    per_image = losses.dice(y_true, y_pred, axis=(1, 2, 3))
    np.testing.assert_allclose(convert_to_numpy(per_image), [0.5, 0.75757575], rtol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(losses.dice(y_true, y_pred)), 0.6164384, rtol=1e-6)


def test_tversky_with_halves_is_dice():
    y_true, y_pred = _masks(np.random.default_rng(1))
    np.testing.assert_allclose(
        convert_to_numpy(losses.tversky(y_true, y_pred, 0.5, 0.5, axis=(1, 2, 3))),
        convert_to_numpy(losses.dice(y_true, y_pred, axis=(1, 2, 3))),
        rtol=1e-6,
    )


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}-{k}" for n, k in CONFIGS])
def test_configs_match_keras(keras, name, kwargs):
    loss = getattr(losses, name)(**kwargs)
    config = loss.get_config()
    assert config == getattr(keras.losses, name)(**kwargs).get_config()
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss) and rebuilt.get_config() == config
