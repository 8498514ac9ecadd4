"""The Functional API example of the Keras tutorial, then a short fit on synthetic data.

Run: python examples/functional_api.py
"""

import numpy as np

from cornu.layers import Dense, Input
from cornu.models import Model

input = Input(shape=(100,))
x = Dense(64, activation="relu")(input)
x = Dense(32, activation="relu")(x)
output = Dense(1, activation="sigmoid")(x)
model = Model(inputs=input, outputs=output)
model.summary()

# A learnable synthetic task: is the sum of the first ten features positive?
rng = np.random.default_rng(0)
data = rng.standard_normal((2000, 100)).astype("float32")
labels = (data[:, :10].sum(axis=1) > 0).astype("float32")
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(data, labels, epochs=5, batch_size=32, validation_split=0.2, verbose=2)
loss, accuracy = model.evaluate(data, labels, verbose=0)
print(f"accuracy: {accuracy:.4f}")
