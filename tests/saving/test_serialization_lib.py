"""Configs in Keras 3's schema, the registry of custom objects, and custom object scopes."""

import json
import warnings

import numpy as np
import pytest

import cornu
from cornu.saving import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)


def test_a_layer_is_described_as_keras_describes_it(keras):
    ours = cornu.layers.Dense(3, activation="relu", name="d")
    theirs = keras.layers.Dense(3, activation="relu", name="d")
    ours(cornu.Input((2,)))
    theirs(keras.Input((2,)))
    mine = json.loads(json.dumps(serialize_keras_object(ours)))
    reference = json.loads(json.dumps(keras.saving.serialize_keras_object(theirs)))
    for key in ("module", "class_name", "registered_name", "build_config"):
        assert mine[key] == reference[key]
    assert list(mine)[:4] == ["module", "class_name", "config", "registered_name"]
    assert mine["config"]["dtype"] == reference["config"]["dtype"]
    for key in ("name", "trainable", "units", "activation", "kernel_initializer"):
        assert mine["config"][key] == reference["config"][key]
    assert mine["build_config"] == {"input_shape": [None, 2]}


def test_keras_descriptions_rebuild_cornu_objects_and_back(keras):
    for theirs in (
        keras.layers.Conv2D(2, 3, padding="same", name="c"),
        keras.optimizers.Adam(learning_rate=0.02),
        keras.losses.Huber(delta=2.0),
        keras.initializers.HeNormal(seed=3),
        keras.regularizers.L2(0.5),
    ):
        config = keras.saving.serialize_keras_object(theirs)
        ours = deserialize_keras_object(config)
        assert type(ours).__name__ == type(theirs).__name__
        assert type(ours).__module__.startswith("cornu.")
        again = keras.saving.deserialize_keras_object(serialize_keras_object(ours))
        assert type(again) is type(theirs)


def test_functions_and_arrays_use_keras_special_forms(keras):
    assert serialize_keras_object(cornu.activations.relu) == {
        "module": "builtins",
        "class_name": "function",
        "config": "relu",
        "registered_name": "function",
    }
    assert serialize_keras_object(cornu.activations.relu) == keras.saving.serialize_keras_object(
        keras.activations.relu
    )
    assert deserialize_keras_object(serialize_keras_object(cornu.activations.tanh)) is (
        cornu.activations.tanh
    )
    array = np.arange(3, dtype="float32")
    config = serialize_keras_object(array)
    assert config == {
        "class_name": "__numpy__",
        "config": {"value": [0.0, 1.0, 2.0], "dtype": "float32"},
    }
    np.testing.assert_array_equal(deserialize_keras_object(config), array)
    assert serialize_keras_object(np.float32(2.5)) == 2.5
    assert serialize_keras_object((1, "a", None)) == (1, "a", None)
    assert deserialize_keras_object({"a": 1, "b": [2, 3]}) == {"a": 1, "b": [2, 3]}


@register_keras_serializable(package="my_package")
class Scale(cornu.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@register_keras_serializable(package="my_package", name="twice")
def double(x):
    return x * 2


def test_registered_objects_are_named_package_and_name():
    assert get_registered_name(Scale) == "my_package>Scale"
    assert get_registered_object("my_package>Scale") is Scale
    assert get_registered_name(double) == "my_package>twice"
    assert get_registered_name(cornu.layers.Dense) == "Dense"
    config = serialize_keras_object(Scale(3.0, name="s"))
    assert config["registered_name"] == "my_package>Scale"
    assert config["module"] == __name__
    rebuilt = deserialize_keras_object(config)
    assert isinstance(rebuilt, Scale) and rebuilt.factor == 3.0
    assert serialize_keras_object(double)["config"] == "my_package>twice"
    assert deserialize_keras_object(serialize_keras_object(double)) is double
    with pytest.raises(ValueError, match="does not have a get_config"):
        register_keras_serializable()(type("NoConfig", (), {}))


def test_registered_custom_layer_round_trips_through_a_file(tmp_path):
    inputs = cornu.Input((2,))
    model = cornu.Model(inputs, cornu.layers.Dense(2, activation=double)(Scale(3.0)(inputs)))
    model.save(str(tmp_path / "c.keras"))
    loaded = cornu.saving.load_model(str(tmp_path / "c.keras"))
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[2].activation is double


class Offset(cornu.layers.Layer):  # not registered
    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, x):
        return x + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


def test_unregistered_classes_need_custom_objects_or_a_scope(tmp_path):
    inputs = cornu.Input((2,))
    model = cornu.Model(inputs, Offset(5.0)(inputs))
    path = str(tmp_path / "o.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Could not locate class 'Offset'"):
        cornu.saving.load_model(path)
    x = np.zeros((1, 2), "float32")
    loaded = cornu.saving.load_model(path, custom_objects={"Offset": Offset})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), [[5.0, 5.0]])
    with custom_object_scope({"Offset": Offset}):
        loaded = cornu.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), [[5.0, 5.0]])
    with cornu.saving.CustomObjectScope({"Offset": Offset}):
        assert get_registered_object("Offset") is Offset
    assert get_registered_object("Offset") is None


def test_a_custom_layer_config_moves_to_keras(keras):
    config = serialize_keras_object(Scale(4.0, name="s"))
    theirs = keras.saving.deserialize_keras_object(
        config, custom_objects={"my_package>Scale": Scale}
    )
    assert isinstance(theirs, Scale)


def test_model_to_json_and_back():
    inputs = cornu.Input((3,), name="x")
    outputs = cornu.layers.Dense(2, name="d")(inputs)
    model = cornu.Model(inputs, outputs, name="m")
    text = model.to_json(indent=1)
    described = json.loads(text)
    assert described["class_name"] == "Functional"
    assert described["module"] == "keras.src.models.functional"
    assert described["registered_name"] == "Functional"
    assert described["config"]["input_layers"] == ["x", 0, 0]  # a single input, as Keras
    assert described["config"]["output_layers"] == ["d", 0, 0]
    rebuilt = cornu.models.model_from_json(text)
    assert rebuilt.name == "m" and [layer.name for layer in rebuilt.layers] == ["x", "d"]
    assert rebuilt.get_config() == model.get_config()


def test_a_lambda_serializes_with_a_warning_and_loads_only_when_unsafe_is_allowed():
    with pytest.warns(UserWarning, match="includes a `lambda`"):
        config = serialize_keras_object(lambda x: x + 1)
    assert config["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="arbitrary code execution"):
        deserialize_keras_object(config)
    function = deserialize_keras_object(config, safe_mode=False)
    assert function(1) == 2


def test_unknown_names_raise_and_suggest():
    with pytest.raises(ValueError, match="Unknown optimizer: 'adom'. Did you mean 'adam'"):
        cornu.optimizers.get("adom")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="Could not locate class 'Densse'"):
            deserialize_keras_object(
                {"module": "keras.layers", "class_name": "Densse", "config": {}}, kind="layer"
            )


@register_keras_serializable(package="my_package")
class TwoLayerNet(cornu.Model):
    def __init__(self, hidden=3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.first = cornu.layers.Dense(hidden, activation="relu")
        self.second = cornu.layers.Dense(1)

    def call(self, x):
        return self.second(self.first(x))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden}


def test_a_registered_subclassed_model_is_rebuilt_from_its_build_config(tmp_path):
    model = TwoLayerNet(hidden=4)
    x = np.random.RandomState(0).rand(2, 5).astype("float32")
    expected = model.predict(x, verbose=0)
    assert serialize_keras_object(model)["build_config"] == {"input_shape": [2, 5]}
    model.save(str(tmp_path / "net.keras"))
    loaded = cornu.saving.load_model(str(tmp_path / "net.keras"))
    assert isinstance(loaded, TwoLayerNet) and loaded.hidden == 4
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6)
