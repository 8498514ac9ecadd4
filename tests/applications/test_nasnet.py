from app_checks import (
    assert_same_architecture,
    assert_same_outputs,
    images,
    randomize_batch_norm_statistics,
)

import cornu
from cornu.applications import nasnet


def test_nasnet_mobile_matches_keras_nasnet_builder(keras, oracle):
    # Keras refuses NASNetMobile on torch; its NASNet builder with the mobile settings is
    # the same network.
    from keras.src.applications import nasnet as keras_nasnet

    settings = dict(
        input_shape=(32, 32, 3),
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        filter_multiplier=2,
        weights=None,
        classes=3,
        default_size=224,
        name="nasnet_mobile",
    )
    keras.backend.clear_session()
    cornu.backend.reset_names()
    ours = cornu.applications.NASNetMobile(weights=None, input_shape=(32, 32, 3), classes=3)
    theirs = keras_nasnet.NASNet(**settings)
    assert_same_architecture(ours, theirs)
    randomize_batch_norm_statistics(keras, theirs)
    assert_same_outputs(oracle, ours, theirs, images((1, 32, 32, 3)))


def test_nasnet_large_layers_match_keras(keras):
    keras.backend.clear_session()
    cornu.backend.reset_names()
    ours = nasnet.NASNetLarge(weights=None, include_top=False, input_shape=(32, 32, 3))
    theirs = keras.applications.NASNetLarge(
        weights=None, include_top=False, input_shape=(32, 32, 3)
    )
    assert_same_architecture(ours, theirs)
