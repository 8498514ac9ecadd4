"""RandomFlip, RandomContrast and RandomBrightness: seeded draws equal Keras's, inference is
the identity, models, configs and errors."""

import json

import numpy as np
import pytest

import cornu
from cornu import backend, ops
from cornu.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from cornu.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from cornu.layers.preprocessing.image_preprocessing.random_flip import RandomFlip
from cornu.testing import run_layer_test

CLASSES = {"RandomFlip": RandomFlip, "RandomContrast": RandomContrast}
CLASSES["RandomBrightness"] = RandomBrightness

CASES = [
    ("RandomFlip", {}),
    ("RandomFlip", {"mode": "horizontal"}),
    ("RandomFlip", {"mode": "vertical", "data_format": "channels_first"}),
    ("RandomContrast", {"factor": 0.5}),
    ("RandomContrast", {"factor": (0.3, 0.6), "value_range": (0, 1)}),
    ("RandomContrast", {"factor": 0.4, "data_format": "channels_first"}),
    ("RandomBrightness", {"factor": 0.4}),
    ("RandomBrightness", {"factor": (-0.2, 0.5), "value_range": (1, 0)}),
]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(6, 4, 5, 3), high=255.0, seed=0):
    return np.random.RandomState(seed).uniform(0, high, shape).astype("float32")


def _without_name(config):
    return {k: v for k, v in config.items() if k != "name"}


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
@pytest.mark.parametrize("name,kwargs", CASES)
def test_seeded_draws_equal_keras(keras, name, kwargs):
    high = kwargs.get("value_range", (0, 255))
    x = _images(high=max(high))
    ours = CLASSES[name](seed=7, **kwargs)
    theirs = getattr(keras.layers, name)(seed=7, **kwargs)
    for _ in range(3):  # the seed generators advance in step
        out = _np(ours(x))
        np.testing.assert_allclose(out, keras.ops.convert_to_numpy(theirs(x)), atol=1e-5, rtol=0)
        assert out.shape == x.shape and not np.array_equal(out, x)
    single = _np(ours(x[0]))  # an unbatched image draws one value, as Keras
    np.testing.assert_allclose(single, keras.ops.convert_to_numpy(theirs(x[0])), atol=1e-5)
    assert single.shape == x[0].shape
    assert _without_name(ours.get_config()) == _without_name(theirs.get_config())


def _inference_by_default(cls):
    """``cls`` whose call defaults to ``training=False``, so that run_layer_test's repeated
    calls compare equal outputs."""

    def call(self, data, training=False):
        return cls.call(self, data, training=training)

    return type(cls.__name__, (cls,), {"call": call})


@pytest.mark.parametrize("name,kwargs", CASES)
def test_inference_is_identity_and_config_round_trips(name, kwargs):
    x = _images()
    layer = CLASSES[name](seed=3, **kwargs)
    np.testing.assert_array_equal(_np(layer(x, training=False)), x)
    np.testing.assert_array_equal(_np(layer(x[0], training=False)), x[0])
    run_layer_test(
        _inference_by_default(CLASSES[name]),
        {"seed": 3, **kwargs},
        input_data=x,
        expected_output_shape=x.shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        run_training_check=True,
    )


@pytest.mark.parametrize("name,kwargs", CASES)
def test_seeding_reproduces_and_each_call_draws_anew(name, kwargs):
    x = _images((16, 4, 5, 3))
    first = CLASSES[name](seed=11, **kwargs)
    a, b = _np(first(x)), _np(first(x))
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(_np(CLASSES[name](seed=11, **kwargs)(x)), a)
    assert not np.array_equal(_np(CLASSES[name](seed=12, **kwargs)(x)), a)


def test_flip_outputs_are_flipped_copies():
    x = _images((32, 3, 4, 2))
    both = _np(RandomFlip(seed=1)(x))
    turned = x[:, ::-1, ::-1, :]
    flipped = np.array([np.array_equal(o, t) for o, t in zip(both, turned)])
    kept = np.array([np.array_equal(o, i) for o, i in zip(both, x)])
    assert np.all(flipped | kept) and flipped.any() and kept.any()
    horizontal = _np(RandomFlip("horizontal", seed=2)(x))
    assert all(np.array_equal(o, i) or np.array_equal(o, i[:, ::-1]) for o, i in zip(horizontal, x))
    chw = np.moveaxis(x, -1, 1)
    vertical = _np(RandomFlip("vertical", seed=3, data_format="channels_first")(chw))
    assert all(np.array_equal(o, i) or np.array_equal(o, i[:, ::-1]) for o, i in zip(vertical, chw))


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
def test_flip_casts_integer_images_to_floats_like_keras(keras):
    x = np.arange(48, dtype="uint8").reshape(2, 4, 2, 3)
    for training in (True, False):
        out = RandomFlip(seed=1)(x, training=training)
        assert backend.standardize_dtype(out.dtype) == "float32"
        expected = keras.layers.RandomFlip(seed=1)(x, training=training)
        np.testing.assert_array_equal(_np(out), keras.ops.convert_to_numpy(expected))


def test_contrast_stays_in_its_factor_and_value_range():
    x = _images((64, 4, 4, 3))
    out = _np(RandomContrast((0.5, 0.5), seed=1)(x))
    mean = x.astype("float64").mean(axis=(1, 2), keepdims=True)  # exact, not float32 sums
    ratio = ((out - mean) / (x - mean)).reshape(64, -1)
    # Pixels next to the mean give ratios of float32 rounding noise: left out.
    unclipped = (out > 0) & (out < 255) & (np.abs(x - mean) > 0.1)
    per_image = [r[u.reshape(-1)] for r, u in zip(ratio, unclipped)]
    assert all(np.ptp(r) < 1e-3 for r in per_image)  # one contrast per image
    factors = np.array([np.median(r) for r in per_image])
    assert factors.min() >= 0.5 - 1e-4 and factors.max() <= 1.5 + 1e-4
    assert factors.min() < 0.9 and factors.max() > 1.1
    assert out.min() >= 0 and out.max() <= 255
    assert RandomContrast(0.3).factor == (0, 0.3)  # Keras: one number only raises contrast


def test_brightness_deltas_stay_in_factor_range_and_are_clipped():
    x = np.full((200, 2, 2, 3), 0.5, "float32")
    out = _np(RandomBrightness((-0.2, 0.3), value_range=(0, 1), seed=1)(x))
    deltas = out[:, 0, 0, 0] - 0.5
    assert np.all(out == out[:, :1, :1, :1])  # one delta per image
    assert deltas.min() >= -0.2 - 1e-6 and deltas.max() <= 0.3 + 1e-6
    assert deltas.min() < -0.15 and deltas.max() > 0.25
    bright = _np(RandomBrightness((0.9, 1.0), seed=2)(_images()))
    assert bright.max() == 255.0 and bright.min() >= 0
    # Integer images come out as floats in training (Keras adds a uint8 delta, which wraps).
    dark = RandomBrightness((-1.0, -0.9), seed=3)(np.full((2, 2, 2, 3), 100, "uint8"))
    assert backend.standardize_dtype(dark.dtype) == "float32"
    np.testing.assert_array_equal(_np(dark), 0.0)


def test_dict_inputs_transform_the_images_entry():
    x = _images((2, 4, 5, 3))
    out = RandomBrightness(0.5, seed=1)({"images": x, "labels": np.ones(2)})
    assert set(out) == {"images", "labels"}
    np.testing.assert_array_equal(_np(out["images"]), _np(RandomBrightness(0.5, seed=1)(x)))


def _augmenter(lib, layers_module):
    return [
        layers_module["RandomFlip"](seed=1),
        layers_module["RandomContrast"](0.5, seed=2),
        layers_module["RandomBrightness"](0.2, seed=3),
    ]


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
def test_augmentation_inside_a_functional_model_equals_keras(keras):
    x = _images((4, 5, 5, 3))
    models = []
    for lib, classes in ((cornu, CLASSES), (keras, vars(keras.layers))):
        inputs = lib.Input((5, 5, 3))
        outputs = inputs
        for layer in _augmenter(lib, classes):
            outputs = layer(outputs)
        models.append(lib.Model(inputs, outputs))
    ours, theirs = models
    for _ in range(2):
        np.testing.assert_allclose(
            _np(ours(x, training=True)),
            keras.ops.convert_to_numpy(theirs(x, training=True)),
            atol=1e-4,
            rtol=0,
        )
    np.testing.assert_array_equal(_np(ours(x, training=False)), x)


@pytest.mark.requires_training
def test_augmentation_in_a_sequential_model_fit_and_predict(tmp_path):
    rng = np.random.RandomState(0)
    x = _images((8, 5, 5, 3))
    y = rng.standard_normal((8, 2)).astype("float32")
    model = cornu.Sequential(
        [cornu.Input((5, 5, 3)), *_augmenter(cornu, CLASSES)]
        + [cornu.layers.Flatten(), cornu.layers.Dense(2)]
    )
    model.compile(optimizer=cornu.optimizers.SGD(learning_rate=0.0), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    plain = model.evaluate(x, y, batch_size=8, verbose=0)
    # With a zero learning rate only the augmentation can tell the losses apart.
    losses = history.history["loss"]
    assert losses[0] != losses[1] and all(loss != pytest.approx(plain) for loss in losses)
    augmenter = cornu.Sequential([cornu.Input((5, 5, 3)), *model.layers[:3]])
    np.testing.assert_array_equal(augmenter.predict(x, verbose=0), x)
    predictions = model.predict(x, verbose=0)
    dense = model.layers[-1]
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(predictions, x.reshape(8, -1) @ kernel + bias, rtol=1e-5, atol=1e-3)

    path = tmp_path / "augmented.keras"
    model.save(path)
    loaded = cornu.saving.load_model(path, custom_objects=CLASSES)
    assert [type(layer).__name__ for layer in loaded.layers[:3]] == list(CLASSES)
    for old, new in zip(model.layers[:3], loaded.layers[:3]):
        assert json.dumps(new.get_config()) == json.dumps(old.get_config())
    np.testing.assert_allclose(loaded.predict(x, verbose=0), predictions, rtol=1e-6)


# ---- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls,factor",
    [
        (RandomContrast, 1.5),
        (RandomContrast, -0.2),
        (RandomContrast, (2.0, 3.0)),
        (RandomBrightness, 1.2),
        (RandomBrightness, (0.1, 0.2, 0.3)),
        (RandomBrightness, "bright"),
    ],
)
def test_bad_factor_is_refused(cls, factor):
    with pytest.raises(ValueError, match=rf"{cls.__name__} should be a number.*Received: factor"):
        cls(factor)


@pytest.mark.parametrize("cls", [RandomContrast, RandomBrightness])
@pytest.mark.parametrize("value_range", [255, (0, 1, 2), ("0", "1"), None])
def test_bad_value_range_is_refused(cls, value_range):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: the `value_range` argument should"):
        cls(0.2, value_range=value_range)


def test_other_argument_errors():
    with pytest.raises(
        ValueError, match=r"RandomContrast: `value_range` should be `\(low, high\)`"
    ):
        RandomContrast(0.2, value_range=(255, 0))
    with pytest.raises(ValueError, match=r"RandomFlip expects `mode` to be one of .*mode='diag'"):
        RandomFlip(mode="diag")
    with pytest.raises(ValueError, match="does not take a `factor` argument"):
        RandomFlip(factor=0.5)
    with pytest.raises(ValueError, match="`seed` must be an int or None"):
        RandomBrightness(0.2, seed="one")


@pytest.mark.parametrize("name,kwargs", CASES[::3])
@pytest.mark.parametrize("shape", [(4, 3), (1, 2, 4, 4, 3)])
def test_bad_rank_is_refused(name, kwargs, shape):
    with pytest.raises(ValueError, match=rf"\({name}\) expected an image tensor of rank 3"):
        CLASSES[name](**kwargs)(np.ones(shape, "float32"))
