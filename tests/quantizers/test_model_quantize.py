"""``model.quantize``: a model of Dense, EinsumDense and Embedding layers quantized by cornu
predicts what the same model quantized by Keras predicts, and its ``.keras`` file moves both
ways between cornu and Keras with the same predictions."""

import warnings

import numpy as np
import pytest

import cornu

RNG = np.random.RandomState(0)
X = RNG.randn(6, 8).astype("float32")
IDS = RNG.randint(0, 10, (6, 3))


def _model(lib):
    features = lib.Input((8,), name="features")
    tokens = lib.Input((3,), dtype="int32", name="tokens")
    hidden = lib.layers.Dense(16, activation="relu", name="hidden")(features)
    hidden = lib.layers.BatchNormalization(name="norm")(hidden)
    projected = lib.layers.EinsumDense("ab,bc->ac", 4, bias_axes="c", name="proj")(hidden)
    embedded = lib.layers.Embedding(10, 4, name="embed")(tokens)
    pooled = lib.layers.GlobalAveragePooling1D(name="pool")(embedded)
    return lib.Model([features, tokens], lib.layers.Add(name="add")([projected, pooled]))


def _pair(keras):
    theirs, ours = _model(keras), _model(cornu)
    ours.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    return ours, theirs


def _policies(model):
    names = ("hidden", "norm", "proj", "embed")
    return {name: model.get_layer(name).dtype_policy.name for name in names}


def _quantize(model, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the layers without a quantized form
        model.quantize(*args, **kwargs)


@pytest.mark.parametrize("mode", ["int8", "int4", "float8"])
def test_quantized_model_predicts_as_keras_and_files_move_both_ways(oracle, keras, mode, tmp_path):
    ours, theirs = _pair(keras)
    float_out = ours.predict([X, IDS], verbose=0)
    _quantize(ours, mode)
    _quantize(theirs, mode)
    assert _policies(ours) == _policies(theirs)
    expected = oracle.numpy(theirs.predict([X, IDS], verbose=0))
    out = ours.predict([X, IDS], verbose=0)
    np.testing.assert_allclose(out, expected, atol=1e-5, rtol=1e-5)
    bound = {"int8": 0.05, "int4": 0.3, "float8": 0.15}[mode]
    assert np.abs(out - float_out).max() <= bound * np.abs(float_out).max()

    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    in_keras = keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(oracle.numpy(in_keras.predict([X, IDS], verbose=0)), out, atol=1e-5)
    for path in ("ours.keras", "theirs.keras"):
        loaded = cornu.saving.load_model(tmp_path / path)
        assert loaded.get_layer("hidden").quantization_mode == mode
        np.testing.assert_allclose(loaded.predict([X, IDS], verbose=0), out, atol=1e-5)


def test_filters_and_skipped_layers(keras):
    ours, theirs = _pair(keras)
    with pytest.warns(UserWarning, match="Layer BatchNormalization does not have a `quantize`"):
        ours.quantize("int8", filters=["hid", "norm"])
    theirs.quantize("int8", filters=["hid", "norm"])
    assert _policies(ours) == _policies(theirs)
    assert ours.get_layer("proj").quantization_mode is None
    other = _model(cornu)
    _quantize(other, "int4", filters=lambda layer: layer.name == "embed")
    assert [layer.name for layer in other.layers if layer.quantization_mode] == ["embed"]
    with pytest.raises(ValueError, match="The `filters` argument must be a regex string"):
        other.quantize("int8", filters=3)


def test_quantize_errors(keras):
    ours, theirs = _pair(keras)
    for model in (ours, theirs):
        _quantize(model, "int8")
    with pytest.raises(ValueError) as expected:
        theirs.quantize("int8")
    with pytest.raises(ValueError) as got:
        ours.quantize("int8")
    assert str(got.value) == str(expected.value)
    fresh = cornu.Sequential([cornu.layers.Dense(2)])
    with pytest.raises(ValueError, match="Cannot quantize a layer that isn't yet built"):
        fresh.quantize("int8")
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Sequential"):
        cornu.Sequential([cornu.Input((2,)), cornu.layers.Dense(2)]).quantize("int8", bad=1)


@pytest.mark.backends("torch")
def test_torch_module_holds_the_quantized_weights_only():
    model = cornu.Sequential(
        [cornu.Input((4,)), cornu.layers.Dense(3), cornu.layers.Embedding(9, 2)]
    )
    model.quantize("int8")
    state = {k: (tuple(v.shape), str(v.dtype)) for k, v in model.state_dict().items()}
    assert state == {
        "dense.kernel": ((4, 3), "torch.int8"),
        "dense.bias": ((3,), "torch.float32"),
        "dense.kernel_scale": ((3,), "torch.float32"),
        "embedding.embeddings": ((9, 2), "torch.int8"),
        "embedding.embeddings_scale": ((9,), "torch.float32"),
    }
    assert [v.name for v in model.trainable_weights] == ["bias"]
    assert model.count_params() == 4 * 3 + 3 + 3 + 9 * 2 + 9
