"""A ``tf.data.Dataset`` as the input of fit / evaluate / predict, on every backend: the same
numbers as the same batches given as arrays."""

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
tf = pytest.importorskip("tensorflow")

import cornu  # noqa: E402
from cornu import layers  # noqa: E402
from cornu.trainers.data_adapters import TFDatasetAdapter, get_data_adapter  # noqa: E402


def _data(n=24):
    rng = np.random.RandomState(0)
    x = rng.standard_normal((n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")).astype("float32")
    w = rng.uniform(0.5, 2.0, size=(n,)).astype("float32")
    return x, y, w


def _model(seed=0):
    cornu.utils.set_random_seed(seed)
    model = cornu.Sequential(
        [cornu.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(1)]
    )
    model.compile(optimizer=cornu.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def _assert_same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-6)


def test_adapter_recognises_a_dataset_and_counts_its_batches():
    x, y, _ = _data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    adapter = get_data_adapter(dataset)
    assert isinstance(adapter, TFDatasetAdapter)
    assert adapter.num_batches == 3
    batches = list(adapter.batches())
    assert len(batches) == 3
    bx, by = batches[0]
    assert cornu.ops.is_tensor(bx) and tuple(bx.shape) == (8, 3)
    np.testing.assert_allclose(cornu.ops.convert_to_numpy(by), y[:8])
    # A second pass is a new epoch over the same data.
    assert len(list(adapter.batches())) == 3
    # Infinite or unknown cardinality: no count.
    assert get_data_adapter(dataset.repeat()).num_batches is None
    assert get_data_adapter(dataset.filter(lambda a, b: True)).num_batches is None


def test_fit_on_x_y_dataset_equals_fit_on_arrays():
    x, y, _ = _data()
    reference = _model()
    history_arrays = reference.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    model = _model()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    history = model.fit(dataset, epochs=2, verbose=0)
    _assert_same_weights(model, reference)
    np.testing.assert_allclose(history.history["loss"], history_arrays.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], history_arrays.history["mae"], rtol=1e-5)


def test_fit_on_x_y_w_dataset_equals_sample_weights():
    x, y, w = _data()
    reference = _model()
    reference.fit(x, y, sample_weight=w, batch_size=8, epochs=2, shuffle=False, verbose=0)
    model = _model()
    dataset = tf.data.Dataset.from_tensor_slices((x, y, w)).batch(8)
    model.fit(dataset, epochs=2, verbose=0)
    _assert_same_weights(model, reference)
    # The weights change the result: without them the model ends elsewhere.
    unweighted = _model()
    unweighted.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(8), epochs=2, verbose=0)
    assert not np.allclose(unweighted.get_weights()[0], model.get_weights()[0])


def test_evaluate_and_predict_on_datasets():
    x, y, w = _data()
    model = _model()
    expected = model.evaluate(x, y, sample_weight=w, batch_size=8, verbose=0)
    got = model.evaluate(tf.data.Dataset.from_tensor_slices((x, y, w)).batch(8), verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    predicted = model.predict(tf.data.Dataset.from_tensor_slices(x).batch(5), verbose=0)
    np.testing.assert_allclose(predicted, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert predicted.shape == (24, 1)


def test_validation_data_and_steps_per_epoch_on_a_repeated_dataset():
    x, y, _ = _data()
    model = _model()
    train = tf.data.Dataset.from_tensor_slices((x, y)).batch(8).repeat()
    val = tf.data.Dataset.from_tensor_slices((x, y)).batch(12)
    history = model.fit(train, steps_per_epoch=2, epochs=3, validation_data=val, verbose=0)
    assert len(history.history["loss"]) == 3
    assert len(history.history["val_loss"]) == 3
    np.testing.assert_allclose(
        history.history["val_loss"][-1], model.evaluate(x, y, verbose=0)[0], rtol=1e-5
    )


def test_class_weight_on_a_dataset_equals_class_weight_on_arrays():
    x, _, _ = _data()
    labels = (x[:, 0] > 0).astype("int32")
    weights = {0: 1.0, 1: 3.0}

    def classifier():
        cornu.utils.set_random_seed(1)
        model = cornu.Sequential([cornu.Input((3,)), layers.Dense(2, activation="softmax")])
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        return model

    reference = classifier()
    reference.fit(x, labels, class_weight=weights, batch_size=8, shuffle=False, verbose=0)
    model = classifier()
    dataset = tf.data.Dataset.from_tensor_slices((x, labels)).batch(8)
    model.fit(dataset, class_weight=weights, verbose=0)
    _assert_same_weights(model, reference)


def test_dataset_errors():
    x, y, w = _data()
    model = _model()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model.fit(dataset, y, verbose=0)
    with pytest.raises(ValueError, match="class_weight` and `sample_weight"):
        model.fit(
            tf.data.Dataset.from_tensor_slices((x, y, w)).batch(8),
            class_weight={0: 1.0},
            verbose=0,
        )
    with pytest.raises(ValueError, match="tuple of 4 elements"):
        model.fit(tf.data.Dataset.from_tensor_slices((x, y, w, w)).batch(8), verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(dataset, validation_split=0.5, verbose=0)
