"""Rescaling and Normalization (values against Keras, adapt, models, saving, errors)."""

import numpy as np
import pytest
from oracle import keras_difference

import cornu
from cornu import backend, ops
from cornu.layers.preprocessing.normalization import Normalization
from cornu.layers.preprocessing.rescaling import Rescaling
from cornu.testing import run_layer_test
from cornu.utils import PyDataset

CUSTOM = {"Normalization": Normalization, "Rescaling": Rescaling}


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _without_name(config):
    return {k: v for k, v in config.items() if k != "name"}


def _data(shape=(20, 4, 3), seed=1):
    return np.random.RandomState(seed).normal(3.0, 2.0, shape).astype("float32")


# ---- Rescaling -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scale": 1 / 255},
        {"scale": 1 / 127.5, "offset": -1},
        {"scale": [0.5, 1.0, 2.0], "offset": [1.0, -2.0, 3.0]},
        {"scale": np.array([0.5, 1.0, 2.0]), "offset": 0.25},
    ],
)
def test_rescaling_matches_keras(keras, kwargs):
    x = np.random.RandomState(0).uniform(0, 255, (2, 4, 5, 3)).astype("float32")
    ours, theirs = Rescaling(**kwargs), keras.layers.Rescaling(**kwargs)
    np.testing.assert_array_equal(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)))
    assert _without_name(ours.get_config()) == _without_name(theirs.get_config())
    clone = Rescaling.from_config(ours.get_config())
    np.testing.assert_array_equal(_np(clone(x)), _np(ours(x)))


def test_rescaling_integer_inputs_give_floats_and_layer_test(keras):
    x = np.arange(24, dtype="uint8").reshape(2, 4, 3)
    out = Rescaling(1 / 255, offset=0.5)(x)
    assert backend.standardize_dtype(out.dtype) == "float32"
    expected = keras.layers.Rescaling(1 / 255, offset=0.5)(x)
    np.testing.assert_array_equal(_np(out), keras.ops.convert_to_numpy(expected))
    layer = run_layer_test(
        Rescaling,
        {"scale": [1.0, 2.0, 3.0], "offset": 1.0},
        input_shape=(2, 4, 3),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )
    assert layer.get_config()["scale"] == [1.0, 2.0, 3.0]


def test_rescaling_channels_first_scales_along_axis_1(keras):
    x = np.random.RandomState(0).uniform(0, 1, (2, 3, 4, 5)).astype("float32")
    scale = [1.0, 10.0, 100.0]
    backend.set_image_data_format("channels_first")
    keras.config.set_image_data_format("channels_first")
    try:
        ours = _np(Rescaling(scale, offset=2.0)(x))
        theirs = keras.ops.convert_to_numpy(keras.layers.Rescaling(scale, offset=2.0)(x))
        # Keras leaves a per-channel offset unshaped; cornu follows the channels like scale.
        shifted = _np(Rescaling(scale, offset=[1.0, 2.0, 3.0])(x))
    finally:
        backend.set_image_data_format("channels_last")
        keras.config.set_image_data_format("channels_last")
    np.testing.assert_array_equal(ours, theirs)
    expected = x * np.array(scale)[:, None, None] + np.array([1.0, 2.0, 3.0])[:, None, None]
    np.testing.assert_allclose(shifted, expected, rtol=1e-6)


@pytest.mark.parametrize("bad", [None, "half", ["a", "b"], True])
def test_rescaling_rejects_non_numbers(bad):
    with pytest.raises(ValueError, match=r"Rescaling expects `scale` to be a number"):
        Rescaling(bad)
    with pytest.raises(ValueError, match=r"`offset`.*Received: offset="):
        Rescaling(1.0, offset=bad)


# ---- Normalization: values -------------------------------------------------------------------


def _keras_torch_weights(weights):
    """Keras's Normalization weights as Keras on torch (which cornu follows) gives them."""
    known = keras_difference("layers.Normalization.weights")
    return weights if known is None else known[1](weights)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"axis": None}, {"axis": (1, 2)}, {"axis": 1}, {"axis": (0, -1)}, {"invert": True}],
)
def test_normalization_adapt_on_array_matches_keras(keras, kwargs):
    data = _data()
    ours, theirs = Normalization(**kwargs), keras.layers.Normalization(**kwargs)
    ours.adapt(data)
    theirs.adapt(data)
    for a, b in zip(ours.get_weights(), _keras_torch_weights(theirs.get_weights())):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    x = data if 0 in ours._keep_axis else _data((5, 4, 3), seed=2)
    np.testing.assert_allclose(
        _np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), rtol=1e-5, atol=1e-5
    )
    assert _without_name(ours.get_config()) == _without_name(theirs.get_config())
    assert ours.get_build_config() == {"input_shape": [20, 4, 3]}


def test_normalization_adapt_on_tensor_matches_keras(keras):
    data = _data((30, 5))
    ours, theirs = Normalization(invert=True), keras.layers.Normalization(invert=True)
    ours.adapt(ops.convert_to_tensor(data))
    theirs.adapt(keras.ops.convert_to_tensor(data))
    np.testing.assert_allclose(
        _np(ours(data[:4])), keras.ops.convert_to_numpy(theirs(data[:4])), rtol=1e-5, atol=1e-5
    )
    expected = data[:4] * data.std(0) + data.mean(0)
    np.testing.assert_allclose(_np(ours(data[:4])), expected, rtol=1e-5, atol=1e-4)


class _Batches(PyDataset):
    def __init__(self, x, batch_size):
        super().__init__()
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        x = self.x[index * self.batch_size : (index + 1) * self.batch_size]
        return x, np.zeros((len(x), 1), "float32")


@pytest.mark.parametrize("kind", ["generator", "list", "tensors", "py_dataset"])
@pytest.mark.parametrize("kwargs", [{}, {"axis": None}, {"axis": (1, 2)}])
def test_normalization_adapt_on_batches_equals_whole_data(keras, kind, kwargs):
    data = _data((23, 4, 3))
    if kind == "generator":
        source = (data[i : i + 5] for i in range(0, 23, 5))
    elif kind == "list":
        source = [(data[:10],), (data[10:],)]
    elif kind == "tensors":
        source = [ops.convert_to_tensor(data[i : i + 7]) for i in range(0, 23, 7)]
    else:
        source = _Batches(data, 6)
    ours = Normalization(**kwargs)
    ours.adapt(source)
    # Keras's adapt on iterables needs TensorFlow; its whole-array adapt is the reference.
    theirs = keras.layers.Normalization(**kwargs)
    theirs.adapt(data)
    for a, b in zip(ours.get_weights()[:2], theirs.get_weights()[:2]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        _np(ours(data)), keras.ops.convert_to_numpy(theirs(data)), rtol=1e-5, atol=1e-5
    )


def test_normalization_adapt_skips_empty_batches():
    data = _data((10, 3))
    layer, reference = Normalization(), Normalization()
    layer.adapt([data[:0], data[:4], data[4:4], data[4:]])
    reference.adapt(data)
    for a, b in zip(layer.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_normalization_streaming_variance_is_numerically_sound():
    # A large offset with a tiny spread: a sum-of-squares update would lose the variance.
    rng = np.random.RandomState(0)
    data = (1e4 + rng.standard_normal((4000, 2)) * 1e-2).astype("float32")
    layer = Normalization()
    layer.adapt(data[i : i + 100] for i in range(0, 4000, 100))
    mean, variance, _ = layer.get_weights()
    exact = data.astype("float64")
    np.testing.assert_allclose(mean, exact.mean(0), rtol=1e-7)
    np.testing.assert_allclose(variance, exact.var(0), rtol=2e-2)


def test_normalization_given_mean_and_variance_matches_keras(keras):
    x = _data((3, 2, 3))
    for kwargs in (
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
        {"mean": 3.0, "variance": 2.0, "axis": None},
        {"mean": [[1.0], [2.0]], "variance": [[4.0], [1.0]], "axis": (1, 2)},
        {"mean": [1.0, 2.0], "variance": [4.0, 1.0], "axis": 1, "invert": True},
    ):
        ours, theirs = Normalization(**kwargs), keras.layers.Normalization(**kwargs)
        np.testing.assert_allclose(
            _np(ours(x)), keras.ops.convert_to_numpy(theirs(x)), rtol=1e-6, atol=1e-6
        )
        assert ours.get_weights() == []
        assert _without_name(ours.get_config()) == _without_name(theirs.get_config())
    run_layer_test(
        Normalization,
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        supports_masking=True,
    )


def test_normalization_not_adapted_is_identity_like_keras(keras):
    x = _data((2, 3))
    ours, theirs = Normalization(), keras.layers.Normalization()
    np.testing.assert_array_equal(_np(ours(x)), keras.ops.convert_to_numpy(theirs(x)))
    np.testing.assert_array_equal(_np(ours(x)), x)
    assert [w.name for w in ours.weights] == ["mean", "variance", "count"]
    theirs_weights = _keras_torch_weights([keras.ops.convert_to_numpy(w) for w in theirs.weights])
    assert [backend.standardize_dtype(w.dtype) for w in ours.weights] == [
        str(w.dtype) for w in theirs_weights
    ]


def test_normalization_call_before_build_raises_keras_error(keras):
    x = _data((2, 3))
    with pytest.raises(ValueError) as theirs:
        keras.layers.Normalization().call(x)
    with pytest.raises(ValueError) as ours:
        Normalization().call(x)
    assert str(ours.value) == str(theirs.value)
    assert "You must call `.build(input_shape)`" in str(ours.value)


# ---- Normalization: errors -------------------------------------------------------------------


def test_normalization_argument_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match="must have the same shape"):
        Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match=r"rank of `mean` must be less than or equal"):
        Normalization(mean=[[1.0]], variance=[[1.0]])
    with pytest.raises(ValueError, match=r"`axis` to be an int, a tuple of ints or None"):
        Normalization(axis="last")
    with pytest.raises(ValueError, match=r"must be in the range \[-ndim, ndim\)"):
        Normalization(axis=3)(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"keeps axes \(1,\) of inputs of shape \(2, 3\), but"):
        layer = Normalization()
        layer(np.ones((2, 3), "float32"))
        layer(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"`mean` of shape \(2,\) cannot be broadcast"):
        Normalization(mean=[1.0, 2.0], variance=[1.0, 1.0])(np.ones((2, 3), "float32"))


def test_normalization_adapt_errors():
    layer = Normalization()
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"built with input_shape=\(2, 3\).*data.shape=\(4, 5\)"):
        layer.adapt(np.ones((4, 5), "float32"))
    with pytest.raises(ValueError, match="adapt\\(\\) yielded a batch with an incompatible"):
        layer.adapt([np.ones((4, 3), "float32"), np.ones((4, 2), "float32")])
    with pytest.raises(ValueError, match="empty iterable"):
        Normalization().adapt([])
    with pytest.raises(TypeError, match="Got an element of type float"):
        Normalization().adapt([1.0, 2.0])
    with pytest.raises(TypeError, match="Got an element of type int"):
        Normalization().adapt([np.ones((2, 3), "float32"), 5])
    with pytest.raises(ValueError, match="only empty batches"):
        Normalization().adapt([np.ones((0, 3), "float32")])
    with pytest.raises(TypeError, match="Unsupported data type"):
        Normalization().adapt(3.0)
    with pytest.raises(ValueError, match="was given `mean` and `variance`"):
        Normalization(mean=0.0, variance=1.0).adapt(np.ones((2, 3), "float32"))


# ---- in models, saving -----------------------------------------------------------------------


def _regression_data():
    rng = np.random.RandomState(0)
    x = rng.normal(5.0, 3.0, (16, 4)).astype("float32")
    return x, x.sum(1, keepdims=True)


@pytest.mark.requires_training
def test_normalization_and_rescaling_in_a_sequential_model_fit_predict_save(tmp_path):
    x, y = _regression_data()
    norm = Normalization()
    norm.adapt(x)
    model = cornu.Sequential(
        [cornu.Input((4,)), Rescaling(0.5, offset=1.0), norm, cornu.layers.Dense(1)]
    )
    norm.adapt(x * 0.5 + 1.0)  # adapt after build: the weights follow
    adapted = norm.get_weights()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    for a, b in zip(norm.get_weights(), adapted):  # not trainable: fit leaves them alone
        np.testing.assert_array_equal(a, b)
    predictions = model.predict(x, verbose=0)
    dense = model.layers[-1]
    kernel, bias = (_np(w) for w in dense.get_weights())
    scaled = x * 0.5 + 1.0
    normalized = (scaled - scaled.mean(0)) / scaled.std(0)
    np.testing.assert_allclose(predictions, normalized @ kernel + bias, rtol=1e-4, atol=1e-4)

    path = tmp_path / "normalized.keras"
    model.save(path)
    loaded = cornu.saving.load_model(path, custom_objects=CUSTOM)
    for a, b in zip(loaded.layers[1].get_weights(), adapted):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), predictions, rtol=1e-6, atol=1e-6)


def test_normalization_saved_by_keras_loads_in_cornu(keras, tmp_path):
    x, _ = _regression_data()
    norm = keras.layers.Normalization(axis=-1)
    norm.adapt(x)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Rescaling(2.0), norm, keras.layers.Dense(2)]
    )
    path = tmp_path / "keras_model.keras"
    model.save(path)
    loaded = cornu.saving.load_model(path, custom_objects=CUSTOM)
    assert isinstance(loaded.layers[1], Normalization)
    for a, b in zip(loaded.layers[1].get_weights(), norm.get_weights()):
        np.testing.assert_array_equal(a, b)
    expected = keras.ops.convert_to_numpy(model(x))
    np.testing.assert_allclose(_np(loaded(x)), expected, rtol=1e-5, atol=1e-5)


def test_normalization_saved_by_cornu_loads_in_keras(keras, tmp_path):
    x, _ = _regression_data()
    norm = Normalization(axis=None, invert=True)
    norm.adapt(x)
    model = cornu.Sequential([cornu.Input((4,)), norm, cornu.layers.Dense(2)])
    path = tmp_path / "cornu_model.keras"
    model.save(path)
    theirs = keras.saving.load_model(path)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(theirs(x)), _np(model(x)), rtol=1e-5, atol=1e-5
    )


def test_normalization_config_round_trip_keeps_build_and_weights():
    layer = Normalization(axis=(1, 2))
    layer.adapt(_data())
    config, build = layer.get_config(), layer.get_build_config()
    clone = Normalization.from_config(config)
    clone.build_from_config(build)
    assert clone.get_config() == config
    assert [w.shape for w in clone.get_weights()] == [(4, 3), (4, 3), ()]
    clone.set_weights(layer.get_weights())  # call reads the variables: no finalize_state
    x = _data((2, 4, 3), seed=3)
    np.testing.assert_allclose(_np(clone(x)), _np(layer(x)), rtol=1e-6)
