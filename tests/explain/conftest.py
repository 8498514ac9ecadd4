"""Small models for the explanation tests."""

import numpy as np
import pytest

import cornu

L = cornu.layers


@pytest.fixture
def mlp():
    return cornu.Sequential(
        [cornu.Input((6,)), L.Dense(8, activation="tanh"), L.Dense(3, name="logits")]
    )


@pytest.fixture
def cnn():
    return cornu.Sequential(
        [
            cornu.Input((8, 8, 2)),
            L.Conv2D(4, 3, padding="same", activation="tanh", name="conv"),
            L.GlobalAveragePooling2D(name="pool"),
            L.Dense(3, name="logits"),
        ]
    )


@pytest.fixture
def rng():
    return np.random.default_rng(0)
