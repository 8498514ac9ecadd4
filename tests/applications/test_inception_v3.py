import pytest
from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)

import cornu


def test_inception_v3_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras, "InceptionV3", weights=None, input_shape=(75, 75, 3), classes=3
    )
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((1, 75, 75, 3)))


def test_inception_v3_minimum_size_is_75():
    with pytest.raises(ValueError, match="Input size must be at least 75x75"):
        cornu.applications.InceptionV3(weights=None, include_top=False, input_shape=(74, 80, 3))
