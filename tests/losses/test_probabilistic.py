"""KL divergence, Poisson, the focal cross-entropies and the generalized cross-entropy,
against Keras."""

import numpy as np
import pytest

from cornu import losses
from cornu.backend import convert_to_numpy

B, C = 6, 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]


def _probs(rng, shape=(B, C)):
    x = rng.random(shape).astype("float32") + 0.05
    return x / x.sum(axis=-1, keepdims=True)


def _data(name, kwargs, rng, shape=(B, C)):
    logits = kwargs.get("from_logits", False)
    if name == "KLDivergence":
        return _probs(rng, shape), _probs(rng, shape)
    if name == "Poisson":
        return rng.integers(0, 4, shape).astype("float32"), rng.random(shape).astype("float32")
    if name == "BinaryFocalCrossentropy":
        y_pred = rng.normal(size=shape).astype("float32")
        y_true = rng.integers(0, 2, shape).astype("float32")
        return y_true, (y_pred if logits else 1 / (1 + np.exp(-y_pred)))
    labels = rng.integers(0, shape[-1], shape[:-1])
    if name == "CategoricalGeneralizedCrossEntropy":
        return labels, _probs(rng, shape)
    y_pred = rng.normal(size=shape).astype("float32") if logits else _probs(rng, shape)
    return np.eye(shape[-1], dtype="float32")[labels], y_pred


CONFIGS = [
    ("KLDivergence", {}),
    ("Poisson", {}),
    ("BinaryFocalCrossentropy", {}),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 3.0}),
    ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}),
    ("BinaryFocalCrossentropy", {"from_logits": True, "apply_class_balancing": True}),
    ("CategoricalFocalCrossentropy", {}),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0, "label_smoothing": 0.1}),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "alpha": [0.1, 0.2, 0.3, 0.4]}),
    ("CategoricalGeneralizedCrossEntropy", {}),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.8}),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}-{k}" for n, k in CONFIGS])
def test_loss_matches_keras(keras, name, kwargs, weighted, reduction):
    rng = np.random.default_rng(0)
    y_true, y_pred = _data(name, kwargs, rng)
    sample_weight = rng.random(B).astype("float32") if weighted else None
    ours = getattr(losses, name)(**kwargs, reduction=reduction)(y_true, y_pred, sample_weight)
    theirs = getattr(keras.losses, name)(**kwargs, reduction=reduction)(
        y_true, y_pred, sample_weight
    )
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize(
    "name,kwargs", [c for c in CONFIGS if "Generalized" not in c[0]], ids=lambda v: str(v)
)
def test_sequences_with_per_step_weights(keras, name, kwargs):
    rng = np.random.default_rng(1)
    y_true, y_pred = _data(name, kwargs, rng, (B, 3, C))
    sample_weight = rng.random((B, 3)).astype("float32")
    ours = getattr(losses, name)(**kwargs)(y_true, y_pred, sample_weight)
    theirs = getattr(keras.losses, name)(**kwargs)(y_true, y_pred, sample_weight)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


FUNCTIONS = [
    ("kl_divergence", "KLDivergence", {}),
    ("poisson", "Poisson", {}),
    ("binary_focal_crossentropy", "BinaryFocalCrossentropy", {"gamma": 1.5}),
    ("categorical_focal_crossentropy", "CategoricalFocalCrossentropy", {"from_logits": True}),
    ("categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy", {"q": 0.5}),
]


@pytest.mark.parametrize("fn,cls,kwargs", FUNCTIONS, ids=[f for f, _, _ in FUNCTIONS])
def test_functions_match_keras(keras, fn, cls, kwargs):
    y_true, y_pred = _data(cls, kwargs, np.random.default_rng(2))
    ours = getattr(losses, fn)(y_true, y_pred, **kwargs)
    convert = keras.ops.convert_to_tensor
    theirs = getattr(keras.losses, fn)(convert(y_true), convert(y_pred), **kwargs)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-6
    )


def test_known_values():
    # Keras's documented examples.
    y_true = np.array([[0, 1], [0, 0]])
    y_pred = np.array([[-18.6, 0.51], [2.94, -12.8]], dtype="float32")
    focal = losses.BinaryFocalCrossentropy(gamma=3, from_logits=True)
    np.testing.assert_allclose(convert_to_numpy(focal(y_true, y_pred)), 0.647, atol=1e-3)
    balanced = losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=3, from_logits=True)
    np.testing.assert_allclose(convert_to_numpy(balanced(y_true, y_pred)), 0.482, atol=1e-3)


def test_focal_crossentropy_with_gamma_0_is_alpha_times_crossentropy():
    y_true, y_pred = _data("CategoricalFocalCrossentropy", {}, np.random.default_rng(3))
    focal = losses.categorical_focal_crossentropy(y_true, y_pred, alpha=0.5, gamma=0.0)
    plain = losses.categorical_crossentropy(y_true, y_pred)
    np.testing.assert_allclose(convert_to_numpy(focal), 0.5 * convert_to_numpy(plain), rtol=1e-5)


def test_generalized_crossentropy_takes_labels_of_shape_batch_1():
    labels = np.array([0, 2, 1])
    y_pred = _probs(np.random.default_rng(4), (3, 3))
    flat = losses.categorical_generalized_cross_entropy(labels, y_pred, q=0.5)
    column = losses.categorical_generalized_cross_entropy(labels[:, None], y_pred, q=0.5)
    assert tuple(column.shape) == (3,)
    np.testing.assert_allclose(convert_to_numpy(column), convert_to_numpy(flat))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="`q`.*q=1.5"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match="`axis` must be an int"):
        losses.categorical_focal_crossentropy(np.ones((2, 2)), np.ones((2, 2)), axis=True)
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_focal_crossentropy(np.ones((2, 1)), np.ones((2, 1), dtype="float32"))


CONFIG_CASES = [
    ("KLDivergence", {"reduction": "sum"}),
    ("Poisson", {"name": "p"}),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.0}),
    ("CategoricalFocalCrossentropy", {"alpha": [0.2, 0.8], "from_logits": True, "axis": -1}),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.7}),
]


@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_configs_match_keras(keras, name, kwargs):
    loss = getattr(losses, name)(**kwargs)
    config = loss.get_config()
    assert config == getattr(keras.losses, name)(**kwargs).get_config()
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss) and rebuilt.get_config() == config
