"""BatchNormalization against Keras: training and inference outputs, moving statistics,
masks, renorm, frozen layers (also inside fit), configs and errors."""

import numpy as np
import pytest

import cornu
from cornu import backend, layers, ops
from cornu.testing import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _pair(keras, shape, **kwargs):
    """The same BatchNormalization in cornu and Keras, built with the same random weights."""
    rng = np.random.RandomState(1)
    ours = layers.BatchNormalization(**kwargs)
    theirs = keras.layers.BatchNormalization(**kwargs)
    ours.build(shape)
    theirs.build(shape)
    weights = [rng.standard_normal(v.shape).astype("float32") for v in theirs.weights]
    names = [v.name for v in theirs.weights]
    for i, name in enumerate(names):
        if "variance" in name or "stddev" in name:
            weights[i] = np.abs(weights[i]) + 0.5
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return ours, theirs


def _assert_same(ours, theirs, x, **call_kwargs):
    expected = keras_np(theirs(x, **call_kwargs))
    np.testing.assert_allclose(_np(ours(x, **call_kwargs)), expected, atol=1e-5, rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-5)


def keras_np(x):
    import keras

    return keras.ops.convert_to_numpy(x)


def test_layer_checks():
    run_layer_test(
        layers.BatchNormalization,
        {"momentum": 0.9},
        input_shape=(4, 3, 5),
        expected_output_shape=(4, 3, 5),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=2,
        supports_masking=True,
    )


def test_weights_order_and_names(keras):
    ours, theirs = _pair(keras, (2, 3))
    assert [v.name for v in ours.weights] == [v.name for v in theirs.weights]
    assert [v.name for v in ours.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [v.name for v in ours.non_trainable_weights] == ["moving_mean", "moving_variance"]


@pytest.mark.parametrize(
    "shape,kwargs",
    [
        ((8, 3), {}),
        ((4, 5, 3), {"momentum": 0.8}),
        ((3, 4, 4, 2), {"axis": 1, "epsilon": 0.01}),
        ((3, 2, 4, 3), {"axis": -1, "center": False}),
        ((6, 4), {"scale": False, "momentum": 0.5}),
    ],
)
def test_training_and_inference_match_keras(keras, shape, kwargs):
    ours, theirs = _pair(keras, shape, **kwargs)
    x = (np.random.RandomState(2).standard_normal(shape) * 3 + 1.5).astype("float32")
    _assert_same(ours, theirs, x, training=True)  # batch statistics; moving ones updated
    _assert_same(ours, theirs, x, training=True)  # twice: the update compounds
    _assert_same(ours, theirs, x, training=False)  # moving statistics
    _assert_same(ours, theirs, x)


def test_training_uses_biased_batch_variance_and_updates_moving_statistics():
    x = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 13.0]], "float32")
    layer = layers.BatchNormalization(momentum=0.9, epsilon=0.0)
    out = _np(layer(x, training=True))
    mean, variance = x.mean(0), x.var(0)  # biased: divides by 3
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(variance), atol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.1 * mean, rtol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.9 + 0.1 * variance, rtol=1e-6)


def test_one_value_per_channel_matches_keras(keras):
    ours, theirs = _pair(keras, (1, 3))
    _assert_same(ours, theirs, np.ones((1, 3), "float32"), training=True)


def test_masked_statistics_match_keras(keras):
    ours, theirs = _pair(keras, (3, 4, 2))
    x = np.random.RandomState(3).standard_normal((3, 4, 2)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0], [1, 0, 0, 0]], bool)
    expected = keras_np(theirs(x, training=True, mask=mask))
    got = _np(ours(x, training=True, mask=mask))
    np.testing.assert_allclose(got, expected, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
    with pytest.raises(ValueError, match="one dimension less than the inputs"):
        ours(x, training=True, mask=np.ones((3, 4, 2), bool))


def test_renorm_matches_keras(keras):
    kwargs = {"renorm": True, "renorm_clipping": {"rmax": 1.5, "rmin": 0.5, "dmax": 0.4}}
    ours, theirs = _pair(keras, (6, 3), **kwargs)
    assert [v.name for v in ours.weights] == [v.name for v in theirs.weights]
    x = (np.random.RandomState(4).standard_normal((6, 3)) * 2 + 1).astype("float32")
    _assert_same(ours, theirs, x, training=True)
    _assert_same(ours, theirs, x, training=True)
    _assert_same(ours, theirs, x, training=False)


def test_frozen_layer_runs_in_inference_mode():
    layer = layers.BatchNormalization()
    x = (np.random.RandomState(5).standard_normal((8, 3)) + 2).astype("float32")
    layer(x)
    layer.trainable = False
    out = _np(layer(x, training=True))
    np.testing.assert_allclose(out, x / np.sqrt(1 + 1e-3), atol=1e-6)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(3, "float32"))
    np.testing.assert_array_equal(layer.moving_variance.numpy(), np.ones(3, "float32"))


def _bn_model(lib, frozen):
    inputs = lib.Input((3,))
    bn = lib.layers.BatchNormalization(name="bn")
    outputs = lib.layers.Dense(1, kernel_initializer="ones", name="dense")(bn(inputs))
    model = lib.Model(inputs, outputs)
    if frozen:
        bn.trainable = False
    model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
    return model


@pytest.mark.requires_training
@pytest.mark.parametrize("frozen", [False, True])
def test_fit_matches_keras(keras, frozen):
    rng = np.random.RandomState(6)
    x = (rng.standard_normal((8, 3)) * 2 + 1).astype("float32")
    y = rng.standard_normal((8, 1)).astype("float32")
    ours, theirs = _bn_model(cornu, frozen), _bn_model(keras, frozen)
    ours.set_weights(theirs.get_weights())
    h_ours = ours.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    h_theirs = theirs.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(h_ours.history["loss"], h_theirs.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)
    bn = ours.get_layer("bn")
    if frozen:  # statistics and gamma/beta untouched
        np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(3, "float32"))
        np.testing.assert_array_equal(bn.gamma.numpy(), np.ones(3, "float32"))
    else:
        assert np.all(bn.moving_mean.numpy() != 0)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-5)


def test_symbolic_calls_do_not_update_statistics():
    layer = layers.BatchNormalization()
    inputs = cornu.Input((3,))
    out = layer(inputs, training=True)
    assert out.shape == (None, 3)

    class Wrapper(cornu.layers.Layer):  # runs BN inside a call traced on placeholders
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.bn = layers.BatchNormalization()

        def call(self, x, training=None):
            return self.bn(x * 2.0 + 5.0, training=True)

    wrapper = Wrapper()
    wrapper.bn.build((None, 3))
    assert wrapper(cornu.Input((3,))).shape == (None, 3)
    np.testing.assert_array_equal(wrapper.bn.moving_mean.numpy(), np.zeros(3, "float32"))
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(3, "float32"))


@pytest.mark.requires_training
def test_gradients_flow_in_training():
    layer = layers.BatchNormalization()
    x = np.random.RandomState(7).standard_normal((5, 3)).astype("float32")
    layer.build(x.shape)
    moving = [ops.convert_to_numpy(v) for v in layer.non_trainable_variables]

    def loss(gamma, beta):
        out, _ = layer.stateless_call([gamma, beta], moving, x, training=True)
        return ops.sum(ops.square(out) * ops.convert_to_tensor([1.0, 2.0, 3.0]))

    _, (gamma_grad, beta_grad) = backend.value_and_gradients(
        loss, [np.ones(3, "float32"), np.zeros(3, "float32")]
    )
    # Normalised columns have mean 0 and (biased) variance var / (var + epsilon).
    var = x.var(axis=0)
    expected = 2 * 5 * np.array([1.0, 2.0, 3.0]) * var / (var + 1e-3)
    np.testing.assert_allclose(ops.convert_to_numpy(gamma_grad), expected, rtol=1e-4)
    np.testing.assert_allclose(ops.convert_to_numpy(beta_grad), [0.0, 0.0, 0.0], atol=1e-5)


def test_config_round_trip_with_regularizers_and_constraints(keras):
    layer = layers.BatchNormalization(
        axis=1, momentum=0.9, gamma_regularizer="l2", beta_constraint="non_neg"
    )
    config = layer.get_config()
    assert config["gamma_regularizer"]["class_name"] == "L2"
    assert config["beta_constraint"]["class_name"] == "NonNeg"
    theirs = keras.layers.BatchNormalization.from_config(config)
    assert theirs.get_config()["momentum"] == 0.9
    assert sorted(theirs.get_config()) == sorted(config)
    clone = layers.BatchNormalization.from_config(theirs.get_config())
    assert clone.get_config() == {**config, "name": clone.name}


def test_errors():
    with pytest.raises(ValueError, match="only supported with the TensorFlow backend"):
        layers.BatchNormalization(synchronized=True)
    with pytest.raises(ValueError, match="invalid keys for `renorm_clipping`"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmaxx": 1.0})
    layer = layers.BatchNormalization(axis=3, name="bn")
    with pytest.raises(ValueError, match="BatchNormalization 'bn': axis 3 is out of bounds"):
        layer(np.ones((2, 3), "float32"))
    layer = layers.BatchNormalization(name="bn2")
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match='layer "bn2".*expected axis -1 of input shape to have'):
        layer(np.ones((2, 4), "float32"))
