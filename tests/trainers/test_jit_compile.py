"""jit_compile=True runs the forward pass through torch.compile and gives the same numbers."""

import numpy as np

import cornu
from cornu import layers


def _model(jit_compile):
    model = cornu.Sequential(
        [
            layers.Input((6,)),
            layers.Dense(8, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="sgd", loss="binary_crossentropy", jit_compile=jit_compile)
    return model


def test_compiled_training_matches_eager():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    eager, compiled = _model(False), _model(True)
    compiled.set_weights(eager.get_weights())
    h_eager = eager.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    h_compiled = compiled.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h_compiled["loss"], h_eager["loss"], rtol=1e-5)
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(
        compiled.predict(x, verbose=0), eager.predict(x, verbose=0), atol=1e-6
    )
