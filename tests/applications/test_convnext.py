from app_checks import assert_same_architecture, assert_same_outputs, build_pair, images


def test_convnext_tiny_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras, "ConvNeXtTiny", weights=None, input_shape=(32, 32, 3), classes=4
    )
    assert_same_architecture(ours, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 32, 32, 3)))


def test_convnext_small_without_top_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras,
        "ConvNeXtSmall",
        weights=None,
        include_top=False,
        pooling="avg",
        input_shape=(32, 32, 3),
    )
    assert_same_architecture(ours, theirs)
    assert_same_outputs(oracle, ours, theirs, images((1, 32, 32, 3)))
