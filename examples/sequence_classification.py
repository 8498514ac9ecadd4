"""Sequence classification with recurrent layers, on synthetic data (runs in seconds).

Each sample is a variable-length sequence of tokens, padded with 0 at the end; the label says
whether token 1 occurs more often than token 2. ``Embedding(mask_zero=True)`` makes the padding
a mask that the bidirectional GRU and the LSTM skip.

Run: python examples/sequence_classification.py   (about 0.95+ test accuracy)
"""

import numpy as np

from cornu.layers import GRU, LSTM, Bidirectional, Dense, Embedding, Input
from cornu.models import Sequential
from cornu.utils import set_random_seed

set_random_seed(1)
rng = np.random.default_rng(1)
vocab, maxlen, samples = 12, 20, 3000

lengths = rng.integers(5, maxlen + 1, samples)
x = rng.integers(1, vocab, (samples, maxlen))
x[np.arange(maxlen)[None, :] >= lengths[:, None]] = 0  # right-padding
y = ((x == 1).sum(1) > (x == 2).sum(1)).astype("float32")
x_train, y_train, x_test, y_test = x[:2400], y[:2400], x[2400:], y[2400:]

model = Sequential(
    [
        Input((maxlen,), dtype="int32"),
        Embedding(vocab, 16, mask_zero=True),
        Bidirectional(GRU(16, return_sequences=True)),
        LSTM(16),
        Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.summary()
model.fit(x_train, y_train, batch_size=64, epochs=8, validation_split=0.1, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.3f}")
