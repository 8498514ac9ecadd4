"""Files of models with random layers (Dropout, GaussianNoise, RandomFlip, ...), both ways.

Keras 3.15.1 keeps a SeedGenerator's state out of ``.keras`` and ``.weights.h5`` files (its
SeedGenerator is not saveable): the random layers' ``vars`` groups are empty, and cornu's
files must match that layout for Keras to load them."""

import io
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import cornu


def image_augmentation(lib):
    layers = lib.layers
    return lib.Sequential(
        [
            lib.Input((8, 8, 3)),
            layers.RandomFlip(seed=3),
            layers.RandomRotation(0.1, seed=4),
            layers.RandomZoom(0.1),
            layers.RandomTranslation(0.1, 0.1),
            layers.RandomContrast(0.2),
            layers.Conv2D(2, 3),
            layers.GaussianNoise(0.1),
            layers.Flatten(),
            layers.Dropout(0.5, seed=1),
            layers.Dense(2),
        ]
    )


def noisy_functional(lib):
    layers = lib.layers
    x = lib.Input((6,))
    h = layers.Dense(5)(layers.GaussianDropout(0.2)(x))
    h = layers.AlphaDropout(0.1)(layers.Dropout(0.3)(h))
    seq = layers.Reshape((5, 1))(h)
    seq = layers.SpatialDropout1D(0.2)(seq)
    out = layers.LSTM(2, dropout=0.2, recurrent_dropout=0.1)(seq)
    return lib.Model(x, out)


MODELS = {
    "image_augmentation": (image_augmentation, (4, 8, 8, 3)),
    "noisy_functional": (noisy_functional, (4, 6)),
}


def _layout(data):
    found = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visititems(lambda n, o: found.__setitem__(n, getattr(o, "shape", "group")))
    return found


def _weights_of(path):
    with zipfile.ZipFile(path) as archive:
        return archive.read("model.weights.h5")


def _model(lib, name):
    model = MODELS[name][0](lib)
    rng = np.random.RandomState(1)
    model.set_weights([rng.uniform(-1, 1, w.shape).astype(w.dtype) for w in model.get_weights()])
    return model


def _data(name):
    return np.random.RandomState(0).rand(*MODELS[name][1]).astype("float32")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_keras_file_with_random_layers_loads_without_warnings(keras, tmp_path, name):
    model = _model(keras, name)
    path = str(tmp_path / "keras.keras")
    model.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        loaded = cornu.saving.load_model(path)
    np.testing.assert_allclose(
        loaded.predict(_data(name), verbose=0), model.predict(_data(name), verbose=0), atol=1e-5
    )
    again = str(tmp_path / "cornu.keras")
    loaded.save(again)
    assert _layout(_weights_of(again)) == _layout(_weights_of(path))
    assert not any("seed" in key for key in _layout(_weights_of(path)))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_cornu_file_with_random_layers_loads_in_keras(keras, tmp_path, name):
    model = _model(cornu, name)
    path = str(tmp_path / "cornu.keras")
    model.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        theirs = keras.saving.load_model(path)
    np.testing.assert_allclose(
        theirs.predict(_data(name), verbose=0), model.predict(_data(name), verbose=0), atol=1e-5
    )
    weights_path = str(tmp_path / "cornu.weights.h5")
    model.save_weights(weights_path)
    other = _model(keras, name)
    other.load_weights(weights_path)
    np.testing.assert_allclose(
        other.predict(_data(name), verbose=0), model.predict(_data(name), verbose=0), atol=1e-5
    )


def test_a_random_layer_config_keeps_its_seed(keras, tmp_path):
    model = cornu.Sequential([cornu.Input((4, 4, 1)), cornu.layers.RandomFlip(seed=7)])
    path = str(tmp_path / "flip.keras")
    model.save(path)
    assert keras.saving.load_model(path).layers[0].seed == 7
    assert cornu.saving.load_model(path).layers[0].get_config()["seed"] == 7
