"""Masking: the mask and zeroed outputs, as Keras computes them."""

import numpy as np

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    run_layer_test(
        layers.Masking,
        {"mask_value": 0.5},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_same_outputs_and_mask_as_keras(keras):
    x = np.random.RandomState(0).standard_normal((3, 4, 2)).astype("float32")
    x[0, 1] = 0.0
    x[2, 2:] = 0.0
    x[1, 0, 0] = 0.0  # one feature alone does not mask the step
    for mask_value in (0.0, 1.5):
        x[1, 3] = mask_value
        ref = keras.layers.Masking(mask_value)(x)
        out = layers.Masking(mask_value)(x)
        np.testing.assert_array_equal(ops.convert_to_numpy(out), keras.ops.convert_to_numpy(ref))
        np.testing.assert_array_equal(
            ops.convert_to_numpy(out._keras_mask), keras.ops.convert_to_numpy(ref._keras_mask)
        )
    expected = np.ones((3, 4), bool)
    expected[0, 1] = expected[2, 2] = expected[2, 3] = expected[1, 3] = False
    x[1, 3] = 0.0
    np.testing.assert_array_equal(ops.convert_to_numpy(layers.Masking()(x)._keras_mask), expected)


def test_symbolic_mask_and_config():
    out = layers.Masking(-1.0)(layers.Input((None, 3)))
    assert tuple(out._keras_mask.shape) == (None, None)
    config = layers.Masking(-1.0).get_config()
    assert config["mask_value"] == -1.0
    assert layers.Masking.from_config(config).mask_value == -1.0
