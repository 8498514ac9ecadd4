"""A small LSTM learns a sequence task (does the sequence contain the marker token?) to >= 95%
held-out accuracy in 5 epochs (about a second on 2 CPU cores)."""

import numpy as np
import pytest

import cornu
from cornu import layers


@pytest.mark.requires_training
def test_lstm_learns_whether_a_sequence_contains_a_marker():
    rng = np.random.RandomState(0)
    x = rng.randint(1, 10, (768, 12))
    y = rng.rand(768) < 0.5
    x[y, rng.randint(0, 12, y.sum())] = 10  # the marker token
    y = y.astype("float32")
    model = cornu.Sequential(
        [
            layers.Input((12,), dtype="int32"),
            layers.Embedding(11, 8),
            layers.LSTM(16),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(cornu.optimizers.Adam(0.02), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x[:512], y[:512], epochs=5, batch_size=32, verbose=0)
    assert history.history["accuracy"][0] < 0.8  # not solved from the start
    _, accuracy = model.evaluate(x[512:], y[512:], verbose=0)
    assert accuracy >= 0.95, accuracy
