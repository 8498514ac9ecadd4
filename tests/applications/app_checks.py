"""Shared checks for the applications tests: build an architecture in cornu and in Keras,
compare the layer list, parameter counts and outputs, with weights copied both ways."""

import numpy as np

import cornu


def build_pair(keras, name, **kwargs):
    """The same constructor in cornu and in Keras, fresh names on both sides."""
    keras.backend.clear_session()
    cornu.backend.reset_names()
    ours = getattr(cornu.applications, name)(**kwargs)
    theirs = getattr(keras.applications, name)(**kwargs)
    return ours, theirs


def assert_same_architecture(ours, theirs):
    """Same layers (class, name, parameter count, in order), model name and output shape."""
    assert ours.name == theirs.name
    ours_layers = [
        (type(layer).__name__, layer.name, layer.count_params()) for layer in ours.layers
    ]
    theirs_layers = [
        (type(layer).__name__, layer.name, layer.count_params()) for layer in theirs.layers
    ]
    assert ours_layers == theirs_layers
    assert ours.count_params() == theirs.count_params()
    assert len(ours.trainable_weights) == len(theirs.trainable_weights)
    assert tuple(ours.output.shape) == tuple(theirs.output.shape)


def images(shape, seed=0):
    """Random images in [0, 255], float32."""
    return (np.random.default_rng(seed).random(shape) * 255).astype("float32")


def assert_same_outputs(oracle, ours, theirs, x, atol=1e-4):
    """Copies Keras's weights into ours and compares the predictions."""
    ours.set_weights([oracle.numpy(w) for w in theirs.get_weights()])
    oracle.values(ours(x), theirs(x), atol=atol, rtol=1e-4)


def randomize_batch_norm_statistics(keras, model, seed=1):
    """Gives every BatchNormalization non-trivial moving statistics (so that a mismatch in
    how they are used shows)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            mean, var = layer.moving_mean, layer.moving_variance
            mean.assign(rng.normal(0, 0.1, mean.shape).astype("float32"))
            var.assign(rng.uniform(0.5, 1.5, var.shape).astype("float32"))
