"""SpectralNormalization: the power iteration and normalized kernel against Keras, weights,
training vs inference, .keras files both ways, configs and errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.testing import run_layer_test

RNG = np.random.RandomState(0)


@pytest.mark.parametrize("power_iterations", [1, 3])
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda m: m.layers.Dense(4), (3, 5)),
        (lambda m: m.layers.Conv2D(3, 2), (2, 5, 5, 2)),
        (lambda m: m.layers.Embedding(10, 4), None),
    ],
)
def test_matches_keras(oracle, keras, make, shape, power_iterations):
    x = np.array([[1, 5, 9]]) if shape is None else RNG.standard_normal(shape).astype("float32")
    ours = layers.SpectralNormalization(make(cornu), power_iterations=power_iterations)
    theirs = keras.layers.SpectralNormalization(make(keras), power_iterations=power_iterations)
    oracle.layer(ours, theirs, x)  # inference: the layer as it is
    for _ in range(2):  # training: each call normalizes the kernel again
        oracle.layer(ours, theirs, x, training=True, atol=1e-5)
        oracle.values(ours.get_weights(), theirs.get_weights(), atol=1e-5)


def test_normalized_kernel_has_spectral_norm_one(keras):
    layer = layers.SpectralNormalization(layers.Dense(6), power_iterations=30)
    theirs = keras.layers.SpectralNormalization(keras.layers.Dense(6), power_iterations=30)
    x = RNG.standard_normal((4, 8)).astype("float32")
    layer.build(x.shape)
    theirs.build(x.shape)
    layer.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    layer(x, training=True)
    theirs(x, training=True)
    norm = np.linalg.svd(ops.convert_to_numpy(layer.layer.kernel), compute_uv=False)[0]
    keras_kernel = keras.ops.convert_to_numpy(theirs.layer.kernel)
    # 30 power iterations from the drawn vector_u come near 1 (1.0023 from TF's draw): as Keras's.
    assert norm == pytest.approx(np.linalg.svd(keras_kernel, compute_uv=False)[0], abs=1e-5)
    assert norm == pytest.approx(1.0, abs=5e-3)
    assert [w.name for w in layer.weights] == ["kernel", "vector_u", "bias"]
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 1
    assert tuple(layer.vector_u.shape) == (1, 6)


def test_inference_leaves_the_kernel():
    layer = layers.SpectralNormalization(layers.Dense(3))
    x = RNG.standard_normal((2, 4)).astype("float32")
    layer(x)
    before = layer.get_weights()
    layer(x, training=False)
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_zero_kernel_is_left_as_is():
    layer = layers.SpectralNormalization(layers.Dense(3, kernel_initializer="zeros"))
    layer(np.ones((1, 2), "float32"), training=True)
    assert not np.any(np.isnan(layer.get_weights()[0]))


def test_layer_test_and_config(keras):
    run_layer_test(
        layers.SpectralNormalization,
        {"layer": layers.Dense(2), "power_iterations": 2},
        input_shape=(2, 3),
        expected_output_shape=(2, 2),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
    )
    config = layers.SpectralNormalization(layers.Dense(2), power_iterations=2).get_config()
    again = keras.layers.SpectralNormalization.from_config(config)
    assert again.power_iterations == 2 and again.layer.units == 2


def test_keras_files_both_ways(keras, tmp_path):
    x = RNG.standard_normal((2, 4)).astype("float32")
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.SpectralNormalization(keras.layers.Dense(3))(inputs))
    model.save(tmp_path / "theirs.keras")
    ours = cornu.saving.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(
        ops.convert_to_numpy(ours(x)), keras.ops.convert_to_numpy(model(x)), atol=1e-6
    )
    ours.save(tmp_path / "ours.keras")
    back = keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(back(x)), ops.convert_to_numpy(ours(x)), atol=1e-6
    )


def test_errors():
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.LayerNormalization())(np.ones((1, 2), "float32"))
    with pytest.raises(ValueError, match="Layer"):
        layers.SpectralNormalization("dense")
