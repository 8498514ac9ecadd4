"""Helpers for the recurrent layers' tests: copy random weights into a Keras layer and a cornu
layer, and compare nested outputs."""

import types

import numpy as np
import pytest

from cornu import ops
from cornu.backend import tree

# Right-padded, left-padded and arbitrary masks for a batch of 3 sequences of 5 steps; the
# first one also has a fully masked sequence.
MASKS = {
    "right": np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 0, 0, 0, 0]], bool),
    "left": np.array([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1], [0, 0, 0, 0, 1]], bool),
    "arbitrary": np.array([[1, 0, 1, 1, 0], [0, 1, 1, 0, 1], [1, 1, 0, 0, 0]], bool),
}


def inputs(shape=(3, 5, 4), seed=0):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


def to_numpy(outputs):
    return [np.asarray(ops.convert_to_numpy(x)) for x in tree.flatten(outputs)]


def keras_numpy(keras, outputs):
    return [np.asarray(keras.ops.convert_to_numpy(x)) for x in keras.tree.flatten(outputs)]


def share_random_weights(reference, layer, sample, seed=1, scale=0.5):
    """Builds both layers on ``sample`` and gives them the same random weights."""
    reference(sample)
    layer(sample)
    rng = np.random.RandomState(seed)
    weights = [
        scale * rng.standard_normal(w.shape).astype("float32") for w in reference.get_weights()
    ]
    reference.set_weights(weights)
    layer.set_weights(weights)
    return weights


def assert_same(keras, ours, theirs, atol=1e-5):
    ours, theirs = to_numpy(ours), keras_numpy(keras, theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, atol=atol, rtol=atol)


@pytest.fixture
def rnn_helpers():
    """The helpers above, as a namespace (test modules here cannot import each other)."""
    return types.SimpleNamespace(
        MASKS=MASKS,
        inputs=inputs,
        to_numpy=to_numpy,
        share=share_random_weights,
        assert_same=assert_same,
    )
