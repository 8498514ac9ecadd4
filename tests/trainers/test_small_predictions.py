"""Small predictions take the short paths (one batch without adapter or callbacks; a
Sequential's layers called without their per-call bookkeeping once an input signature has
been checked) and give exactly what the general paths give."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.layers.layer import Layer


def _mlp():
    return cornu.Sequential(
        [
            layers.Input((6,)),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
        ]
    )


@pytest.fixture
def layer_calls(monkeypatch):
    """Counts the calls of ``Layer.__call__`` (the full per-layer path)."""
    count = [0]
    original = Layer.__call__

    def counting(self, *args, **kwargs):
        count[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Layer, "__call__", counting)
    return count


def test_repeated_calls_skip_the_layer_machinery_with_the_same_values(layer_calls):
    model = _mlp()
    x = np.random.default_rng(0).normal(size=(1, 6)).astype("float32")
    layer_calls[0] = 0  # building the model called its layers on symbolic inputs
    first = ops.convert_to_numpy(model(x))
    full_calls = layer_calls[0]
    assert full_calls == 4  # the model and its three layers
    second = ops.convert_to_numpy(model(x))
    assert layer_calls[0] == full_calls  # the signature was checked: no per-layer call
    np.testing.assert_array_equal(second, first)
    # A new shape is checked by the full path once, then runs short too.
    x3 = np.concatenate([x, x, x])
    np.testing.assert_allclose(ops.convert_to_numpy(model(x3)), np.repeat(first, 3, 0), 1e-6)
    assert layer_calls[0] == 2 * full_calls
    model(x3)
    assert layer_calls[0] == 2 * full_calls


def test_training_flag_reaches_the_layers():
    model = _mlp()
    x = np.ones((64, 6), "float32")
    inference = [ops.convert_to_numpy(model(x, training=False)) for _ in range(2)]
    np.testing.assert_array_equal(inference[0], inference[1])
    np.testing.assert_array_equal(inference[0], ops.convert_to_numpy(model(x)))
    # Dropout is active with training=True (the full path), on every call.
    trained = [ops.convert_to_numpy(model(x, training=True)) for _ in range(2)]
    assert not np.allclose(trained[0], trained[1])


def test_a_wrong_shape_still_raises_after_fast_calls():
    model = _mlp()
    x = np.ones((2, 6), "float32")
    model(x)
    model(x)
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 6"):
        model(np.ones((2, 7), "float32"))


def test_dtype_casts_match_the_full_path():
    model = _mlp()
    x64 = np.random.default_rng(1).normal(size=(2, 6))
    out = [model(x64) for _ in range(2)]
    assert all(backend_dtype(o) == "float32" for o in out)
    np.testing.assert_array_equal(ops.convert_to_numpy(out[0]), ops.convert_to_numpy(out[1]))
    ints = np.arange(12).reshape(2, 6)
    out = [ops.convert_to_numpy(model(ints)) for _ in range(2)]
    np.testing.assert_array_equal(out[0], out[1])
    np.testing.assert_allclose(out[0], ops.convert_to_numpy(model(ints.astype("float32"))))


def backend_dtype(x):
    return cornu.backend.standardize_dtype(x.dtype)


def test_masks_flow_as_in_the_full_path():
    model = cornu.Sequential(
        [
            layers.Input((5,), dtype="int64"),
            layers.Embedding(10, 4, mask_zero=True),
            layers.GlobalAveragePooling1D(),
            layers.Dense(2),
        ]
    )
    x = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0]])
    first = ops.convert_to_numpy(model(x))
    second = ops.convert_to_numpy(model(x))
    np.testing.assert_array_equal(first, second)
    # The pooling averaged only the unmasked steps.
    embedded = ops.convert_to_numpy(model.layers[0](x))
    pooled = np.stack([embedded[0, :2].mean(0), embedded[1, :3].mean(0)])
    kernel, bias = model.layers[2].get_weights()
    np.testing.assert_allclose(second, pooled @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_activity_regularizer_set_later_is_collected(layer_calls):
    model = _mlp()
    x = np.ones((2, 6), "float32")
    model(x)
    model(x)
    model.layers[0].activity_regularizer = cornu.regularizers.L2(0.1)
    before = layer_calls[0]
    model(x)
    assert layer_calls[0] > before  # the full path, which adds the penalty
    assert len(model.losses) == 1


@pytest.mark.backends("torch")
def test_forward_hooks_still_run():
    model = _mlp()
    x = np.ones((2, 6), "float32")
    model(x)
    seen = []
    model.layers[0].register_forward_hook(lambda module, args, out: seen.append("layer"))
    model.register_forward_hook(lambda module, args, out: seen.append("model"))
    model(x)
    model(x)
    assert seen == ["layer", "model"] * 2


def test_predict_one_sample_equals_the_general_path():
    model = _mlp()
    x = np.random.default_rng(2).normal(size=(1, 6)).astype("float32")
    short = model.predict(x, verbose=0)
    seen = []
    record = cornu.callbacks.LambdaCallback(
        on_predict_batch_end=lambda batch, logs: seen.append(ops.convert_to_numpy(logs["outputs"]))
    )
    general = model.predict(x, verbose=0, callbacks=[record])
    assert len(seen) == 1  # callbacks given: the general loop, which calls them
    np.testing.assert_array_equal(short, general)
    np.testing.assert_array_equal(seen[0], general)
    np.testing.assert_array_equal(model.predict_on_batch(x), general)
    np.testing.assert_array_equal(ops.convert_to_numpy(model(x)), general)
    assert short.dtype == np.float32 and short.shape == (1, 3)


def test_predict_verbose_output_is_kept(capsys):
    model = _mlp()
    x = np.ones((1, 6), "float32")
    model.predict(x)
    assert capsys.readouterr().out == ""
    out = model.predict(x, verbose=1)
    printed = capsys.readouterr().out
    assert "1/1" in printed and "step" in printed
    np.testing.assert_array_equal(out, model.predict(x, verbose=0))
    model.predict(x, verbose=2)
    assert "1/1" in capsys.readouterr().out


def test_predict_converts_each_dtype_as_fit_does():
    model = _mlp()
    for x in (np.ones((1, 6)), np.ones((1, 6), "float16"), np.ones((1, 6), "int32")):
        for _ in range(2):  # the second conversion uses the decision made by the first
            out = model.predict(x, verbose=0)
            assert out.dtype == np.float32
            np.testing.assert_allclose(out, model.predict(np.ones((1, 6), "float32"), verbose=0))
    with pytest.raises(TypeError, match="must hold numbers"):
        model.predict(np.array([["a"] * 6]), verbose=0)
