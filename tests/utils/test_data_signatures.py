"""The data functions take Keras's arguments, in Keras's order, with Keras's defaults."""

import inspect

import pytest

import cornu

NAMES = [
    "image_dataset_from_directory",
    "text_dataset_from_directory",
    "audio_dataset_from_directory",
    "timeseries_dataset_from_array",
    "load_img",
    "img_to_array",
    "array_to_img",
    "save_img",
]


def _parameters(fn):
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", NAMES)
def test_signature_matches_keras(keras, name):
    assert _parameters(getattr(cornu.utils, name)) == _parameters(getattr(keras.utils, name))


def test_split_dataset_and_smart_resize_signatures(keras):
    theirs = [p for p in _parameters(keras.utils.split_dataset) if p[0] != "preferred_backend"]
    assert _parameters(cornu.utils.split_dataset) == theirs
    ours = _parameters(cornu.preprocessing.image.smart_resize)
    assert ours == _parameters(keras.preprocessing.image.smart_resize)[: len(ours)]


@pytest.mark.parametrize(
    "name", ["CategoryEncoding", "Discretization", "Hashing", "HashedCrossing"]
)
def test_layer_signatures_match_keras(keras, name):
    ours = _parameters(getattr(cornu.layers, name).__init__)
    theirs = _parameters(getattr(keras.layers, name).__init__)
    assert [p for p in ours if p[0] != "kwargs"] == [p for p in theirs if p[0] != "kwargs"]


def test_feature_space_signature_matches_keras(keras):
    ours = _parameters(cornu.utils.FeatureSpace.__init__)
    theirs = _parameters(keras.utils.FeatureSpace.__init__)
    assert [p for p in ours if p[0] != "kwargs"] == theirs
