import pytest
from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)


def test_efficientnet_v2_b0_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras, "EfficientNetV2B0", weights=None, input_shape=(32, 32, 3), classes=5
    )
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 32, 32, 3)))


@pytest.mark.parametrize("name", ["EfficientNetV2S", "EfficientNetV2B2"])
def test_efficientnet_v2_variants_match_keras(keras, oracle, name):
    ours, theirs = build_pair(
        keras, name, weights=None, include_top=False, pooling="avg", input_shape=(32, 32, 3)
    )
    assert_same_architecture(ours, theirs)
    assert_same_outputs(oracle, ours, theirs, images((1, 32, 32, 3)))
