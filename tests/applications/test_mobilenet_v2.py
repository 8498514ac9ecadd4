import pytest
from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)

import cornu


@pytest.mark.parametrize("alpha", [1.0, 0.35, 1.3])
def test_mobilenet_v2_matches_keras(keras, oracle, alpha):
    ours, theirs = build_pair(
        keras, "MobileNetV2", weights=None, alpha=alpha, input_shape=(96, 96, 3), classes=10
    )
    assert ours.name == f"mobilenetv2_{alpha:0.2f}_96"
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 96, 96, 3)))


def test_mobilenet_v2_odd_size_without_top_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras, "MobileNetV2", weights=None, include_top=False, input_shape=(35, 33, 3)
    )
    assert_same_architecture(ours, theirs)
    assert_same_outputs(oracle, ours, theirs, images((1, 35, 33, 3)))


def test_mobilenet_v2_imagenet_alpha_is_checked():
    with pytest.raises(ValueError, match="alpha must be one of"):
        cornu.applications.MobileNetV2(weights="imagenet", alpha=0.6)
