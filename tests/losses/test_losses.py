"""The built-in losses against Keras: every loss, option, sample weighting and reduction."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

from cornu import losses
from cornu.backend import convert_to_numpy

B, C = 6, 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


def _probs(rng, shape):
    x = rng.random(shape).astype("float32") + 0.05
    return x / x.sum(axis=-1, keepdims=True)


def _data(name, from_logits, rng, shape=(B, C)):
    """(y_true, y_pred) for the loss class ``name``."""
    if name in ("MeanSquaredError", "MeanAbsoluteError"):
        return rng.random(shape).astype("float32"), rng.random(shape).astype("float32")
    if name == "BinaryCrossentropy":
        y_true = rng.integers(0, 2, shape).astype("float32")
        y_pred = rng.normal(size=shape).astype("float32")
        return y_true, (y_pred if from_logits else 1 / (1 + np.exp(-y_pred)))
    y_pred = rng.normal(size=shape).astype("float32") if from_logits else _probs(rng, shape)
    labels = rng.integers(0, shape[-1], shape[:-1])
    if name == "CategoricalCrossentropy":
        return np.eye(shape[-1], dtype="float32")[labels], y_pred
    return labels, y_pred


CONFIGS = [
    ("MeanSquaredError", {}),
    ("MeanAbsoluteError", {}),
    ("BinaryCrossentropy", {"from_logits": False}),
    ("BinaryCrossentropy", {"from_logits": True}),
    ("BinaryCrossentropy", {"from_logits": False, "label_smoothing": 0.2}),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("CategoricalCrossentropy", {"from_logits": False}),
    ("CategoricalCrossentropy", {"from_logits": True}),
    ("CategoricalCrossentropy", {"from_logits": False, "label_smoothing": 0.2}),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("SparseCategoricalCrossentropy", {"from_logits": False}),
    ("SparseCategoricalCrossentropy", {"from_logits": True}),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1}),
    ("SparseCategoricalCrossentropy", {"from_logits": False, "ignore_class": 0}),
]
WEIGHTS = {
    "none": None,
    "scalar": 0.5,
    "per_sample": np.linspace(0.0, 2.0, B).astype("float32"),
    "column": np.linspace(0.5, 1.5, B).astype("float32")[:, None],
}


def _ids(configs):
    return [f"{name}-{kwargs}" for name, kwargs in configs]


def _compare(keras, name, kwargs, y_true, y_pred, sample_weight=None, reduction=None):
    extra = {} if reduction == "default" else {"reduction": reduction}
    ours = getattr(losses, name)(**kwargs, **extra)(y_true, y_pred, sample_weight=sample_weight)
    theirs = getattr(keras.losses, name)(**kwargs, **extra)(
        y_true, y_pred, sample_weight=sample_weight
    )
    theirs = keras.ops.convert_to_numpy(theirs)
    np.testing.assert_allclose(convert_to_numpy(ours), theirs, rtol=1e-6, atol=1e-6)
    assert tuple(ours.shape) == tuple(theirs.shape)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weights", list(WEIGHTS))
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=_ids(CONFIGS))
def test_loss_matches_keras(keras, name, kwargs, weights, reduction):
    y_true, y_pred = _data(name, kwargs.get("from_logits", False), np.random.default_rng(1))
    sample_weight = WEIGHTS[weights]
    if weights == "scalar" and "ignore_class" in kwargs:
        # Keras fails on a scalar weight with a mask (an in-place multiply that cannot
        # broadcast); cornu treats it as the same weight for every sample.
        ours = losses.get({"class_name": name, "config": dict(kwargs, reduction=reduction)})
        np.testing.assert_allclose(
            convert_to_numpy(ours(y_true, y_pred, sample_weight=sample_weight)),
            convert_to_numpy(ours(y_true, y_pred, sample_weight=np.full(B, sample_weight))),
            rtol=1e-6,
        )
        sample_weight = np.full(B, sample_weight, dtype="float32")
    _compare(keras, name, kwargs, y_true, y_pred, sample_weight, reduction)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "none", "mean_with_sample_weight"])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=_ids(CONFIGS))
def test_sequence_loss_with_per_timestep_weights(keras, name, kwargs, reduction):
    rng = np.random.default_rng(2)
    y_true, y_pred = _data(name, kwargs.get("from_logits", False), rng, shape=(B, 3, C))
    sample_weight = rng.random((B, 3)).astype("float32")
    _compare(keras, name, kwargs, y_true, y_pred, sample_weight, reduction)


@pytest.mark.parametrize("label_shape", [(B,), (B, 1)])
@pytest.mark.parametrize("label_dtype", ["int32", "int64", "float32"])
def test_sparse_labels_of_any_shape_and_dtype(keras, label_shape, label_dtype):
    rng = np.random.default_rng(3)
    labels = rng.integers(0, C, label_shape).astype(label_dtype)
    y_pred = rng.normal(size=(B, C)).astype("float32")
    for kwargs in ({"from_logits": True}, {"from_logits": True, "ignore_class": 2}):
        _compare(keras, "SparseCategoricalCrossentropy", kwargs, labels, y_pred, None, "default")


def test_binary_labels_of_shape_batch_against_predictions_of_shape_batch_1(keras):
    rng = np.random.default_rng(4)
    y_true = rng.integers(0, 2, (B,))
    y_pred = rng.random((B, 1)).astype("float32")
    _compare(keras, "BinaryCrossentropy", {}, y_true, y_pred, WEIGHTS["per_sample"], "default")
    _compare(keras, "MeanSquaredError", {}, y_true, y_pred, None, "none")


def test_integer_targets_are_cast_to_the_loss_dtype(keras):
    y_true = np.array([[1, 0], [0, 1]])
    y_pred = np.array([[0.8, 0.1], [0.3, 0.6]], dtype="float64")
    ours = losses.MeanSquaredError()(y_true, y_pred)
    assert str(ours.dtype).endswith("float32")
    _compare(keras, "MeanSquaredError", {}, y_true, y_pred, None, "default")


def test_float64_loss_dtype(keras):
    y_true, y_pred = _data("CategoricalCrossentropy", True, np.random.default_rng(5))
    ours = losses.CategoricalCrossentropy(from_logits=True, dtype="float64")(y_true, y_pred)
    theirs = keras.losses.CategoricalCrossentropy(from_logits=True, dtype="float64")(y_true, y_pred)
    assert str(ours.dtype).endswith(backend_dtype("float64"))
    # float32 where the backend narrows float64 (jax): float32's tolerance there.
    rtol = 1e-7 if backend_dtype("float64") == "float64" else 1e-6
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=rtol
    )


FUNCTIONS = [
    ("mean_squared_error", "MeanSquaredError", {}),
    ("mean_absolute_error", "MeanAbsoluteError", {}),
    ("binary_crossentropy", "BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("binary_crossentropy", "BinaryCrossentropy", {}),
    ("categorical_crossentropy", "CategoricalCrossentropy", {"label_smoothing": 0.3}),
    ("categorical_crossentropy", "CategoricalCrossentropy", {"from_logits": True}),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {}),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {"from_logits": True}),
]


@pytest.mark.parametrize("fn,cls,kwargs", FUNCTIONS, ids=[f"{f}-{k}" for f, _, k in FUNCTIONS])
def test_loss_functions_match_keras(keras, fn, cls, kwargs):
    y_true, y_pred = _data(cls, kwargs.get("from_logits", False), np.random.default_rng(6))
    ours = getattr(losses, fn)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.losses, fn)(keras.ops.convert_to_tensor(y_true), y_pred, **kwargs)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-6, atol=1e-6
    )
    assert tuple(ours.shape) == (B,)


def test_categorical_crossentropy_with_one_class_warns():
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.ones((2, 1), dtype="float32"))
