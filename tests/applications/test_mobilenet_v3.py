import pytest
from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("MobileNetV3Small", {"classes": 4}),
        ("MobileNetV3Large", {"include_top": False, "pooling": "avg", "alpha": 0.75}),
        ("MobileNetV3Small", {"minimalistic": True, "include_preprocessing": False}),
    ],
)
def test_mobilenet_v3_matches_keras(keras, oracle, name, kwargs):
    ours, theirs = build_pair(keras, name, weights=None, input_shape=(64, 64, 3), **kwargs)
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 64, 64, 3)))
