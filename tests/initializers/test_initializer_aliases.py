"""Keras's long class names STFTInitializer, IdentityInitializer, OrthogonalInitializer: the
same classes as STFT, Identity, Orthogonal, by attribute and by name in configs."""

import numpy as np
import pytest

import cornu
from cornu import initializers, ops

WINDOW = np.hamming(8).astype("float32")
ALIASES = [
    ("STFTInitializer", "STFT"),
    ("IdentityInitializer", "Identity"),
    ("OrthogonalInitializer", "Orthogonal"),
]


@pytest.mark.parametrize("alias, name", ALIASES)
def test_alias_is_the_class(keras, alias, name):
    assert getattr(cornu.initializers, alias) is getattr(initializers, name)
    assert alias in initializers.__all__
    assert getattr(keras.initializers, alias) is getattr(keras.initializers, name)
    assert isinstance(initializers.get(alias), getattr(initializers, name))


def test_alias_values_match_keras(keras):
    ours = initializers.STFTInitializer(side="imag", window=WINDOW)((8, 1, 5))
    theirs = keras.initializers.STFTInitializer(side="imag", window=WINDOW)((8, 1, 5))
    np.testing.assert_allclose(ops.convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))
    ours = initializers.IdentityInitializer(gain=2.0)((3, 4))
    theirs = keras.initializers.IdentityInitializer(gain=2.0)((3, 4))
    np.testing.assert_allclose(ops.convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))
    q = ops.convert_to_numpy(initializers.OrthogonalInitializer(seed=1)((5, 5)))
    np.testing.assert_allclose(q.T @ q, np.eye(5), atol=1e-5)
