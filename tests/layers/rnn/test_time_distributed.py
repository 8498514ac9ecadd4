"""TimeDistributed: Keras's numbers for per-step layers, masks, shapes, config, errors."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test


def test_layer_checks():
    run_layer_test(
        layers.TimeDistributed,
        {"layer": layers.Dense(3)},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=2,
        supports_masking=True,
        run_training_check=False,
    )


def test_dense_and_nested_rnn_match_keras(keras, rnn_helpers):
    x = rnn_helpers.inputs()
    theirs = keras.layers.TimeDistributed(keras.layers.Dense(2, activation="tanh"))
    ours = layers.TimeDistributed(layers.Dense(2, activation="tanh"))
    rnn_helpers.share(theirs, ours, x)
    rnn_helpers.assert_same(keras, ours(x), theirs(x))
    x4 = rnn_helpers.inputs((2, 3, 5, 4))
    theirs = keras.layers.TimeDistributed(keras.layers.GRU(2))
    ours = layers.TimeDistributed(layers.GRU(2))
    rnn_helpers.share(theirs, ours, x4)
    rnn_helpers.assert_same(keras, ours(x4), theirs(x4))


def test_batch_normalization_uses_per_step_statistics_as_keras(keras, rnn_helpers):
    from cornu.layers import normalization

    if not hasattr(normalization, "BatchNormalization"):
        pytest.skip("BatchNormalization is not available yet")
    x = rnn_helpers.inputs()
    theirs = keras.layers.TimeDistributed(keras.layers.BatchNormalization())
    ours = layers.TimeDistributed(normalization.BatchNormalization())
    rnn_helpers.share(theirs, ours, x)
    rnn_helpers.assert_same(keras, ours(x, training=True), theirs(x, training=True))


def test_mask_passes_through_and_reaches_the_layer(keras, rnn_helpers):
    x, mask = rnn_helpers.inputs(), rnn_helpers.MASKS["right"]

    class MaskedScale(layers.Layer):
        def call(self, inputs, mask=None):
            return inputs * ops.cast(ops.expand_dims(mask, -1), inputs.dtype)

    out = layers.TimeDistributed(layers.Dense(2))(layers.Masking()(x * mask[..., None]))
    np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), mask)
    ours = layers.TimeDistributed(MaskedScale())
    result = ops.convert_to_numpy(
        ours(x.reshape(3, 5, 2, 2), mask=np.repeat(mask[..., None], 2, -1))
    )
    np.testing.assert_allclose(result[~mask], 0.0)


def test_shapes_config_and_errors():
    layer = layers.TimeDistributed(layers.Dense(6))
    out = layer(layers.Input((None, 4)))
    assert tuple(out.shape) == (None, None, 6)
    assert layer.compute_output_shape((2, 7, 4)) == (2, 7, 6)
    clone = layers.TimeDistributed.from_config(layer.get_config())
    assert clone.layer.units == 6
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"mask of shape \(2, 4\).*\(2, 3, 4\)"):
        layers.TimeDistributed(layers.Dense(2))(
            np.zeros((2, 3, 4), "float32"), mask=np.ones((2, 4), bool)
        )
    with pytest.raises(ValueError, match="Layer"):
        layers.TimeDistributed("dense")
