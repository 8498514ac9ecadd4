"""Flatten and Reshape."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_flatten():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    run_layer_test(layers.Flatten, {}, input_data=x, expected_output=x.reshape(2, 12))
    channels_first = ops.convert_to_numpy(layers.Flatten("channels_first")(x))
    np.testing.assert_array_equal(channels_first, np.moveaxis(x, 1, -1).reshape(2, 12))
    assert layers.Flatten()(layers.Input((5, None))).shape == (None, None)


def test_reshape_with_inferred_axis():
    x = np.arange(24, dtype="float32").reshape(2, 12)
    run_layer_test(
        layers.Reshape,
        {"target_shape": (3, -1)},
        input_data=x,
        expected_output=x.reshape(2, 3, 4),
    )
    assert layers.Reshape((2, 6))(layers.Input((12,))).shape == (None, 2, 6)


def test_reshape_errors():
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match=r"shape \(12,\).*target_shape=\(5, 2\)"):
        layers.Reshape((5, 2))(np.zeros((1, 12), "float32"))
