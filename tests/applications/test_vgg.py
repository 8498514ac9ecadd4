from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
)


def test_vgg16_with_top_matches_keras(keras, oracle):
    ours, theirs = build_pair(keras, "VGG16", weights=None, input_shape=(32, 32, 3), classes=5)
    assert_same_architecture(ours, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 32, 32, 3)))


def test_vgg19_without_top_matches_keras(keras, oracle):
    ours, theirs = build_pair(
        keras, "VGG19", weights=None, include_top=False, pooling="avg", input_shape=(32, 32, 3)
    )
    assert_same_architecture(ours, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 32, 32, 3)))
