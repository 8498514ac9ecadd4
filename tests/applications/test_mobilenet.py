import pytest
from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)

import cornu


@pytest.mark.parametrize("alpha, depth_multiplier", [(1.0, 1), (0.5, 2)])
def test_mobilenet_matches_keras(keras, oracle, alpha, depth_multiplier):
    ours, theirs = build_pair(
        keras,
        "MobileNet",
        weights=None,
        alpha=alpha,
        depth_multiplier=depth_multiplier,
        input_shape=(128, 128, 3),
        classes=7,
    )
    assert ours.name == f"mobilenet_{alpha:0.2f}_128"
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((1, 128, 128, 3)))


def test_mobilenet_imagenet_needs_depth_multiplier_1():
    with pytest.raises(ValueError, match="depth multiplier must be 1"):
        cornu.applications.MobileNet(weights="imagenet", depth_multiplier=2)
