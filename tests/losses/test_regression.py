"""Regression losses (MAPE, MSLE, cosine similarity, Huber, log-cosh) against Keras."""

import numpy as np
import pytest

from cornu import losses, ops
from cornu.backend import convert_to_numpy

B, D = 6, 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]
WEIGHTS = {
    "none": None,
    "scalar": 0.5,
    "per_sample": np.linspace(0.0, 2.0, B).astype("float32"),
}
CONFIGS = [
    ("MeanAbsolutePercentageError", {}),
    ("MeanSquaredLogarithmicError", {}),
    ("CosineSimilarity", {}),
    ("CosineSimilarity", {"axis": 0}),
    ("Huber", {}),
    ("Huber", {"delta": 0.3}),
    ("LogCosh", {}),
]


def _data(rng, shape=(B, D)):
    # Signs vary (MSLE clips negatives, MAPE divides by |y_true|); a zero target and a zero
    # vector exercise the epsilon guards.
    y_true = (rng.random(shape) * 4 - 1).astype("float32")
    y_pred = (rng.random(shape) * 4 - 1).astype("float32")
    y_true[0, 0] = 0.0
    y_pred[1] = 0.0
    return y_true, y_pred


def _compare(keras, name, kwargs, y_true, y_pred, sample_weight=None, reduction="default"):
    extra = {} if reduction == "default" else {"reduction": reduction}
    ours = getattr(losses, name)(**kwargs, **extra)(y_true, y_pred, sample_weight=sample_weight)
    theirs = getattr(keras.losses, name)(**kwargs, **extra)(y_true, y_pred, sample_weight)
    theirs = keras.ops.convert_to_numpy(theirs)
    np.testing.assert_allclose(convert_to_numpy(ours), theirs, rtol=1e-5, atol=1e-6)
    assert tuple(ours.shape) == tuple(theirs.shape)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weights", list(WEIGHTS))
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}-{k}" for n, k in CONFIGS])
def test_loss_matches_keras(keras, name, kwargs, weights, reduction):
    y_true, y_pred = _data(np.random.default_rng(0))
    sample_weight = WEIGHTS[weights]
    if kwargs.get("axis") == 0 and weights == "per_sample":
        sample_weight = np.linspace(0.5, 1.5, D).astype("float32")
    _compare(keras, name, kwargs, y_true, y_pred, sample_weight, reduction)


@pytest.mark.parametrize(
    "name,kwargs", [c for c in CONFIGS if "axis" not in c[1]], ids=lambda v: str(v)
)
def test_sequences_with_per_step_weights(keras, name, kwargs):
    rng = np.random.default_rng(1)
    y_true, y_pred = _data(rng, (B, 3, D))
    _compare(keras, name, kwargs, y_true, y_pred, rng.random((B, 3)).astype("float32"))


FUNCTIONS = [
    ("mean_absolute_percentage_error", {}),
    ("mean_squared_logarithmic_error", {}),
    ("cosine_similarity", {"axis": -1}),
    ("huber", {"delta": 2.0}),
    ("log_cosh", {}),
]


@pytest.mark.parametrize("fn,kwargs", FUNCTIONS, ids=[f for f, _ in FUNCTIONS])
def test_functions_match_keras(keras, fn, kwargs):
    y_true, y_pred = _data(np.random.default_rng(2))
    ours = getattr(losses, fn)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.losses, fn)(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-6
    )
    assert tuple(ours.shape) == (B,)


def test_known_values():
    # Keras's documented examples.
    mape = losses.MeanAbsolutePercentageError()([100.0, 200.0, 300.0], [90.0, 210.0, 310.0])
    np.testing.assert_allclose(convert_to_numpy(mape), 6.111111, rtol=1e-6)
    huber = losses.huber([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    np.testing.assert_allclose(convert_to_numpy(huber), [0.18, 0.13], rtol=1e-6)
    similarity = losses.cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(convert_to_numpy(similarity), [0.0, -1.0], atol=1e-6)


def test_log_cosh_does_not_overflow():
    big = np.array([[1000.0, -1000.0]], dtype="float32")
    value = convert_to_numpy(losses.log_cosh(np.zeros_like(big), big))
    np.testing.assert_allclose(value, [1000.0 - np.log(2.0)], rtol=1e-6)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight"])
def test_mask_on_predictions_matches_keras(keras, reduction):
    rng = np.random.default_rng(3)
    y_true, y_pred = _data(rng, (B, 3, D))
    mask = rng.random((B, 3)) > 0.4
    y_pred = ops.convert_to_tensor(y_pred)
    y_pred._keras_mask = ops.convert_to_tensor(mask)
    theirs_pred = keras.ops.convert_to_tensor(convert_to_numpy(y_pred))
    theirs_pred._keras_mask = keras.ops.convert_to_tensor(mask)
    for name in ("Huber", "LogCosh", "MeanAbsolutePercentageError"):
        for sample_weight in (None, rng.random((B, 3)).astype("float32")):
            ours = getattr(losses, name)(reduction=reduction)(y_true, y_pred, sample_weight)
            theirs = getattr(keras.losses, name)(reduction=reduction)(
                y_true, theirs_pred, sample_weight
            )
            np.testing.assert_allclose(
                convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5
            )


@pytest.mark.parametrize(
    "name,kwargs,keras_drops",
    [
        ("MeanAbsolutePercentageError", {"name": "mape"}, ()),
        ("MeanSquaredLogarithmicError", {"reduction": "sum"}, ()),
        ("LogCosh", {"reduction": None}, ()),
        ("Huber", {"delta": 0.5}, ("delta",)),
        ("CosineSimilarity", {"axis": 1}, ("axis",)),
    ],
)
def test_configs(keras, name, kwargs, keras_drops):
    loss = getattr(losses, name)(**kwargs)
    config = loss.get_config()
    theirs = getattr(keras.losses, name)(**kwargs).get_config()
    # Keras's Huber and CosineSimilarity configs drop `delta`/`axis`; cornu keeps them.
    assert {k: v for k, v in config.items() if k not in keras_drops} == theirs
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss) and rebuilt.get_config() == config
    assert getattr(keras.losses, name).from_config(config).get_config() == theirs
