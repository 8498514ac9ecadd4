"""SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout and
ActivityRegularization."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.testing import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize(
    "cls,kwargs,shape,channel_axis",
    [
        (layers.SpatialDropout1D, {}, (4, 6, 8), 2),
        (layers.SpatialDropout2D, {}, (4, 3, 5, 8), 3),
        (layers.SpatialDropout2D, {"data_format": "channels_first"}, (4, 8, 3, 5), 1),
        (layers.SpatialDropout3D, {}, (4, 2, 3, 2, 8), 4),
        (layers.SpatialDropout3D, {"data_format": "channels_first"}, (4, 8, 2, 3, 2), 1),
    ],
)
def test_spatial_dropout_drops_whole_channels(cls, kwargs, shape, channel_axis):
    x = np.ones(shape, "float32")
    layer = cls(0.5, seed=1, **kwargs)
    np.testing.assert_array_equal(_np(layer(x)), x)
    out = _np(layer(x, training=True))
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert 0 < np.mean(out == 0) < 1
    # every (sample, channel) feature map is all dropped or all kept
    per_map = np.moveaxis(out, channel_axis, 1).reshape(shape[0], shape[channel_axis], -1)
    assert np.all(per_map.min(-1) == per_map.max(-1))
    again = _np(cls(0.5, seed=1, **kwargs)(x, training=True))
    np.testing.assert_array_equal(out, again)  # seeded: reproducible
    config = layer.get_config()
    assert config["rate"] == 0.5 and config["seed"] == 1
    run_layer_test(cls, {"rate": 0.5, **kwargs}, input_shape=shape, expected_output_shape=shape)


def test_spatial_dropout_config_matches_keras(keras):
    ours = layers.SpatialDropout2D(0.3, data_format="channels_first", seed=2)
    theirs = keras.layers.SpatialDropout2D(0.3, data_format="channels_first", seed=2)
    skip = ("name", "dtype")
    assert {k: v for k, v in ours.get_config().items() if k not in skip} == {
        k: v for k, v in theirs.get_config().items() if k not in skip
    }
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.SpatialDropout1D(0.5)(np.ones((2, 3), "float32"))


def test_gaussian_noise():
    x = np.zeros((400, 50), "float32")
    layer = layers.GaussianNoise(0.5, seed=3)
    np.testing.assert_array_equal(_np(layer(x)), x)
    out = _np(layer(x, training=True))
    assert abs(out.mean()) < 0.02 and abs(out.std() - 0.5) < 0.02
    np.testing.assert_array_equal(out, _np(layers.GaussianNoise(0.5, seed=3)(x, training=True)))
    run_layer_test(layers.GaussianNoise, {"stddev": 0.1, "seed": 1}, input_shape=(2, 3))
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        layers.GaussianNoise(1.5)


def test_gaussian_dropout():
    x = np.full((400, 50), 2.0, "float32")
    layer = layers.GaussianDropout(0.2, seed=4)
    np.testing.assert_array_equal(_np(layer(x)), x)
    out = _np(layer(x, training=True))
    # 2 * N(1, 0.2 / 0.8): mean 2, std 2 * 0.5
    assert abs(out.mean() - 2.0) < 0.03 and abs(out.std() - 1.0) < 0.03
    run_layer_test(layers.GaussianDropout, {"rate": 0.3}, input_shape=(2, 3))
    with pytest.raises(ValueError, match="Received: rate=2"):
        layers.GaussianDropout(2)


def test_alpha_dropout_keeps_selu_statistics():
    x = np.random.RandomState(0).standard_normal((500, 100)).astype("float32")
    layer = layers.AlphaDropout(0.2, seed=5)
    np.testing.assert_array_equal(_np(layer(x)), x)
    out = _np(layer(x, training=True))
    assert abs(out.mean()) < 0.02 and abs(out.std() - 1.0) < 0.02
    # the dropped entries all share one value: a * (-alpha * scale) + b
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p**2)) ** -0.5
    dropped = a * alpha_p - a * alpha_p * 0.2
    assert 0.15 < np.mean(np.isclose(out, dropped, atol=1e-6)) < 0.25
    run_layer_test(layers.AlphaDropout, {"rate": 0.2, "noise_shape": (None, 3)}, input_shape=(2, 3))


def test_alpha_dropout_noise_shape_broadcasts():
    x = np.ones((50, 6), "float32")
    out = _np(layers.AlphaDropout(0.5, noise_shape=(None, 1), seed=2)(x, training=True))
    np.testing.assert_array_equal(out.min(1), out.max(1))  # one decision per sample
    assert len(np.unique(out)) == 2


def test_activity_regularization_adds_loss(keras):
    x = np.array([[1.0, -2.0], [3.0, 0.5]], "float32")
    ours = layers.ActivityRegularization(l1=0.1, l2=0.01)
    theirs = keras.layers.ActivityRegularization(l1=0.1, l2=0.01)
    np.testing.assert_array_equal(_np(ours(x)), x)
    theirs(x)
    np.testing.assert_allclose(
        float(_np(ours.losses[0])), float(keras.ops.convert_to_numpy(theirs.losses[0])), rtol=1e-6
    )
    expected = (0.1 * np.abs(x).sum() + 0.01 * np.square(x).sum()) / 2
    np.testing.assert_allclose(float(_np(ours.losses[0])), expected, rtol=1e-6)
    assert ours.get_config()["l1"] == 0.1 and "activity_regularizer" not in ours.get_config()
    run_layer_test(layers.ActivityRegularization, {"l1": 0.1}, input_shape=(2, 3))


@pytest.mark.requires_training
def test_activity_regularization_in_fit_matches_keras(keras):
    rng = np.random.RandomState(1)
    x = rng.standard_normal((6, 3)).astype("float32")
    y = rng.standard_normal((6, 2)).astype("float32")
    histories, models = [], []
    for lib in (cornu, keras):
        inputs = lib.Input((3,))
        hidden = lib.layers.Dense(2, kernel_initializer="ones")(inputs)
        outputs = lib.layers.ActivityRegularization(l1=0.05, l2=0.02)(hidden)
        model = lib.Model(inputs, outputs)
        model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse")
        histories.append(model.fit(x, y, batch_size=3, epochs=2, shuffle=False, verbose=0))
        models.append(model)
    np.testing.assert_allclose(
        histories[0].history["loss"], histories[1].history["loss"], rtol=1e-5
    )
    for a, b in zip(models[0].get_weights(), models[1].get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
