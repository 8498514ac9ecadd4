"""MixUp, CutMix, RandomErasing, RandomGaussianBlur, RandomPerspective, RandomElasticTransform
and MaxNumBoundingBoxes against the real Keras."""

import numpy as np
import pytest

import cornu
from cornu import ops

IMAGES = (np.random.RandomState(0).rand(4, 8, 10, 3) * 255).astype("float32")
LABELS = np.eye(4, dtype="float32")[[0, 1, 2, 3]]

# (class name, constructor arguments): seeded, each draws what Keras draws, so the training
# outputs equal Keras's.
CASES = [
    ("MixUp", {"alpha": 0.3, "seed": 3}),
    ("CutMix", {"seed": 5}),
    ("CutMix", {"factor": (0.2, 0.6), "seed": 5}),
    ("RandomErasing", {"seed": 7}),
    ("RandomErasing", {"factor": 0.8, "scale": (0.1, 0.5), "fill_value": 30.0, "seed": 7}),
    ("RandomErasing", {"fill_value": (10, 20, 30), "value_range": (0, 25), "seed": 7}),
    ("RandomGaussianBlur", {"seed": 9}),
    (
        "RandomGaussianBlur",
        {"factor": (0.5, 1.0), "kernel_size": 5, "sigma": (0.2, 0.9), "seed": 9},
    ),
    ("RandomPerspective", {"seed": 11}),
    (
        "RandomPerspective",
        {"factor": 0.7, "scale": 0.4, "interpolation": "nearest", "fill_value": 5.0, "seed": 11},
    ),
]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _layout(images, data_format):
    return images if data_format == "channels_last" else images.transpose(0, 3, 1, 2)


def _id(case):
    return f"{case[0]}-{'-'.join(f'{k}={v}' for k, v in case[1].items() if k != 'seed')}"


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", CASES, ids=_id)
def test_matches_keras_in_training_and_inference(keras, oracle, case, data_format):
    name, kwargs = case
    if name == "RandomErasing" and isinstance(kwargs.get("fill_value"), tuple):
        if data_format == "channels_first":
            pytest.skip("a per-channel fill broadcasts along the last axis (channels last)")
    images = _layout(IMAGES, data_format)
    ours = getattr(cornu.layers, name)(data_format=data_format, **kwargs)
    theirs = getattr(keras.layers, name)(data_format=data_format, **kwargs)
    for training in (True, True, False):  # the seed streams move on alike
        oracle.values(ours(images, training=training), theirs(images, training=training), atol=1e-3)


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
@pytest.mark.parametrize("name,kwargs", [case for case in CASES if case[0] in ("MixUp", "CutMix")])
def test_mixing_layers_mix_labels_as_keras(keras, oracle, name, kwargs):
    ours = getattr(cornu.layers, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    for _ in range(2):
        got = ours({"images": IMAGES, "labels": LABELS})
        expected = theirs({"images": IMAGES, "labels": LABELS})
        oracle.values(got["images"], expected["images"], atol=1e-3)
        oracle.values(got["labels"], expected["labels"], atol=1e-5)
        np.testing.assert_allclose(_np(got["labels"]).sum(-1), np.ones(4), atol=1e-5)


def test_mix_up_blends_pairs_and_cut_mix_pastes_boxes():
    mixed = cornu.layers.MixUp(alpha=0.5, seed=1)
    transformation = mixed.get_random_transformation(IMAGES)
    weight = _np(transformation["mix_weight"])[:, None, None, None]
    partners = IMAGES[_np(transformation["permutation_order"])]
    np.testing.assert_allclose(
        _np(mixed.transform_images(IMAGES, transformation)),
        weight * IMAGES + (1 - weight) * partners,
        rtol=1e-5,
    )
    # Seed 3 pairs some images with others on every backend (seed 2 draws the identity
    # permutation on JAX, which leaves the batch unchanged).
    cut = cornu.layers.CutMix(seed=3)
    transformation = cut.get_random_transformation(IMAGES)
    order = _np(transformation["permutation_order"])
    assert not np.array_equal(order, np.arange(4))
    out = _np(cut.transform_images(IMAGES, transformation))
    masks = _np(transformation["batch_masks"])
    np.testing.assert_array_equal(out, np.where(masks, IMAGES[order], IMAGES))
    assert np.all((out == IMAGES) | np.isin(out, IMAGES))  # every pixel from some image
    assert not np.array_equal(out, IMAGES)
    out = _np(cornu.layers.CutMix(seed=3)(IMAGES, training=True))
    assert not np.array_equal(out, IMAGES)


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
def test_elastic_transform_matches_keras_on_the_global_generator(keras, oracle):
    import torch  # Keras on torch draws the displacements from torch's global generator

    kwargs = {"factor": (1.0, 1.0), "scale": (0.5, 0.5), "fill_mode": "constant"}
    for data_format in ("channels_last", "channels_first"):
        images = _layout(IMAGES, data_format)
        ours = cornu.layers.RandomElasticTransform(data_format=data_format, **kwargs)
        theirs = keras.layers.RandomElasticTransform(data_format=data_format, **kwargs)
        torch.manual_seed(1)
        got = ours(images, training=True)
        torch.manual_seed(1)
        expected = theirs(images, training=True)
        oracle.values(got, expected, atol=1e-3)
        assert not np.allclose(_np(got), images)
        oracle.values(ours(images, training=False), theirs(images, training=False))


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
def test_elastic_transform_draws_as_keras_and_is_seedable(keras, oracle):
    ours = cornu.layers.RandomElasticTransform(factor=0.5, scale=(0.2, 0.8), seed=4)
    theirs = keras.layers.RandomElasticTransform(factor=0.5, scale=(0.2, 0.8), seed=4)
    for _ in range(2):
        got = ours.get_random_transformation(IMAGES)
        expected = theirs.get_random_transformation(IMAGES)
        oracle.values(got["apply_transform"], expected["apply_transform"])
        oracle.values(got["distortion_factor"], expected["distortion_factor"])
    first = _np(cornu.layers.RandomElasticTransform(seed=6)(IMAGES, training=True))
    again = _np(cornu.layers.RandomElasticTransform(seed=6)(IMAGES, training=True))
    np.testing.assert_array_equal(first, again)
    assert first.min() >= 0 and first.max() <= 255


@pytest.mark.parametrize(
    "cls,kwargs",
    [
        (cornu.layers.MixUp, {"alpha": 0.4, "seed": 1}),
        (cornu.layers.CutMix, {"factor": 0.5, "seed": 1}),
        (cornu.layers.RandomErasing, {"scale": 0.3, "fill_value": 1.0, "seed": 1}),
        (cornu.layers.RandomGaussianBlur, {"kernel_size": (3, 5), "sigma": 0.5, "seed": 1}),
        (cornu.layers.RandomPerspective, {"scale": 0.3, "seed": 1}),
        (cornu.layers.RandomElasticTransform, {"scale": 0.3, "fill_mode": "mirror", "seed": 1}),
    ],
)
def test_layer_contract_and_keras_config(keras, cls, kwargs):
    # run_layer_test compares a clone's direct (training) call with the first one: these
    # layers draw anew on every call, so the same checks are written out here.
    layer = cls(**kwargs)
    out = layer(IMAGES[:2] / 255.0)
    assert tuple(out.shape) == (2, 8, 10, 3) and ops.dtype(out) == "float32"
    assert not layer.weights
    config = cls(**kwargs).get_config()
    keras_config = getattr(keras.layers, cls.__name__)(**kwargs).get_config()
    skip = ("name", "dtype", "trainable")
    ours = {k: v for k, v in config.items() if k not in skip}
    theirs = {k: v for k, v in keras_config.items() if k not in skip}
    assert ours == theirs
    assert cls.from_config(config).get_config() == config
    inference = cls(**kwargs)(IMAGES, training=False)
    np.testing.assert_array_equal(_np(inference), IMAGES)
    assert tuple(cls(**kwargs)(cornu.Input((8, 10, 3))).shape) == (None, 8, 10, 3)


def test_layers_save_and_load_in_a_model(tmp_path):
    model = cornu.Sequential(
        [
            cornu.Input((8, 10, 3)),
            cornu.layers.RandomErasing(seed=1),
            cornu.layers.RandomGaussianBlur(seed=2),
            cornu.layers.RandomPerspective(scale=0.2, seed=3),
            cornu.layers.RandomElasticTransform(scale=0.2, seed=4),
            cornu.layers.CutMix(seed=5),
            cornu.layers.MixUp(seed=6),
        ]
    )
    path = str(tmp_path / "augment.keras")
    model.save(path)
    loaded = cornu.saving.load_model(path)
    assert [type(layer).__name__ for layer in loaded.layers] == [
        type(layer).__name__ for layer in model.layers
    ]
    np.testing.assert_allclose(_np(loaded.predict(IMAGES, verbose=0)), IMAGES, rtol=1e-6)
    assert _np(model(IMAGES, training=True)).shape == IMAGES.shape


def test_argument_errors():
    with pytest.raises(ValueError, match="`factor` argument of CutMix"):
        cornu.layers.CutMix(factor=1.5)
    with pytest.raises(ValueError, match="RandomErasing: the `scale` argument"):
        cornu.layers.RandomErasing(scale=(0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="RandomErasing: the `fill_value` argument"):
        cornu.layers.RandomErasing(fill_value=(1, 2))
    with pytest.raises(ValueError, match="RandomErasing: the `value_range`"):
        cornu.layers.RandomErasing(value_range=5)
    with pytest.raises(ValueError, match="`kernel_size` must be an odd number"):
        cornu.layers.RandomGaussianBlur(kernel_size=4)
    with pytest.raises(ValueError, match="RandomGaussianBlur: the `sigma` argument"):
        cornu.layers.RandomGaussianBlur(sigma=2.0)
    with pytest.raises(ValueError, match="RandomPerspective: the `scale` argument"):
        cornu.layers.RandomPerspective(scale=1.5)
    with pytest.raises(NotImplementedError, match="interpolation"):
        cornu.layers.RandomPerspective(interpolation="bicubic")
    with pytest.raises(NotImplementedError, match="fill_mode"):
        cornu.layers.RandomElasticTransform(fill_mode="edge")
    with pytest.raises(ValueError, match="rank 3 .* or 4"):
        cornu.layers.MixUp()(IMAGES[0, 0])


def test_single_images_pass_through_cut_mix_and_transform_elsewhere(keras):
    single = IMAGES[0]
    np.testing.assert_array_equal(_np(cornu.layers.CutMix(seed=1)(single)), single)
    erased = _np(cornu.layers.RandomErasing(factor=(1.0, 1.0), fill_value=0.0, seed=1)(single))
    assert erased.shape == single.shape and (erased == 0).any()


def test_max_num_bounding_boxes_matches_keras(keras, oracle):
    boxes = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)
    labels = np.array([[1, 2, 3], [4, 5, 6]], "int32")
    data = {"images": IMAGES[:2], "bounding_boxes": {"boxes": boxes, "labels": labels}}
    for max_number in (2, 5):
        ours = cornu.layers.MaxNumBoundingBoxes(
            max_number, fill_value=-2, bounding_box_format="xyxy"
        )
        theirs = keras.layers.MaxNumBoundingBoxes(
            max_number, fill_value=-2, bounding_box_format="xyxy"
        )
        got = ours(dict(data, bounding_boxes=dict(data["bounding_boxes"])))
        expected = theirs(dict(data, bounding_boxes=dict(data["bounding_boxes"])))
        oracle.values(got["bounding_boxes"], expected["bounding_boxes"])
        oracle.values(got["images"], expected["images"])
        shape = {"images": (2, 8, 10, 3), "bounding_boxes": {"boxes": (2, 3, 4), "labels": (2, 3)}}
        assert ours.compute_output_shape(shape)["bounding_boxes"] == {
            "boxes": (2, max_number, 4),
            "labels": (2, max_number),
        }
    ragged = {
        "boxes": [[[0, 0, 1, 1]], [[0, 0, 2, 2], [1, 1, 3, 3], [2, 2, 4, 4]]],
        "labels": [[7], [8, 9, 10]],
    }
    out = cornu.layers.MaxNumBoundingBoxes(2)({"images": IMAGES[:2], "bounding_boxes": ragged})
    np.testing.assert_array_equal(_np(out["bounding_boxes"]["labels"]), [[7, -1], [8, 9]])
    assert _np(out["bounding_boxes"]["boxes"]).shape == (2, 2, 4)
    layer = cornu.layers.MaxNumBoundingBoxes(3, fill_value=0)
    assert cornu.layers.MaxNumBoundingBoxes.from_config(layer.get_config()).fill_value == 0
    with pytest.raises(KeyError, match="boxes"):
        layer({"images": IMAGES[:2], "bounding_boxes": {"boxes": boxes, "labels": labels, "x": 1}})


@pytest.mark.backends("torch")  # seeded draws equal Keras's torch random numbers
@pytest.mark.parametrize(
    "name", ["MixUp", "CutMix", "RandomErasing", "RandomGaussianBlur", "RandomPerspective"]
)
def test_single_images_match_keras(keras, oracle, name):
    ours, theirs = getattr(cornu.layers, name)(seed=2), getattr(keras.layers, name)(seed=2)
    for _ in range(2):
        oracle.values(ours(IMAGES[0]), theirs(IMAGES[0]), atol=1e-3)
    label = np.array([0.0, 1.0, 0.0], "float32")
    got = ours({"images": IMAGES[0], "labels": label})
    expected = theirs({"images": IMAGES[0], "labels": label})
    oracle.values(got, expected, atol=1e-3)
