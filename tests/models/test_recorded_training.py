"""A ``training`` recorded with a layer call in a Functional graph (Keras writes one for
Dropout and the random augmentation layers) gives way to the model's own ``training``:
predict and evaluate never augment or drop, fit does, as in Keras."""

import numpy as np

import cornu

X = np.random.RandomState(0).rand(4, 6, 8, 3).astype("float32")


def test_a_call_recorded_with_training_true_is_inert_in_predict():
    inputs = cornu.Input((6, 8, 3))
    flipped = cornu.layers.RandomFlip(seed=1)(inputs, training=True)
    model = cornu.Model(inputs, flipped)
    np.testing.assert_array_equal(model.predict(X, verbose=0), X)
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(model(X, training=False)), X)
    assert not np.array_equal(cornu.ops.convert_to_numpy(model(X)), X)  # the recorded True


def test_a_keras_saved_model_with_dropout_and_augmentation(keras, tmp_path):
    inputs = keras.Input((6, 8, 3))
    hidden = keras.layers.Flatten()(keras.layers.RandomFlip(seed=1)(inputs))
    keras.Model(inputs, keras.layers.Dropout(0.5, seed=2)(hidden)).save(tmp_path / "m.keras")
    model = cornu.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(model.predict(X, verbose=0), X.reshape(4, -1))
    dropped = cornu.ops.convert_to_numpy(model(X, training=True)) == 0
    assert 0.3 < dropped.mean() < 0.7  # Keras recorded training=False for the Dropout call
