from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    build_pair,
    images,
    randomize_batch_norm_statistics,
)

import cornu


def test_resnet50_architecture_and_outputs_match_keras(keras, oracle):
    ours, theirs = build_pair(keras, "ResNet50", weights=None, input_shape=(32, 32, 3), classes=7)
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 32, 32, 3)))


def test_resnet101_and_152_layer_counts_match_keras(keras):
    for name in ("ResNet101", "ResNet152"):
        ours, theirs = build_pair(
            keras, name, weights=None, include_top=False, input_shape=(32, 32, 3)
        )
        assert_same_architecture(ours, theirs)


def test_resnet_v2_architecture_and_outputs_match_keras(keras, oracle):
    ours, theirs = build_pair(
        keras,
        "ResNet50V2",
        weights=None,
        include_top=False,
        pooling="max",
        input_shape=(48, 40, 3),
    )
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((2, 48, 40, 3)))


def test_resnet50_channels_first_matches_keras(keras, oracle):
    cornu.backend.set_image_data_format("channels_first")
    keras.config.set_image_data_format("channels_first")
    try:
        ours, theirs = build_pair(
            keras, "ResNet50", weights=None, include_top=False, input_shape=(3, 32, 32)
        )
        assert_same_architecture(ours, theirs)
        randomize_batch_norm_statistics(keras, theirs)
        assert_same_outputs(oracle, ours, theirs, images((1, 3, 32, 32)))
    finally:
        cornu.backend.set_image_data_format("channels_last")
        keras.config.set_image_data_format("channels_last")
