"""Resizing, CenterCrop, RandomCrop, RandomZoom, RandomRotation and RandomTranslation."""

import numpy as np
import pytest

import cornu
from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.center_crop import CenterCrop
from cornu.layers.preprocessing.image_preprocessing.random_crop import RandomCrop
from cornu.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from cornu.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from cornu.layers.preprocessing.image_preprocessing.random_zoom import RandomZoom
from cornu.layers.preprocessing.image_preprocessing.resizing import Resizing

IMAGES = np.random.RandomState(0).rand(3, 8, 10, 2).astype("float32")

# (cornu class, Keras class name, constructor arguments); each layer here draws the same
# random numbers as Keras's for the same seed, so seeded outputs equal Keras's.
CASES = [
    (Resizing, "Resizing", {"height": 5, "width": 13, "interpolation": "bicubic"}),
    (Resizing, "Resizing", {"height": 6, "width": 6, "crop_to_aspect_ratio": True}),
    (Resizing, "Resizing", {"height": 6, "width": 6, "pad_to_aspect_ratio": True}),
    (CenterCrop, "CenterCrop", {"height": 5, "width": 6}),
    (CenterCrop, "CenterCrop", {"height": 12, "width": 6}),
    (RandomCrop, "RandomCrop", {"height": 5, "width": 6, "seed": 3}),
    (RandomCrop, "RandomCrop", {"height": 9, "width": 6, "seed": 3}),
    (RandomRotation, "RandomRotation", {"factor": 0.3, "seed": 5}),
    (
        RandomRotation,
        "RandomRotation",
        {
            "factor": (-0.1, 0.4),
            "seed": 5,
            "fill_mode": "constant",
            "fill_value": 0.5,
            "interpolation": "nearest",
        },
    ),
    (RandomZoom, "RandomZoom", {"height_factor": 0.3, "seed": 7}),
    (
        RandomZoom,
        "RandomZoom",
        {"height_factor": (-0.5, 0.2), "width_factor": 0.4, "seed": 7, "fill_mode": "wrap"},
    ),
    (
        RandomTranslation,
        "RandomTranslation",
        {"height_factor": 0.3, "width_factor": (0.1, 0.5), "seed": 9, "fill_mode": "nearest"},
    ),
]
RANDOM_LAYERS = [
    (RandomRotation, {"factor": 0.2}),
    (RandomZoom, {"height_factor": 0.3}),
    (RandomTranslation, {"height_factor": 0.2, "width_factor": 0.2}),
    (RandomCrop, {"height": 5, "width": 6}),
]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _layout(images, data_format):
    return images if data_format == "channels_last" else images.transpose(0, 3, 1, 2)


def _case_id(case):
    return f"{case[1]}-{'-'.join(f'{k}={v}' for k, v in case[2].items() if k != 'seed')}"


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_matches_keras_in_training_and_inference(keras, case, data_format):
    cls, keras_name, kwargs = case
    images = _layout(IMAGES, data_format)
    ours = cls(data_format=data_format, **kwargs)
    theirs = getattr(keras.layers, keras_name)(data_format=data_format, **kwargs)
    for training in (True, True, False):  # two training calls: the seed stream moves on alike
        expected = keras.ops.convert_to_numpy(theirs(images, training=training))
        got = _np(ours(images, training=training))
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, atol=1e-4, rtol=0)
    single = _np(cls(data_format=data_format, **kwargs)(images[0], training=True))
    expected = getattr(keras.layers, keras_name)(data_format=data_format, **kwargs)(
        images[0], training=True
    )
    np.testing.assert_allclose(single, keras.ops.convert_to_numpy(expected), atol=1e-4)
    # direct calls default to training=True, as in Keras
    default = _np(cls(data_format=data_format, **kwargs)(images))
    np.testing.assert_allclose(default, _np(cls(data_format=data_format, **kwargs)(images, True)))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_config_round_trip_and_keras_config(keras, case):
    cls, keras_name, kwargs = case
    layer = cls(**kwargs)
    config = layer.get_config()
    clone = cls.from_config(config)
    assert clone.get_config() == config
    keras_config = getattr(keras.layers, keras_name)(**kwargs).get_config()
    skip = ("name", "dtype", "trainable")
    assert {k: v for k, v in config.items() if k not in skip} == {
        k: v for k, v in keras_config.items() if k not in skip
    }


@pytest.mark.parametrize("cls,kwargs", RANDOM_LAYERS)
def test_random_layers_are_identity_at_inference_and_seedable(cls, kwargs):
    assert np.array_equal(_np(cls(**kwargs)(IMAGES, training=False)), IMAGES)
    layer = cls(seed=11, **kwargs)
    first, *later = [_np(layer(IMAGES, training=True)) for _ in range(4)]
    assert not all(np.allclose(first, out) for out in later)  # a new draw each call
    again = _np(cls(seed=11, **kwargs)(IMAGES, training=True))
    np.testing.assert_array_equal(first, again)  # same seed, fresh layer: same output
    other = _np(cls(seed=12, **kwargs)(IMAGES, training=True))
    assert not np.allclose(first, other)


def test_random_transformations_stay_in_the_factor_range():
    images = np.zeros((400, 8, 10, 1), "float32")
    angle = _np(RandomRotation((-0.1, 0.2)).get_random_transformation(images)["angle"])
    assert angle.min() >= -36.0 and angle.max() <= 72.0 and angle.max() - angle.min() > 90
    shifts = _np(
        RandomTranslation((0.1, 0.3), 0.2).get_random_transformation(images)["translations"]
    )
    assert np.all((shifts[:, 0] >= -0.2 * 10) & (shifts[:, 0] <= 0.2 * 10))
    assert np.all((shifts[:, 1] >= 0.1 * 8) & (shifts[:, 1] <= 0.3 * 8))
    zoom = RandomZoom((-0.2, 0.3)).get_random_transformation(images)
    heights, widths = _np(zoom["height_zoom"]), _np(zoom["width_zoom"])
    assert heights.min() >= 0.8 and heights.max() <= 1.3 and np.array_equal(heights, widths)
    # The drawn offsets are tensors (a compiled step cannot read them as Python ints).
    offsets = [RandomCrop(5, 6).get_random_transformation(images) for _ in range(50)]
    tops, lefts = ({int(ops.convert_to_numpy(t[i])) for t in offsets} for i in (0, 1))
    assert tops == {0, 1, 2, 3} and lefts == {0, 1, 2, 3, 4}
    for training in (False, None):
        assert RandomRotation(0.2).get_random_transformation(images, training=training) is None


def test_zero_factors_leave_images_unchanged_in_training():
    for layer in (RandomRotation(0.0), RandomTranslation(0.0, 0.0), RandomZoom(0.0)):
        np.testing.assert_allclose(_np(layer(IMAGES, training=True)), IMAGES, atol=1e-6)


def test_output_shapes_dtypes_and_inference_behaviour(keras):
    uint8 = (IMAGES * 255).astype("uint8")
    resized = Resizing(4, 5)(uint8)
    assert tuple(resized.shape) == (3, 4, 5, 2) and ops.dtype(resized) == "uint8"
    assert ops.dtype(CenterCrop(4, 5)(uint8)) == "float32"
    for layer in (RandomRotation(0.2), RandomZoom(0.2), RandomTranslation(0.1, 0.1)):
        out = layer(uint8, training=False)  # cast to the compute dtype, as Keras does
        assert ops.dtype(out) == "float32"
        np.testing.assert_array_equal(_np(out), uint8.astype("float32"))
    # RandomCrop, like Keras 3, returns the input uncropped (and uncast) at inference
    inference = RandomCrop(5, 6)(uint8, training=False)
    assert tuple(inference.shape) == uint8.shape and ops.dtype(inference) == "uint8"
    theirs = keras.layers.RandomCrop(5, 6)(uint8, training=False)
    assert tuple(theirs.shape) == uint8.shape
    assert tuple(RandomCrop(5, 6)(uint8, training=True).shape) == (3, 5, 6, 2)
    center = _np(CenterCrop(4, 4)(IMAGES))
    np.testing.assert_array_equal(center, IMAGES[:, 2:6, 3:7])
    first = _np(CenterCrop(4, 4, data_format="channels_first")(IMAGES.transpose(0, 3, 1, 2)))
    np.testing.assert_array_equal(first, center.transpose(0, 3, 1, 2))


@pytest.mark.parametrize(
    "layer,expected",
    [
        (Resizing(4, 5), (None, 4, 5, 2)),
        (CenterCrop(4, 5), (None, 4, 5, 2)),
        (RandomCrop(4, 5), (None, 4, 5, 2)),
        (RandomRotation(0.1), (None, 8, 10, 2)),
        (RandomZoom(0.1), (None, 8, 10, 2)),
        (RandomTranslation(0.1, 0.1), (None, 8, 10, 2)),
        (Resizing(4, 5, data_format="channels_first"), (None, 8, 4, 5)),
    ],
)
def test_symbolic_output_shapes(layer, expected):
    out = layer(cornu.Input((8, 10, 2)))
    assert tuple(out.shape) == expected
    assert layer.compute_output_shape((8, 10, 2)) == expected[1:]


class _RecordingRotation(RandomRotation):
    def call(self, data, training=True):
        self.seen.append(training)
        return super().call(data, training=training)


@pytest.mark.requires_training
def test_layers_train_and_predict_inside_models():
    x = np.random.RandomState(1).rand(16, 10, 10, 1).astype("float32")
    y = np.arange(16) % 2
    recorder = _RecordingRotation(0.1, seed=1)
    recorder.seen = []
    model = cornu.Sequential(
        [
            cornu.Input((10, 10, 1)),
            Resizing(8, 8),
            recorder,
            RandomZoom(0.1, seed=2),
            RandomTranslation(0.1, 0.1, seed=3),
            RandomCrop(6, 6, seed=4),
            CenterCrop(4, 4),
            cornu.layers.Conv2D(2, 3),
            cornu.layers.GlobalAveragePooling2D(),
            cornu.layers.Dense(2),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert recorder.seen and all(t is True for t in recorder.seen)
    recorder.seen.clear()
    assert model.predict(x, verbose=0).shape == (16, 2)
    assert recorder.seen and not any(recorder.seen)

    augment = cornu.Sequential(
        [
            cornu.Input((10, 10, 1)),
            RandomRotation(0.2, seed=1),
            RandomZoom(0.2, seed=2),
            RandomTranslation(0.2, 0.2, seed=3),
            RandomCrop(6, 6, seed=4),
        ]
    )
    np.testing.assert_array_equal(augment.predict(x, verbose=0), x)
    trained = _np(augment(x, training=True))
    assert trained.shape == (16, 6, 6, 1)
    windows = [x[:, i : i + 6, j : j + 6] for i in range(5) for j in range(5)]
    assert not any(np.allclose(trained, window) for window in windows)

    inputs = cornu.Input((10, 10, 1))
    outputs = CenterCrop(4, 4)(RandomRotation(0.3, seed=5)(inputs))
    functional = cornu.Model(inputs, outputs)
    np.testing.assert_array_equal(functional.predict(x, verbose=0), x[:, 3:7, 3:7])


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match=r"RandomRotation should be.*\[-1, 1\].*factor=1.5"):
        RandomRotation(1.5)
    with pytest.raises(ValueError, match=r"factor=\(0.1, 0.2, 0.3\)"):
        RandomRotation((0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match=r"RandomZoom.*`height_factor`.*\(-1.0, 1.0\].*=-1"):
        RandomZoom(-1)
    with pytest.raises(ValueError, match=r"RandomZoom.*`width_factor`.*width_factor=2"):
        RandomZoom(0.1, width_factor=2)
    with pytest.raises(ValueError, match=r"RandomTranslation.*`width_factor`.*=\(0.1,\)"):
        RandomTranslation(0.1, (0.1,))
    with pytest.raises(ValueError, match=r"RandomTranslation.*`height_factor`.*height_factor=a"):
        RandomTranslation("a", 0.1)
    with pytest.raises(NotImplementedError, match="RandomZoom: unknown `fill_mode` 'edge'"):
        RandomZoom(0.1, fill_mode="edge")
    with pytest.raises(NotImplementedError, match="RandomRotation: unknown `interpolation`"):
        RandomRotation(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match=r"Resizing expects.*positive integers.*height=0"):
        Resizing(0, 4)
    with pytest.raises(ValueError, match=r"CenterCrop expects.*width=2.5"):
        CenterCrop(3, 2.5)
    with pytest.raises(ValueError, match=r"RandomCrop expects.*height=None"):
        RandomCrop(None, 3)
    with pytest.raises(ValueError, match="Resizing: invalid `interpolation`.*'cubic'"):
        Resizing(3, 3, interpolation="cubic")
    with pytest.raises(ValueError, match="only one of `crop_to_aspect_ratio`"):
        Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match=r"rank 3 .* or 4 .*Received: shape=\(8, 10\)"):
        RandomRotation(0.1)(IMAGES[0, ..., 0])
    with pytest.raises(ValueError, match=r"CenterCrop\).*rank 3.*shape=\(None, 10\)"):
        CenterCrop(3, 3)(cornu.Input((10,)))
    with pytest.raises(ValueError, match="does not take a `factor` argument"):
        Resizing(3, 3, factor=0.2)
