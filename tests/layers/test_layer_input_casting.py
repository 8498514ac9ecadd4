"""Integer and other non-float inputs, as Keras treats them: a model casts what it receives to
its Input's dtype (uint8 images and int64 arrays enter as float32), a bare layer leaves
integers alone (Flatten keeps int64, Embedding takes its indices) and a Dense of integers
promotes them as Keras's matmul does."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops

INTS = np.arange(8, dtype="int64").reshape(2, 4) % 3
IMAGES = (np.arange(2 * 4 * 4) % 7).astype("uint8").reshape(2, 4, 4, 1)


def _dtype(x):
    return str(ops.convert_to_numpy(x).dtype)


@pytest.mark.parametrize("with_input", [True, False])
def test_sequential_predict_on_int64_matches_float_input(with_input):
    stack = [layers.Dense(3)]
    model = cornu.Sequential(([cornu.Input((4,))] if with_input else []) + stack)
    out = model.predict(INTS, verbose=0)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, model.predict(INTS.astype("float32"), verbose=0), rtol=1e-6)


@pytest.mark.requires_training
def test_fit_on_uint8_images_equals_fit_on_the_same_floats():
    def trained(x):
        cornu.utils.set_random_seed(1)
        model = cornu.Sequential(
            [cornu.Input((4, 4, 1)), layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(3)]
        )
        model.compile("sgd", "sparse_categorical_crossentropy")
        history = model.fit(x, np.array([0, 2]), epochs=2, verbose=0, shuffle=False)
        return history.history["loss"], model.get_weights()

    loss_u8, weights_u8 = trained(IMAGES)
    loss_f32, weights_f32 = trained(IMAGES.astype("float32"))
    np.testing.assert_allclose(loss_u8, loss_f32, rtol=1e-6)
    for a, b in zip(weights_u8, weights_f32):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_functional_model_casts_to_its_input_dtype():
    inputs = cornu.Input((4,))
    model = cornu.Model(inputs, layers.Flatten()(inputs))
    assert _dtype(model(INTS)) == "float32"


def test_bare_dense_promotes_integer_inputs(oracle, keras):
    ours, theirs = layers.Dense(3), keras.layers.Dense(3)
    oracle.layer(ours, theirs, INTS)
    assert _dtype(ours(INTS)) == "float32"
    np.testing.assert_allclose(
        ops.convert_to_numpy(ours(INTS)), ops.convert_to_numpy(ours(INTS.astype("float32")))
    )


def test_integer_input_dense_model_gives_float32(keras):
    inputs = cornu.Input((4,), dtype="int32")
    model = cornu.Model(inputs, layers.Dense(3)(inputs))
    assert model.predict(INTS, verbose=0).dtype == np.float32


@pytest.mark.requires_training
def test_subclassed_model_trains_on_integers():
    class Net(cornu.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(3)

        def call(self, x):
            return self.dense(x)

    model = Net()
    assert _dtype(model(INTS)) == "float32"
    model.compile("sgd", "mse")
    history = model.fit(INTS, np.ones((2, 3), "float32"), verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.layers.Flatten(),
        lambda lib: lib.layers.Embedding(5, 2),
        lambda lib: lib.layers.BatchNormalization(),
        lambda lib: lib.layers.Rescaling(0.5),
    ],
    ids=["Flatten", "Embedding", "BatchNormalization", "Rescaling"],
)
def test_bare_layers_treat_integers_as_keras_does(keras, make):
    # Keras leaves integer inputs to each layer: Flatten keeps int64, Embedding looks them up.
    assert _dtype(make(cornu)(INTS)) == str(keras.ops.convert_to_numpy(make(keras)(INTS)).dtype)


def test_embedding_models_keep_taking_integer_indices(keras):
    inputs = cornu.Input((4,), dtype="int32")
    model = cornu.Model(inputs, layers.Embedding(5, 2)(inputs))
    table = ops.convert_to_numpy(model.layers[-1].embeddings)
    np.testing.assert_array_equal(model.predict(INTS, verbose=0), table[INTS])
    sequential = cornu.Sequential([layers.Embedding(5, 2)])
    out = sequential.predict(INTS, verbose=0)
    np.testing.assert_array_equal(out, ops.convert_to_numpy(sequential.layers[0].embeddings)[INTS])
