"""RandomShear, RandAugment and AugMix: seeded draws equal Keras's, inference, configs,
saving and errors."""

import random as py_random

import numpy as np
import pytest

import cornu
from cornu import ops
from cornu.testing import run_layer_test

HAS_GAMMA_AND_BETA = hasattr(cornu.random, "gamma") and hasattr(cornu.random, "beta")
needs_gamma = pytest.mark.skipif(
    not HAS_GAMMA_AND_BETA, reason="AugMix draws through cornu.random.gamma and beta"
)

CASES = [
    ("RandomShear", {"x_factor": 0.3, "y_factor": (0.1, 0.4)}),
    (
        "RandomShear",
        {"x_factor": 0.5, "fill_mode": "constant", "interpolation": "nearest"},
    ),
    ("RandomShear", {"y_factor": 0.6, "fill_mode": "wrap", "data_format": "channels_first"}),
    ("RandAugment", {}),
    ("RandAugment", {"num_ops": 3, "factor": 0.8, "value_range": (0, 1)}),
    ("RandAugment", {"num_ops": 4, "factor": (0.2, 0.9), "interpolation": "nearest"}),
    ("RandAugment", {"num_ops": 2, "data_format": "channels_first"}),
    pytest.param("AugMix", {}, marks=needs_gamma),
    pytest.param(
        "AugMix",
        {"value_range": (0, 1), "num_chains": 2, "chain_depth": 4, "factor": 0.6},
        marks=needs_gamma,
    ),
    pytest.param(
        "AugMix", {"all_ops": False, "alpha": 0.5, "interpolation": "nearest"}, marks=needs_gamma
    ),
]


@pytest.fixture
def fixed_keras(keras, monkeypatch):
    """Keras 3.15.1 on torch with three of its bugs fixed, so that it can serve as the oracle:
    RandomBrightness adds its delta in place (so inside RandAugment the delta leaks into every
    step, whichever augmentation is chosen); affine_transform reads a non-contiguous input
    (RandomSharpness's output) in the wrong order; and affine_transform swaps entries of the
    caller's transform in place (so RandAugment, which applies each drawn rotation, shear and
    translation once per step, uses a scrambled matrix from the second step on). cornu has
    none of these bugs."""
    from keras.src.backend.torch import image as torch_image
    from keras.src.layers.preprocessing.image_preprocessing import random_brightness

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = images + self.backend.cast(transformation["rgb_delta"], images.dtype)
        return self.backend.numpy.clip(images, self.value_range[0], self.value_range[1])

    affine_transform = torch_image.affine_transform

    def contiguous_affine_transform(images, transform, **kwargs):
        return affine_transform(images.contiguous(), transform.clone(), **kwargs)

    monkeypatch.setattr(random_brightness.RandomBrightness, "transform_images", transform_images)
    monkeypatch.setattr(torch_image, "affine_transform", contiguous_affine_transform)
    return keras


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(kwargs, shape=(4, 8, 9, 3), seed=0):
    high = max(kwargs.get("value_range", (0, 255)))
    x = np.random.RandomState(seed).uniform(0, high, shape).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    return x


def _without_name(config):
    return {k: v for k, v in config.items() if k != "name"}


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
@pytest.mark.parametrize("name,kwargs", CASES)
def test_seeded_training_equals_keras(fixed_keras, name, kwargs):
    keras = fixed_keras
    x = _images(kwargs)
    ours = getattr(cornu.layers, name)(seed=7, **kwargs)
    theirs = getattr(keras.layers, name)(seed=7, **kwargs)
    high = max(kwargs.get("value_range", (0, 255)))
    for call in range(4):  # the seed generators advance in step
        py_random.seed(call)  # AugMix picks its augmentations with Python's `random`
        out = _np(ours(x, training=True))
        py_random.seed(call)
        ref = keras.ops.convert_to_numpy(theirs(x, training=True))
        assert out.dtype == ref.dtype and out.shape == x.shape
        np.testing.assert_allclose(out, ref, atol=1e-3 * high, rtol=0)
    py_random.seed(9)
    single = _np(ours(x[0], training=True))
    py_random.seed(9)
    np.testing.assert_allclose(
        single, keras.ops.convert_to_numpy(theirs(x[0], training=True)), atol=1e-3 * high
    )
    assert _without_name(ours.get_config()) == _without_name(theirs.get_config())


@pytest.mark.parametrize("name,kwargs", CASES)
def test_inference_casts_only_and_config_round_trips(keras, name, kwargs):
    x = _images(kwargs)
    ours = getattr(cornu.layers, name)(seed=3, **kwargs)
    theirs = getattr(keras.layers, name)(seed=3, **kwargs)
    np.testing.assert_array_equal(_np(ours(x, training=False)), x)
    np.testing.assert_array_equal(
        _np(ours(x, training=False)), keras.ops.convert_to_numpy(theirs(x, training=False))
    )
    pixels = (x * 0 + 7).astype("uint8")
    out = ours(pixels, training=False)
    assert _np(out).dtype == np.float32 and np.all(_np(out) == 7)
    rebuilt = type(ours).from_config(ours.get_config())
    assert rebuilt.get_config() == ours.get_config()


@pytest.mark.parametrize("name,kwargs", [CASES[0], CASES[3], CASES[7]])
def test_run_layer_test(name, kwargs):
    cls = getattr(cornu.layers, name)

    def call(self, data, training=False):
        return cls.call(self, data, training=training)

    x = _images(kwargs)
    run_layer_test(
        type(name, (cls,), {"call": call}),
        {"seed": 3, **kwargs},
        input_data=x,
        expected_output_shape=x.shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        run_training_check=True,
    )


def test_shear_moves_pixels_along_one_axis():
    x = np.tile(np.arange(9, dtype="float32")[None, None, :, None], (16, 8, 1, 1))
    sheared = _np(cornu.layers.RandomShear(y_factor=0.8, seed=1)(x))
    # A vertical shear of columns that are constant along y leaves them unchanged.
    np.testing.assert_allclose(sheared, x, atol=1e-4)
    sheared = _np(cornu.layers.RandomShear(x_factor=(0.5, 0.5), seed=1)(x))
    rows_moved = [not np.allclose(image[0], image[-1]) for image in sheared]
    assert all(rows_moved)


def test_rand_augment_applies_num_ops_augmentations():
    x = _images({}, shape=(2, 8, 8, 3))
    assert np.array_equal(_np(cornu.layers.RandAugment(num_ops=0, seed=1)(x)), x)
    layer = cornu.layers.RandAugment(num_ops=1, seed=1)
    outputs = [_np(layer(x)) for _ in range(6)]
    assert all(not np.array_equal(out, x) for out in outputs)
    assert np.array_equal(_np(layer(x, training=False)), x)


@needs_gamma
def test_aug_mix_stays_in_range_and_mixes():
    x = _images({"value_range": (0, 1)}, shape=(3, 8, 8, 3))
    layer = cornu.layers.AugMix(value_range=(0, 1), seed=1)
    out = _np(layer(x))
    assert out.min() >= 0 and out.max() <= 1 and not np.allclose(out, x)


# Keras cannot load its own RandomShear configs with negative shears (x_factor=0.3 is saved
# as (-0.3, 0.3)), so the shear case keeps to non-negative ranges.
@pytest.mark.parametrize(
    "name,kwargs",
    [("RandomShear", {"x_factor": (0.1, 0.3), "y_factor": (0.0, 0.2)}), ("RandAugment", {})],
)
def test_keras_files_load_both_ways(keras, tmp_path, name, kwargs):
    x = _images(kwargs)
    models = []
    for lib in (cornu, keras):
        layer = getattr(lib.layers, name)(seed=4, **kwargs)
        models.append(lib.Sequential([lib.Input(x.shape[1:]), layer]))
    ours, theirs = models
    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    from_ours = keras.saving.load_model(tmp_path / "ours.keras")
    from_theirs = cornu.saving.load_model(tmp_path / "theirs.keras")
    assert type(from_theirs.layers[0]).__name__ == name
    assert _without_name(from_theirs.layers[0].get_config()) == _without_name(
        from_ours.layers[0].get_config()
    )
    np.testing.assert_array_equal(_np(from_theirs.predict(x, verbose=0)), x)


# ---- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs,match",
    [
        ("RandomShear", {"x_factor": 1.5}, r"RandomShear: the `x_factor` argument .*\[0, 1\]"),
        ("RandomShear", {"y_factor": (0.1, 1.2)}, "RandomShear: the `y_factor` argument"),
        ("RandomShear", {"y_factor": -0.2}, "RandomShear: the `y_factor` argument"),
        ("RandomShear", {"x_factor": "big"}, "RandomShear: the `x_factor` argument"),
        ("RandAugment", {"factor": 1.5}, r"RandAugment should be a number.*\[0, 1\]"),
        ("RandAugment", {"num_ops": -1}, "RandAugment: `num_ops` should be a non-negative"),
        ("RandAugment", {"value_range": 255}, "RandAugment: the `value_range` argument"),
        ("AugMix", {"factor": (0.2, 1.2, 0.3)}, "AugMix should be a number"),
        ("AugMix", {"num_chains": 0}, "AugMix: `num_chains` should be a positive integer"),
        ("AugMix", {"value_range": (0,)}, "AugMix: the `value_range` argument"),
    ],
)
def test_bad_arguments_are_refused(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(cornu.layers, name)(**kwargs)


def test_unknown_modes_are_refused_as_keras_does():
    with pytest.raises(NotImplementedError, match="RandomShear: unknown `fill_mode` 'mirror'"):
        cornu.layers.RandomShear(fill_mode="mirror")
    with pytest.raises(NotImplementedError, match="unknown `interpolation` 'bicubic'"):
        cornu.layers.RandAugment(interpolation="bicubic")
