"""Dropout."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    run_layer_test(
        layers.Dropout,
        {"rate": 0.5},
        input_shape=(4, 8),
        expected_output_shape=(4, 8),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_identity_at_inference_and_scaled_in_training():
    x = np.ones((200, 50), "float32")
    layer = layers.Dropout(0.4)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), x)
    out = ops.convert_to_numpy(layer(x, training=True))
    kept = out[out != 0]
    np.testing.assert_allclose(kept, 1 / 0.6, rtol=1e-6)
    assert 0.35 < np.mean(out == 0) < 0.45


def test_seeded_dropout_is_reproducible_and_noise_shape_broadcasts():
    x = np.ones((4, 3, 6), "float32")
    a = ops.convert_to_numpy(
        layers.Dropout(0.5, seed=3, noise_shape=(None, 1, 6))(x, training=True)
    )
    b = ops.convert_to_numpy(
        layers.Dropout(0.5, seed=3, noise_shape=(None, 1, 6))(x, training=True)
    )
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a[:, 0], a[:, 1])


def test_bad_rate():
    with pytest.raises(
        ValueError, match="Expected a float value between 0 and 1. Received: rate=1.5"
    ):
        layers.Dropout(1.5)
