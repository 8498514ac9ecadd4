"""The fine-tuning recipe: a frozen application base, a new head, two steps of `fit`; then the
base unfrozen. cornu's losses must be Keras's, and a frozen base's BatchNormalization layers
must run in inference mode (their moving statistics unchanged)."""

import numpy as np
from app_checks import randomize_batch_norm_statistics

import cornu


def _recipe(library, weights=None):
    base = library.applications.MobileNetV2(
        weights=None, alpha=0.35, include_top=False, input_shape=(32, 32, 3)
    )
    base.trainable = False
    inputs = library.Input((32, 32, 3))
    x = library.applications.mobilenet_v2.preprocess_input(inputs)
    x = base(x)
    x = library.layers.GlobalAveragePooling2D()(x)
    outputs = library.layers.Dense(3)(x)
    model = library.Model(inputs, outputs)
    if weights is not None:
        model.set_weights(weights)
    return base, model


def _data():
    rng = np.random.default_rng(0)
    x = (rng.random((8, 32, 32, 3)) * 255).astype("float32")
    y = rng.integers(0, 3, size=(8,))
    return x, y


def _fit(library, model, x, y, optimizer):
    model.compile(
        optimizer=optimizer,
        loss=library.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0).history["loss"]


def test_frozen_base_fit_and_fine_tune_give_keras_losses(keras, oracle):
    keras_base, keras_model = _recipe(keras)
    randomize_batch_norm_statistics(keras, keras_base)
    start = [oracle.numpy(w) for w in keras_model.get_weights()]
    base, model = _recipe(cornu, start)
    x, y = _data()

    assert len(model.trainable_weights) == len(keras_model.trainable_weights) == 2
    bn = base.get_layer("bn_Conv1")
    moving_mean = oracle.numpy(bn.moving_mean).copy()

    theirs = _fit(keras, keras_model, x, y, keras.optimizers.Adam(1e-2))
    ours = _fit(cornu, model, x, y, cornu.optimizers.Adam(1e-2))
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(oracle.numpy(bn.moving_mean), moving_mean)
    oracle.values(model.predict(x, verbose=0), keras_model.predict(x, verbose=0), atol=1e-4)

    # Fine-tuning: unfreeze the top blocks only (from block_16 on) at a low learning rate.
    # (SGD: some of these gradients are rounding noise around zero, whose sign Adam would
    # turn into full-size steps.)
    for library_base in (base, keras_base):
        library_base.trainable = True
        top = [layer.name for layer in library_base.layers].index("block_16_expand")
        for layer in library_base.layers[:top]:
            layer.trainable = False
    assert len(model.trainable_weights) == len(keras_model.trainable_weights)
    theirs = _fit(keras, keras_model, x, y, keras.optimizers.SGD(1e-3, momentum=0.9))
    ours = _fit(cornu, model, x, y, cornu.optimizers.SGD(1e-3, momentum=0.9))
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    # (The predictions after this phase are not compared: with random weights the top
    # features are saturated ReLU6 outputs, so the batch statistics of the unfrozen
    # BatchNormalization layers are rounding noise, and so are some of their gradients.)
