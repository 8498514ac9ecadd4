from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)


def test_xception_matches_keras(keras, oracle):
    ours, theirs = build_pair(keras, "Xception", weights=None, input_shape=(71, 71, 3), classes=3)
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((1, 71, 71, 3)))
