"""Arithmetic on symbolic tensors builds Functional graphs, with Keras's numbers."""

import numpy as np
import pytest

import cornu


def _model(lib):
    a = lib.Input((3,), name="a")
    b = lib.Input((3,), name="b")
    hidden = lib.layers.Dense(3, name="hidden")(a)
    out = (hidden + b) * 2.0 - a / 4.0
    out = 1.0 - (-out) ** 2 + abs(hidden)
    return lib.Model([a, b], [out, out[:, 1:]])


def test_symbolic_arithmetic_matches_keras(keras):
    ours, theirs = _model(cornu), _model(keras)
    ours.set_weights(theirs.get_weights())
    rng = np.random.RandomState(0)
    x = [rng.standard_normal((4, 3)).astype("float32") for _ in range(2)]
    for mine, reference in zip(ours.predict(x, verbose=0), theirs.predict(x, verbose=0)):
        assert mine.shape == reference.shape
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)


@pytest.mark.requires_training
def test_a_model_with_arithmetic_trains():
    inputs = cornu.Input((2,))
    outputs = cornu.layers.Dense(1)(inputs) * 3.0 + 1.0
    model = cornu.Model(inputs, outputs)
    assert outputs.shape == (None, 1)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((8, 2)), np.full((8, 1), 4.0), epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_unknown_operation_is_refused():
    with pytest.raises(ValueError, match="Unknown symbolic operation"):
        cornu.layers.Operation("frobnicate")


def test_operations_are_not_listed_as_layers(keras):
    ours, theirs = _model(cornu), _model(keras)
    assert [x.name for x in ours.layers] == [x.name for x in theirs.layers]
