"""Input, InputLayer and Identity."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_input_is_symbolic_with_batch_axis():
    x = layers.Input(shape=(28, 28), name="image")
    assert x.shape == (None, 28, 28)
    assert x.dtype == "float32"
    assert x.name == "image"
    assert layers.Input(shape=(3,), batch_size=8, dtype="int32").shape == (8, 3)
    assert layers.Input(batch_shape=(None, 4)).shape == (None, 4)


def test_input_layer_names_are_unique():
    assert layers.InputLayer(shape=(2,)).name == "input_layer"
    assert layers.InputLayer(shape=(2,)).name == "input_layer_1"


def test_input_needs_a_shape():
    with pytest.raises(ValueError, match="needs a `shape`"):
        layers.Input()


def test_symbolic_tensor_refuses_values():
    x = layers.Input(shape=(3,))
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(x)
    with pytest.raises(TypeError, match="inside a Layer"):
        ops.relu(x)


def test_identity():
    x = np.ones((2, 3), "float32")
    run_layer_test(layers.Identity, {}, input_data=x, expected_output=x)
