"""Models pickle (and deep-copy) through the .keras format, as Keras's do: architecture,
weights, optimizer state and compile settings travel."""

import copy
import pickle

import numpy as np
import pytest

import cornu


def _trained():
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(4), cornu.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(np.ones((8, 3)), np.zeros((8, 2)), epochs=2, verbose=0)
    return model


@pytest.mark.requires_training
def test_pickle_round_trip_keeps_weights_optimizer_and_compile():
    model = _trained()
    restored = pickle.loads(pickle.dumps(model))
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    assert int(restored.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy())
    for a, b in zip(restored.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    restored.fit(x, np.zeros((5, 2)), verbose=0)  # compiled: it trains on


@pytest.mark.requires_training
def test_deepcopy_is_an_independent_model():
    model = _trained()
    twin = copy.deepcopy(model)
    twin.layers[0].kernel.assign(np.zeros((3, 4), "float32"))
    assert not np.allclose(model.layers[0].kernel.numpy(), 0)


def test_functional_and_subclassed_models_pickle():
    inputs = cornu.Input((2,))
    functional = cornu.Model(inputs, cornu.layers.Dense(1)(inputs))
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(
        pickle.loads(pickle.dumps(functional)).predict(x, verbose=0),
        functional.predict(x, verbose=0),
    )
