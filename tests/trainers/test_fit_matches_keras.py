"""Training gives Keras's numbers: same initial weights, same data order, same results."""

import numpy as np
import pytest

from cornu import layers
from cornu.models import Sequential


def _data(n=96, classes=3):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 6)).astype("float32")
    labels = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")
    return x, np.eye(classes, dtype="float32")[labels], labels


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop"])
def test_one_epoch_matches_keras(keras, optimizer):
    x, y, _ = _data()
    ref = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    ref.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    model = Sequential(
        [
            layers.Input((6,)),
            layers.Dense(8, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    model.set_weights(ref.get_weights())

    ref_hist = ref.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    hist = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history

    for got, expected in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(got, expected, atol=2e-5)
    np.testing.assert_allclose(hist["loss"], ref_hist["loss"], rtol=1e-5)
    np.testing.assert_allclose(hist["accuracy"], ref_hist["accuracy"])
    np.testing.assert_allclose(
        model.evaluate(x, y, verbose=0), ref.evaluate(x, y, verbose=0), rtol=1e-5
    )


def test_sparse_labels_sample_weight_and_uneven_last_batch_match_keras(keras):
    x, _, labels = _data(n=50)
    weights = np.linspace(0.5, 2.0, 50).astype("float32")
    ref = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="softmax")])
    ref.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model = Sequential([layers.Input((6,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.set_weights(ref.get_weights())
    ref_hist = ref.fit(
        x, labels, sample_weight=weights, batch_size=16, shuffle=False, verbose=0
    ).history
    hist = model.fit(
        x, labels, sample_weight=weights, batch_size=16, shuffle=False, verbose=0
    ).history
    np.testing.assert_allclose(hist["loss"], ref_hist["loss"], rtol=1e-5)
    for got, expected in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(got, expected, atol=1e-5)
