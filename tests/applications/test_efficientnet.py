import numpy as np
import pytest
from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)

from cornu.applications import efficientnet


def test_efficientnet_b0_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras, "EfficientNetB0", weights=None, input_shape=(32, 32, 3), classes=6
    )
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 32, 32, 3)))


@pytest.mark.parametrize("name", ["EfficientNetB1", "EfficientNetB3"])
def test_efficientnet_scaled_variants_match_keras(keras, name):
    ours, theirs = build_pair(keras, name, weights=None, include_top=False, input_shape=(32, 32, 3))
    assert_same_architecture(ours, theirs)


def test_efficientnet_preprocess_input_is_identity(keras):
    x = images((1, 4, 4, 3))
    assert efficientnet.preprocess_input(x) is x
    np.testing.assert_array_equal(keras.applications.efficientnet.preprocess_input(x), x)
