"""Dense.quantize against Keras's: the same float weights in give the same quantized
variables (names, dtypes, shapes, values), dtype policy and outputs, in every mode."""

import numpy as np
import pytest

import cornu
from cornu import ops

X = np.random.RandomState(0).randn(5, 12).astype("float32")

CONFIGS = {
    "int8": lambda q: q.Int8QuantizationConfig(),
    "int8-weights-only": lambda q: q.Int8QuantizationConfig(activation_quantizer=None),
    "int4": lambda q: q.Int4QuantizationConfig(),
    "int4-per-channel": lambda q: q.Int4QuantizationConfig(block_size=None),
    "int4-blocks-of-5": lambda q: q.Int4QuantizationConfig(block_size=5),
    "float8": lambda q: q.Float8QuantizationConfig(),
}


def _variables(layer):
    return [(v.name, str(v.dtype).replace("torch.", ""), tuple(v.shape)) for v in layer.weights]


def _pair(keras, use_bias=True):
    theirs = keras.layers.Dense(7, activation="relu", use_bias=use_bias, name="d")
    ours = cornu.layers.Dense(7, activation="relu", use_bias=use_bias, name="d")
    theirs(X)
    ours(X)
    weights = [keras.ops.convert_to_numpy(w) for w in theirs.get_weights()]
    if use_bias:
        weights[1] = np.random.RandomState(1).randn(7).astype("float32") * 0.1
        theirs.set_weights(weights)
    ours.set_weights(weights)
    return ours, theirs


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("use_bias", [True, False])
def test_quantized_dense_matches_keras(oracle, keras, name, use_bias):
    ours, theirs = _pair(keras, use_bias)
    float_out = oracle.numpy(ours(X))
    ours.quantize(config=CONFIGS[name](cornu.quantizers))
    theirs.quantize(config=CONFIGS[name](keras.quantizers))
    assert ours.dtype_policy.name == theirs.dtype_policy.name
    assert type(ours.dtype_policy).__name__ == type(theirs.dtype_policy).__name__
    assert _variables(ours) == [(v.name, v.dtype, tuple(v.shape)) for v in theirs.weights]
    oracle.values(ours.get_weights(), [oracle.numpy(w) for w in theirs.get_weights()], atol=0)
    oracle.values(ours(X), theirs(X), atol=1e-6, rtol=1e-6)
    out = oracle.numpy(ours(X))
    # Within the quantization error of the float layer's outputs.
    bound = {"int8": 0.03, "int4": 0.3, "float8": 0.15}[name.split("-")[0]]
    assert np.abs(out - float_out).max() <= bound * np.abs(float_out).max()


def test_int4_kernel_reads_unpacked_and_int8_kernel_is_the_variable(keras):
    ours, _ = _pair(keras)
    ours.quantize("int4")
    assert tuple(ops.shape(ours.kernel)) == (12, 7) and ops.dtype(ours.kernel) == "int8"
    assert tuple(ours._kernel.shape) == (12, 4)
    other, _ = _pair(keras)
    other.quantize("int8")
    assert other.kernel is other._kernel and other.kernel.dtype == "int8"


def test_quantized_layer_rebuilds_from_its_config_and_loads_keras_weights(oracle, keras):
    _, theirs = _pair(keras)
    theirs.quantize("int8")
    config = keras.saving.serialize_keras_object(theirs)
    ours = cornu.saving.deserialize_keras_object(config)
    assert ours.dtype_policy.name == "int8_from_float32" and ours.built
    assert isinstance(ours.quantization_config, cornu.quantizers.Int8QuantizationConfig)
    store = {}
    theirs.save_own_variables(store)
    ours.load_own_variables({k: oracle.numpy(v) for k, v in store.items()})
    oracle.values(ours(X), theirs(X), atol=1e-6)


def test_quantize_errors_match_keras(keras):
    for lib in (cornu, keras):
        layer = lib.layers.Dense(3)
        with pytest.raises(ValueError, match="Cannot quantize a layer that isn't yet built"):
            layer.quantize("int8")
    ours, theirs = _pair(keras)
    for layer in (ours, theirs):
        layer.quantize("int8")
    with pytest.raises(ValueError) as expected:
        theirs.quantize("int4")
    with pytest.raises(ValueError) as got:
        ours.quantize("int4")
    assert str(got.value) == str(expected.value)
    assert "is already quantized with dtype_policy='int8_from_float32'" in str(got.value)

    class MyDense(cornu.layers.Dense):
        pass

    layer = MyDense(3)
    layer.build((None, 4))
    with pytest.raises(NotImplementedError, match="Layer MyDense does not have a `quantize`"):
        layer.quantize("int8")
    layer.quantize("int8", type_check=False)
    assert layer.quantization_mode == "int8"


def _keras_input_grad(keras, layer):
    """d sum(layer(X)) / dX with Keras's own autodiff (torch's, jax's or TF's)."""
    if keras.backend.backend() == "jax":
        import jax

        return np.asarray(jax.grad(lambda x: keras.ops.sum(layer(x)))(X))
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        x = tf.constant(X)
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = tf.reduce_sum(layer(x))
        return tape.gradient(total, x).numpy()
    import torch

    x = torch.tensor(X, requires_grad=True)
    layer(x).sum().backward()
    return x.grad.numpy()


@pytest.mark.requires_training
@pytest.mark.parametrize("mode", ["int8", "int4"])
def test_gradients_reach_the_inputs_as_in_keras(keras, mode):
    ours, theirs = _pair(keras)
    ours.quantize(mode)
    theirs.quantize(mode)
    _, (ours_grad,) = cornu.backend.value_and_gradients(lambda x: cornu.ops.sum(ours(x)), [X])
    np.testing.assert_allclose(
        cornu.ops.convert_to_numpy(ours_grad), _keras_input_grad(keras, theirs), atol=1e-6
    )
    assert not ours._kernel.trainable and [v.name for v in ours.trainable_weights] == ["bias"]


@pytest.mark.requires_training
def test_float8_training_updates_weights_and_scales_as_keras(oracle, keras):
    rng = np.random.RandomState(2)
    x, y = rng.randn(16, 12).astype("float32"), rng.randn(16, 7).astype("float32")
    ours, theirs = _pair(keras)
    models = []
    for lib, layer in ((cornu, ours), (keras, theirs)):
        model = lib.Sequential([lib.Input((12,)), layer])
        model.quantize("float8")
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
        models.append(model)
    # Keras overwrites the scales with their "gradient"; cornu assigns them in the step.
    assert [v.name for v in ours.weights] == [v.name for v in theirs.weights]
    oracle.values(
        models[0].get_weights(), [oracle.numpy(w) for w in models[1].get_weights()], atol=1e-6
    )
    assert float(oracle.numpy(ours.inputs_scale)) != 1.0  # the delayed scaling did run


# The NumPy backend computes bfloat16 in float32 (a float Dense differs from Keras's there too).
@pytest.mark.backends("torch")
@pytest.mark.parametrize("policy", ["mixed_bfloat16", "bfloat16"])
@pytest.mark.parametrize("mode", ["int8", "int4", "float8"])
def test_quantized_dense_in_bfloat16_matches_keras(oracle, keras, mode, policy):
    theirs = keras.layers.Dense(7, dtype=policy)
    ours = cornu.layers.Dense(7, dtype=policy)
    theirs(X)
    ours(X)
    ours.set_weights([oracle.numpy(w) for w in theirs.get_weights()])
    theirs.quantize(mode)
    ours.quantize(mode)
    assert ours.dtype_policy.name == theirs.dtype_policy.name
    assert ours.dtype_policy.name.endswith(f"_from_{policy}")
    # Mixed: the float32 scales are read in bfloat16 inside the call, as Keras autocasts them.
    # bfloat16: the weights are quantized with bfloat16 arithmetic, as Keras's NumPy does.
    assert [str(v.dtype) for v in ours.weights] == [v.dtype for v in theirs.weights]
    theirs_weights = [oracle.numpy(w) for w in theirs.get_weights()]
    oracle.values(ours.get_weights(), theirs_weights, atol=0, check_dtype=False)
    oracle.values(ours(X), theirs(X), atol=0, rtol=0)
