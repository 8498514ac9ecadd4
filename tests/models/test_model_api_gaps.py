"""Model API details checked against Keras: the structure of a Functional model's outputs,
``Model.from_config`` / ``Sequential.from_config``, and resetting stateful layers."""

import copy
import json

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.models import Model, Sequential

X = np.random.RandomState(0).standard_normal((2, 3)).astype("float32")


def _describe(value):
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_describe(v) for v in value])
    if isinstance(value, dict):
        return ("dict", {k: _describe(v) for k, v in value.items()})
    kind = "symbolic" if type(value).__name__ == "KerasTensor" else "array"
    return (kind, tuple(value.shape))


def _model(lib, kind):
    inputs = lib.Input((3,), name="x")
    a = lib.layers.Dense(2, name="a")(inputs)
    b = lib.layers.Dense(4, name="b")(inputs)
    outputs = {
        "tensor": a,
        "list_of_one": [a],
        "tuple_of_one": (a,),
        "tuple_of_two": (a, b),
        "dict_of_one": {"o": a},
        "dict_of_list_of_one": {"o": [a]},
        "nested": [a, [b]],
    }[kind]
    return lib.Model(inputs, outputs)


@pytest.mark.parametrize(
    "kind",
    [
        "tensor",
        "list_of_one",
        "tuple_of_one",
        "tuple_of_two",
        "dict_of_one",
        "dict_of_list_of_one",
        "nested",
    ],
)
def test_output_structure_matches_keras(keras, kind):
    ours, theirs = _model(cornu, kind), _model(keras, kind)
    for what in ("eager", "symbolic", "output", "outputs", "predict"):
        got = {
            "eager": lambda m, lib: m(X),
            "symbolic": lambda m, lib: m(lib.Input((3,))),
            "output": lambda m, lib: m.output,
            "outputs": lambda m, lib: m.outputs,
            "predict": lambda m, lib: m.predict(X, verbose=0),
        }[what]
        assert _describe(got(ours, cornu)) == _describe(got(theirs, keras)), what


def test_single_output_in_a_list_returns_the_tensor():
    model = _model(cornu, "list_of_one")
    out = model(X)
    assert not isinstance(out, (list, tuple))
    assert tuple(out.shape) == (2, 2)
    assert isinstance(model.output, list)


def test_tuple_inputs_stay_a_tuple(keras):
    x = layers.Input((3,), name="x")
    assert isinstance(Model((x,), layers.Dense(2)(x)).input, tuple)
    x = keras.Input((3,), name="x")
    assert isinstance(keras.Model((x,), keras.layers.Dense(2)(x)).input, tuple)


def test_tuple_inputs_model_runs():
    x = layers.Input((3,), name="x")
    model = Model((x,), layers.Dense(2, name="d")(x))
    assert tuple(model((X,)).shape) == (2, 2)
    assert tuple(model(X).shape) == (2, 2)


def test_nested_model_with_dict_output_runs_eagerly():
    x = layers.Input((3,), name="x")
    dense = layers.Dense(2, name="a")
    inner = Model(x, {"o": dense(x)})
    y = layers.Input((3,), name="y")
    head = layers.Dense(1, name="head")
    outer = Model(y, head(inner(y)["o"]))
    expected = ops.convert_to_numpy(head(dense(X)))
    np.testing.assert_allclose(ops.convert_to_numpy(outer(X)), expected, rtol=1e-6)


@pytest.mark.requires_training
def test_list_of_one_output_trains_with_plain_targets():
    model = _model(cornu, "list_of_one")
    model.compile("sgd", loss="mse")
    history = model.fit(X, np.zeros((2, 2), "float32"), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def _functional_config(lib):
    x = lib.Input((3,), name="x")
    h = lib.layers.Dense(4, activation="relu", name="h")(x)
    return lib.Model(x, lib.layers.Dense(2, name="out")(h), name="net")


def test_model_from_config_builds_a_functional_model(keras):
    source = _functional_config(cornu)
    config = source.get_config()
    kept = copy.deepcopy(config)
    model = Model.from_config(config)
    assert config == kept  # the caller's config is not changed (Keras pops its keys)
    assert type(model).__name__ == "Functional"
    assert model.name == "net"
    assert [layer.name for layer in model.layers] == ["x", "h", "out"]
    model.set_weights(source.get_weights())
    np.testing.assert_allclose(
        ops.convert_to_numpy(model(X)), ops.convert_to_numpy(source(X)), rtol=1e-6
    )
    theirs = keras.Model.from_config(copy.deepcopy(_functional_config(keras).get_config()))
    assert type(theirs).__name__ == type(model).__name__


@pytest.mark.parametrize("through_json", [True, False], ids=["json", "raw"])
def test_model_from_keras_functional_config_matches_keras(keras, through_json):
    theirs = _functional_config(keras)
    config = theirs.get_config()  # raw, its call arguments are tuples
    ours = Model.from_config(json.loads(json.dumps(config)) if through_json else config)
    ours.set_weights(theirs.get_weights())
    expected = keras.ops.convert_to_numpy(theirs(X))
    np.testing.assert_allclose(ops.convert_to_numpy(ours(X)), expected, rtol=1e-5, atol=1e-6)


def test_model_from_config_keeps_trainable_false():
    config = _functional_config(cornu).get_config()
    config["trainable"] = False
    model = Model.from_config(config)
    assert model.trainable is False
    assert model.trainable_weights == []


def test_subclass_with_args_kwargs_constructor_is_revived_as_functional(keras):
    class Ours(Model):
        pass

    class Theirs(keras.Model):
        pass

    ours = Ours.from_config(_functional_config(cornu).get_config())
    theirs = Theirs.from_config(_functional_config(keras).get_config())
    assert isinstance(ours, Ours) and type(ours).__mro__[1].__name__ == "Functional"
    assert type(theirs).__mro__[1].__name__ == "Functional"
    assert tuple(ours(X).shape) == (2, 2)


def test_subclass_with_its_own_constructor_gets_the_config_as_kwargs(keras):
    class Ours(Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    class Theirs(keras.Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Theirs"):
        Theirs.from_config(_functional_config(keras).get_config())
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Ours"):
        Ours.from_config(_functional_config(cornu).get_config())
    model = Ours.from_config({"name": "custom", "trainable": True, "units": 5})
    assert (type(model), model.name, model.units) == (Ours, "custom", 5)


def test_model_from_config_that_the_constructor_rejects_raises_as_keras(keras):
    class Ours(Model):
        def __init__(self, units):
            super().__init__()

    class Theirs(keras.Model):
        def __init__(self, units):
            super().__init__()

    config = {"name": "m", "trainable": True}
    with pytest.raises(TypeError, match="Unable to revive model from config") as theirs:
        Theirs.from_config(dict(config))
    with pytest.raises(TypeError, match="Unable to revive model from config") as ours:
        Ours.from_config(dict(config))
    assert "defining a `from_config(cls, config)` class method" in str(theirs.value)
    assert "defining a `from_config(cls, config)` class method" in str(ours.value)
    assert "unexpected keyword argument 'name'" in str(ours.value)


def test_model_from_config_of_a_sequential_config_raises_as_keras(keras):
    ours = Sequential([layers.Input((3,)), layers.Dense(2)])
    theirs = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Model"):
        keras.Model.from_config(theirs.get_config())
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Model"):
        Model.from_config(ours.get_config())


def test_model_from_config_without_graph_keys_makes_a_plain_model(keras):
    ours = Model.from_config({"name": "plain", "trainable": True})
    theirs = keras.Model.from_config({"name": "plain", "trainable": True})
    assert type(ours).__name__ == type(theirs).__name__ == "Model"
    assert ours.name == theirs.name == "plain"


def test_sequential_from_config(keras):
    source = Sequential([layers.Input((3,)), layers.Dense(2, name="d")], name="seq")
    model = Sequential.from_config(source.get_config())
    assert type(model) is Sequential and model.name == "seq" and model.built
    model.set_weights(source.get_weights())
    np.testing.assert_allclose(
        ops.convert_to_numpy(model(X)), ops.convert_to_numpy(source(X)), rtol=1e-6
    )
    # A Functional config of a chain of layers gives a Sequential too, as in Keras.
    chain = Sequential.from_config(_functional_config(cornu).get_config())
    theirs = keras.Sequential.from_config(_functional_config(keras).get_config())
    assert [x.name for x in chain.layers] == [x.name for x in theirs.layers] == ["h", "out"]


def test_sequential_from_config_without_name_raises(keras):
    with pytest.raises(ValueError, match="must be a dictionary containing the 'name'"):
        keras.Sequential.from_config({"layers": []})
    with pytest.raises(ValueError, match="must be a dictionary containing the 'name'"):
        Sequential.from_config({"layers": []})


def test_reset_methods_match_keras(keras):
    # Keras 3 has ``reset_metrics`` but no ``Model.reset_states``: stateful layers are reset
    # one by one with ``layer.reset_state()`` / ``layer.reset_states()``.
    for name in ("reset_states", "reset_metrics"):
        assert hasattr(Model, name) == hasattr(keras.Model, name), name
    for cls in ("LSTM", "GRU", "SimpleRNN", "Bidirectional", "ConvLSTM2D"):
        for name in ("reset_state", "reset_states"):
            ours = hasattr(getattr(layers, cls), name)
            assert ours == hasattr(getattr(keras.layers, cls), name), (cls, name)


def test_stateful_lstm_reset_states_matches_keras(keras):
    def build(lib):
        return lib.Sequential(
            [lib.Input(batch_shape=(2, 3, 4)), lib.layers.LSTM(5, stateful=True, name="l")]
        )

    ours, theirs = build(cornu), build(keras)
    ours.set_weights(theirs.get_weights())
    x = np.random.RandomState(1).random_sample((2, 3, 4)).astype("float32")

    def step():
        expected = keras.ops.convert_to_numpy(theirs(x))
        np.testing.assert_allclose(ops.convert_to_numpy(ours(x)), expected, atol=1e-6)
        return expected

    first = step()
    second = step()
    assert not np.allclose(first, second)  # the state carried over
    ours.layers[0].reset_states()
    theirs.layers[0].reset_states()
    np.testing.assert_allclose(step(), first, atol=1e-6)
    step()
    ours.layers[0].reset_state()
    theirs.layers[0].reset_state()
    np.testing.assert_allclose(step(), first, atol=1e-6)
