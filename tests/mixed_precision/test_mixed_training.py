"""Two training steps under mixed_bfloat16 and mixed_float16, against Keras's losses and
weights; mixed-policy models saved and loaded both ways with Keras."""

import numpy as np
import pytest

import cornu


def _model(lib):
    inputs = lib.Input((6,))
    x = lib.layers.Dense(8, activation="relu")(inputs)
    x = lib.layers.BatchNormalization()(x)
    x = lib.layers.Dense(3)(x)
    outputs = lib.layers.Activation("softmax", dtype="float32")(x)
    return lib.Model(inputs, outputs)


def _data():
    rng = np.random.default_rng(1)
    return rng.normal(size=(16, 6)).astype("float32"), rng.integers(0, 3, size=(16,))


@pytest.fixture
def policy(request, keras):
    name = request.param
    cornu.config.set_dtype_policy(name)
    keras.config.set_dtype_policy(name)
    yield name
    keras.config.set_dtype_policy("float32")
    cornu.config.set_dtype_policy("float32")


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"], indirect=True)
def test_two_steps_match_keras(keras, policy):
    x, y = _data()
    ours, theirs = _model(cornu), _model(keras)
    ours.set_weights(theirs.get_weights())
    for lib, model in ((cornu, ours), (keras, theirs)):
        model.compile(lib.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    ours_history = ours.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    theirs_history = theirs.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    tolerance = 2e-2 if policy == "mixed_bfloat16" else 2e-3
    np.testing.assert_allclose(ours_history["loss"], theirs_history["loss"], rtol=tolerance)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert a.dtype == b.dtype == np.float32
        np.testing.assert_allclose(a, b, atol=tolerance, rtol=tolerance)
    assert type(ours.optimizer).__name__ == type(theirs.optimizer).__name__
    if policy == "mixed_float16":  # compile wrapped the optimizer; its scale moved alike
        assert type(ours.optimizer).__name__ == "LossScaleOptimizer"
        assert float(ours.optimizer.dynamic_scale.numpy()) == float(
            keras.ops.convert_to_numpy(theirs.optimizer.dynamic_scale)
        )
    predictions = ours.predict(x, verbose=0)
    assert predictions.dtype == np.float32  # the float32 softmax layer


def test_auto_scale_loss_can_be_turned_off(policy=None):
    cornu.config.set_dtype_policy("mixed_float16")
    try:
        model = _model(cornu)
        model.compile("sgd", "mse", auto_scale_loss=False)
        assert type(model.optimizer).__name__ == "SGD"
        model.compile("sgd", "mse")
        assert type(model.optimizer).__name__ == "LossScaleOptimizer"
    finally:
        cornu.config.set_dtype_policy("float32")


@pytest.mark.parametrize("policy", ["mixed_bfloat16"], indirect=True)
def test_keras_files_both_ways(keras, policy, tmp_path):
    x, _ = _data()
    ours, theirs = _model(cornu), _model(keras)
    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    keras.config.set_dtype_policy("float32")
    cornu.config.set_dtype_policy("float32")
    from_ours = keras.saving.load_model(tmp_path / "ours.keras")
    from_theirs = cornu.saving.load_model(tmp_path / "theirs.keras")
    for model in (from_ours, from_theirs):
        names = [layer.dtype_policy.name for layer in model.layers[1:]]
        assert names == ["mixed_bfloat16", "mixed_bfloat16", "mixed_bfloat16", "float32"]
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(from_ours.predict(x, verbose=0)),
        ours.predict(x, verbose=0),
        atol=1e-2,
    )
    np.testing.assert_allclose(
        from_theirs.predict(x, verbose=0),
        keras.ops.convert_to_numpy(theirs.predict(x, verbose=0)),
        atol=1e-2,
    )
    assert from_theirs.layers[1].kernel.dtype == ours.layers[1].kernel.dtype


@pytest.mark.parametrize("policy", ["mixed_bfloat16"], indirect=True)
def test_float32_layer_inside_a_mixed_model(keras, policy):
    x, _ = _data()
    dtypes = []
    for lib in (cornu, keras):
        inputs = lib.Input((6,))
        hidden = lib.layers.Dense(4, name="mixed")(inputs)
        wide = lib.layers.Dense(4, dtype="float32", name="wide")(hidden)
        model = lib.Model(inputs, [hidden, wide])
        symbolic = [lib.backend.standardize_dtype(t.dtype) for t in model.outputs]
        eager = [lib.backend.standardize_dtype(t.dtype) for t in model(x)]
        dtypes.append((symbolic, eager, model.get_layer("wide").kernel.dtype))
    ours, theirs = dtypes
    assert ours[0] == theirs[0] == ["bfloat16", "float32"]
    assert ours[1] == theirs[1] == ["bfloat16", "float32"]
    assert cornu.backend.standardize_dtype(ours[2]) == "float32"
