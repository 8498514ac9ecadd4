from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)


def test_densenet121_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras, "DenseNet121", weights=None, input_shape=(32, 32, 3), classes=3
    )
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 32, 32, 3)))


def test_densenet169_and_201_match_keras(keras):
    for name in ("DenseNet169", "DenseNet201"):
        ours, theirs = build_pair(
            keras, name, weights=None, include_top=False, pooling="max", input_shape=(32, 32, 3)
        )
        assert_same_architecture(ours, theirs)
