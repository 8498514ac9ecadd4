"""Accuracy metrics against Keras over several batches, weighted and not, and after a reset."""

import numpy as np
import pytest

import cornu
from cornu import metrics
from cornu.backend import convert_to_numpy

B, C = 8, 4


def _check_against_keras(keras, ours, theirs, batches):
    """Feeds the same batches to both metrics, comparing results after each; then resets."""
    for y_true, y_pred, sample_weight in batches:
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
        np.testing.assert_allclose(
            convert_to_numpy(ours.result()),
            keras.ops.convert_to_numpy(theirs.result()),
            rtol=1e-6,
            atol=1e-7,
        )
    ours.reset_state()
    assert float(convert_to_numpy(ours.result())) == 0.0
    assert all(float(v.numpy()) == 0.0 for v in ours.variables)
    y_true, y_pred, sample_weight = batches[0]
    theirs.reset_state()
    np.testing.assert_allclose(
        convert_to_numpy(ours(y_true, y_pred, sample_weight=sample_weight)),
        keras.ops.convert_to_numpy(theirs(y_true, y_pred, sample_weight=sample_weight)),
        rtol=1e-6,
    )


def _weights(rng, weighted, shape=(B,)):
    return rng.random(shape).astype("float32") if weighted else None


@pytest.mark.parametrize("weighted", [False, True])
def test_accuracy(keras, weighted):
    rng = np.random.default_rng(0)
    batches = []
    for _ in range(3):
        y_true = rng.integers(0, 3, (B, 1))
        y_pred = rng.integers(0, 3, (B, 1)).astype("float32")
        batches.append((y_true, y_pred, _weights(rng, weighted)))
    _check_against_keras(keras, metrics.Accuracy(), keras.metrics.Accuracy(), batches)


@pytest.mark.parametrize("threshold", [0.5, 0.7])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_shape", [(B,), (B, 1)])
def test_binary_accuracy(keras, threshold, weighted, label_shape):
    rng = np.random.default_rng(1)
    batches = []
    for _ in range(3):
        y_true = rng.integers(0, 2, label_shape).astype("float32")
        y_pred = rng.random((B, 1)).astype("float32")
        batches.append((y_true, y_pred, _weights(rng, weighted)))
    _check_against_keras(
        keras,
        metrics.BinaryAccuracy(threshold=threshold),
        keras.metrics.BinaryAccuracy(threshold=threshold),
        batches,
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_categorical_accuracy(keras, weighted):
    rng = np.random.default_rng(2)
    batches = []
    for _ in range(3):
        y_true = np.eye(C, dtype="float32")[rng.integers(0, C, B)]
        y_pred = rng.random((B, C)).astype("float32")
        batches.append((y_true, y_pred, _weights(rng, weighted)))
    _check_against_keras(
        keras, metrics.CategoricalAccuracy(), keras.metrics.CategoricalAccuracy(), batches
    )


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_shape", [(B,), (B, 1)])
@pytest.mark.parametrize("label_dtype", ["int32", "int64", "float32"])
def test_sparse_categorical_accuracy(keras, weighted, label_shape, label_dtype):
    rng = np.random.default_rng(3)
    batches = []
    for _ in range(3):
        y_true = rng.integers(0, C, label_shape).astype(label_dtype)
        y_pred = rng.random((B, C)).astype("float32")
        batches.append((y_true, y_pred, _weights(rng, weighted)))
    _check_against_keras(
        keras,
        metrics.SparseCategoricalAccuracy(),
        keras.metrics.SparseCategoricalAccuracy(),
        batches,
    )


def test_sparse_categorical_accuracy_over_timesteps(keras):
    rng = np.random.default_rng(4)
    batches = []
    for weights_shape in ((B,), (B, 3), None):
        y_true = rng.integers(0, C, (B, 3, 1))
        y_pred = rng.random((B, 3, C)).astype("float32")
        weights = None if weights_shape is None else rng.random(weights_shape).astype("float32")
        batches.append((y_true, y_pred, weights))
    _check_against_keras(
        keras,
        metrics.SparseCategoricalAccuracy(),
        keras.metrics.SparseCategoricalAccuracy(),
        batches,
    )


FUNCTIONS = ["accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"]


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_functions_match_keras(keras, fn):
    rng = np.random.default_rng(5)
    y_pred = rng.random((B, C)).astype("float32")
    if fn == "sparse_categorical_accuracy":
        y_true = rng.integers(0, C, (B, 1))
    elif fn == "categorical_accuracy":
        y_true = np.eye(C, dtype="float32")[rng.integers(0, C, B)]
    elif fn == "binary_accuracy":
        y_true = rng.integers(0, 2, (B, C)).astype("float32")
    else:
        y_pred = y_pred.round()
        y_true = y_pred.copy()
        y_true[0, :2] = 2.0
    from keras.src.metrics import accuracy_metrics  # keras.metrics does not export `accuracy`

    ours = getattr(metrics, fn)(y_true, y_pred)
    theirs = getattr(accuracy_metrics, fn)(keras.ops.convert_to_tensor(y_true), y_pred)
    np.testing.assert_array_equal(convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))
    assert str(ours.dtype).endswith("float32")


def test_defaults_and_configs_match_keras(keras):
    for name, kwargs in [
        ("Accuracy", {}),
        ("BinaryAccuracy", {"threshold": 0.3}),
        ("CategoricalAccuracy", {"name": "cat"}),
        ("SparseCategoricalAccuracy", {"dtype": "float64"}),
    ]:
        ours = getattr(metrics, name)(**kwargs)
        config = ours.get_config()
        assert config == getattr(keras.metrics, name)(**kwargs).get_config()
        assert type(ours).from_config(config).get_config() == config


@pytest.mark.parametrize("k", [1, 2, 5])
@pytest.mark.parametrize("weighted", [False, True])
def test_top_k_categorical_accuracy(keras, k, weighted):
    rng = np.random.default_rng(6)
    batches = []
    for _ in range(3):
        y_true = np.eye(C + 2, dtype="float32")[rng.integers(0, C + 2, B)]
        y_pred = rng.random((B, C + 2)).astype("float32").round(1)  # ties at the k-th value
        batches.append((y_true, y_pred, _weights(rng, weighted)))
    _check_against_keras(
        keras,
        metrics.TopKCategoricalAccuracy(k=k),
        keras.metrics.TopKCategoricalAccuracy(k=k),
        batches,
    )


@pytest.mark.parametrize("label_shape", [(B,), (B, 1)])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_top_k_categorical_accuracy(keras, label_shape, weighted):
    rng = np.random.default_rng(7)
    batches = []
    for _ in range(3):
        y_true = rng.integers(0, C + 2, label_shape)
        y_pred = rng.random((B, C + 2)).astype("float32").round(1)
        batches.append((y_true, y_pred, _weights(rng, weighted)))
    _check_against_keras(
        keras,
        metrics.SparseTopKCategoricalAccuracy(k=2),
        keras.metrics.SparseTopKCategoricalAccuracy(k=2),
        batches,
    )


def test_sparse_top_k_from_sorted_ids(keras):
    rng = np.random.default_rng(8)
    y_true = rng.integers(0, 6, (B,))
    sorted_ids = np.argsort(-rng.random((B, 6)), axis=-1)[:, :4].astype("int32")
    batches = [(y_true, sorted_ids, None), (y_true, sorted_ids, _weights(rng, True))]
    _check_against_keras(
        keras,
        metrics.SparseTopKCategoricalAccuracy(k=3, from_sorted_ids=True),
        keras.metrics.SparseTopKCategoricalAccuracy(k=3, from_sorted_ids=True),
        batches,
    )


def test_top_k_on_sequences(keras):
    rng = np.random.default_rng(9)
    y_true = rng.integers(0, C, (B, 3))
    y_pred = rng.random((B, 3, C)).astype("float32")
    ours = metrics.sparse_top_k_categorical_accuracy(y_true, y_pred, k=2)
    from keras.src.metrics import accuracy_metrics

    theirs = accuracy_metrics.sparse_top_k_categorical_accuracy(y_true, y_pred, k=2)
    np.testing.assert_array_equal(convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))
    one_hot = np.eye(C, dtype="float32")[y_true]
    ours = metrics.top_k_categorical_accuracy(one_hot, y_pred, k=2)
    theirs = accuracy_metrics.top_k_categorical_accuracy(one_hot, y_pred, k=2)
    np.testing.assert_array_equal(convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))
    assert tuple(ours.shape) == (B, 3)


def test_top_k_configs_match_keras(keras):
    for name, kwargs in [
        ("TopKCategoricalAccuracy", {"k": 3}),
        ("SparseTopKCategoricalAccuracy", {"k": 2}),
        ("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True}),
    ]:
        ours = getattr(metrics, name)(**kwargs)
        config = ours.get_config()
        assert config == getattr(keras.metrics, name)(**kwargs).get_config()
        assert type(ours).from_config(config).get_config() == config


@pytest.mark.parametrize(
    "name", ["CategoricalAccuracy", "TopKCategoricalAccuracy"], ids=lambda n: n
)
def test_boolean_one_hot_targets_match_keras(keras, name):
    # Keras's argmax reads booleans as 0/1; torch's argmax refuses them.
    y_true = np.eye(3, dtype=bool)[[0, 2, 1, 2]]
    y_pred = np.array(
        [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1], [0.2, 0.2, 0.6]], "float32"
    )
    args = {"k": 1} if name.startswith("TopK") else {}
    ours, theirs = getattr(metrics, name)(**args), getattr(keras.metrics, name)(**args)
    ours.update_state(y_true, y_pred)
    theirs.update_state(y_true, y_pred)
    assert float(ours.result()) == pytest.approx(float(theirs.result())) == 0.75


def test_fit_with_boolean_one_hot_targets_reports_accuracy():
    x = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
    y = np.eye(3, dtype=bool)[[0, 1, 2, 0, 1, 2]]
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=1, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    expected = np.mean(np.argmax(model.predict(x, verbose=0), -1) == np.argmax(y, -1))
    assert logs["accuracy"] == pytest.approx(expected)
    assert 0.0 <= history.history["accuracy"][0] <= 1.0
