"""clone_model: the same architecture with new layers, as Keras clones."""

import numpy as np
import pytest

import cornu
from cornu.models import clone_model

L = cornu.layers


def _functional():
    a = cornu.Input((3,), name="a")
    b = cornu.Input((2,), name="b")
    shared = L.Dense(2, name="shared")
    merged = L.Concatenate(name="cat")([shared(a), L.Dense(2, name="side")(b)])
    return cornu.Model([a, b], [L.Dense(1, name="o1")(merged), shared(L.Dense(3)(merged))])


def _x():
    rng = np.random.RandomState(0)
    return [rng.rand(4, 3).astype("float32"), rng.rand(4, 2).astype("float32")]


def test_a_functional_clone_has_new_weights_and_the_same_graph():
    model = _functional()
    clone = clone_model(model)
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert not any(a is b for a, b in zip(clone.layers, model.layers))
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    assert len(clone.weights) == len(model.weights)  # the shared layer stays shared
    clone.set_weights(model.get_weights())
    for p, q in zip(clone.predict(_x(), verbose=0), model.predict(_x(), verbose=0)):
        np.testing.assert_allclose(p, q, rtol=1e-6)
    assert clone.get_config() == model.get_config()


def test_a_sequential_clone_keeps_its_input_and_compile_settings():
    model = cornu.Sequential([cornu.Input((3,), name="x"), L.Dense(4), L.Dropout(0.1), L.Dense(1)])
    model.compile(optimizer=cornu.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    clone = clone_model(model)
    assert clone.inputs[0].shape == (None, 3) and clone._stack[0].name == "x"
    assert [type(x) for x in clone.layers] == [type(x) for x in model.layers]
    assert clone.compiled and isinstance(clone.optimizer, cornu.optimizers.SGD)
    assert clone.optimizer is not model.optimizer
    assert clone.optimizer.learning_rate == pytest.approx(0.1)
    deferred = cornu.Sequential([L.Dense(2)])
    assert not clone_model(deferred).built


def test_clone_function_call_function_and_input_tensors():
    model = _functional()

    def narrower(layer):
        config = layer.get_config()
        if layer.name == "side":
            config["units"] = 5
        return layer.__class__.from_config(config)

    assert clone_model(model, clone_function=narrower).get_layer("side").units == 5
    same = clone_model(model, clone_function=lambda layer: layer)
    assert same.get_layer("shared") is model.get_layer("shared")

    def with_dropout(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        return L.Dropout(0.5)(out) if layer.name == "o1" else out

    longer = clone_model(model, call_function=with_dropout)
    assert len(longer.layers) == len(model.layers) + 1
    a, b = cornu.Input((3,), name="new_a"), cornu.Input((2,), name="new_b")
    rebuilt = clone_model(model, input_tensors=[a, b])
    assert rebuilt.inputs[0] is a and rebuilt.inputs[1] is b
    with pytest.raises(ValueError, match="must be KerasTensors"):
        clone_model(model, input_tensors=[np.ones((1, 3)), b])
    with pytest.raises(ValueError, match="`call_function` argument is not supported"):
        clone_model(cornu.Sequential([cornu.Input((2,)), L.Dense(1)]), call_function=with_dropout)


def test_nested_models_are_cloned_only_when_recursive():
    inner = cornu.Sequential([cornu.Input((3,)), L.Dense(3)], name="inner")
    x = cornu.Input((3,))
    model = cornu.Model(x, L.Dense(1)(inner(x)))
    flat = clone_model(model)
    deep = clone_model(model, recursive=True)
    assert flat.get_layer("inner") is not inner and deep.get_layer("inner") is not inner
    seen = []
    clone_model(model, clone_function=lambda layer: seen.append(layer.name) or layer)
    assert "inner" in seen
    seen.clear()
    clone_model(
        model, clone_function=lambda layer: seen.append(layer.name) or layer, recursive=True
    )
    assert "inner" not in seen and inner.layers[0].name in seen


def test_subclassed_models():
    class Net(cornu.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="only supported for Sequential models or Functional"):
        clone_model(Net(), clone_function=lambda layer: layer)
    with pytest.raises(ValueError, match="Unexpected keyword argument"):
        clone_model(Net(), foo=1)


def test_the_clone_matches_keras_clone(keras):
    ours = clone_model(_functional())
    keras.utils.clear_session()  # Keras's automatic names start afresh, as cornu's do here
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    shared = keras.layers.Dense(2, name="shared")
    merged = keras.layers.Concatenate(name="cat")(
        [shared(a), keras.layers.Dense(2, name="side")(b)]
    )
    outputs = [keras.layers.Dense(1, name="o1")(merged), shared(keras.layers.Dense(3)(merged))]
    theirs = keras.models.clone_model(keras.Model([a, b], outputs))
    assert [x.name for x in ours.layers] == [x.name for x in theirs.layers]
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
