"""cornu.utils's registry and serialization names, and the Keras 2 format of cornu.legacy."""

import numpy as np
import pytest

import cornu
from cornu import utils


def test_utils_binds_the_saving_registry():
    assert utils.register_keras_serializable is cornu.saving.register_keras_serializable
    assert utils.get_custom_objects() is cornu.saving.get_custom_objects()
    assert utils.custom_object_scope is utils.CustomObjectScope
    assert utils.serialize_keras_object is cornu.saving.serialize_keras_object
    assert utils.deserialize_keras_object is cornu.saving.deserialize_keras_object


def test_register_and_round_trip_through_utils():
    @utils.register_keras_serializable(package="names_test")
    class Scale(cornu.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    assert utils.get_registered_name(Scale) == "names_test>Scale"
    assert utils.get_registered_object("names_test>Scale") is Scale
    config = utils.serialize_keras_object(Scale(3.0))
    assert config["registered_name"] == "names_test>Scale"
    restored = utils.deserialize_keras_object(config)
    assert isinstance(restored, Scale) and restored.factor == 3.0


def test_custom_object_scope_from_utils():
    def my_activation(x):
        return x

    assert utils.get_registered_object("my_activation") is None
    with utils.custom_object_scope({"my_activation": my_activation}):
        assert utils.get_registered_object("my_activation") is my_activation
    assert utils.get_registered_object("my_activation") is None


def test_legacy_serialization_matches_keras_2_format(keras):
    ours = cornu.utils.legacy.serialize_keras_object(cornu.layers.Dense(2, activation="relu"))
    theirs = keras.utils.legacy.serialize_keras_object(keras.layers.Dense(2, activation="relu"))
    assert set(ours) == set(theirs) == {"class_name", "config"}
    assert ours["class_name"] == "Dense"
    for key in ("units", "activation", "use_bias", "kernel_initializer"):
        assert ours["config"][key] == theirs["config"][key]
    assert cornu.legacy.saving.serialize_keras_object(cornu.activations.relu) == "relu"
    assert cornu.legacy.saving.serialize_keras_object(None) is None
    with pytest.raises(ValueError, match="doesn't implement `get_config"):
        cornu.legacy.saving.serialize_keras_object(3)


def test_legacy_deserialization_needs_the_objects():
    config = cornu.legacy.saving.serialize_keras_object(cornu.layers.Dense(3, name="d"))
    layer = cornu.legacy.saving.deserialize_keras_object(
        config, module_objects={"Dense": cornu.layers.Dense}
    )
    assert isinstance(layer, cornu.layers.Dense) and layer.units == 3 and layer.name == "d"
    with pytest.raises(ValueError, match="Unknown layer: 'Dense'"):
        cornu.legacy.saving.deserialize_keras_object(config, printable_module_name="layer")
    with pytest.raises(ValueError, match="Improper config format"):
        cornu.legacy.saving.deserialize_keras_object({"config": {}})
    relu = cornu.legacy.saving.deserialize_keras_object(
        "relu", module_objects={"relu": cornu.activations.relu}
    )
    assert relu is cornu.activations.relu
    with pytest.raises(ValueError, match="Could not interpret serialized object: 3"):
        cornu.legacy.saving.deserialize_keras_object(3)


def test_legacy_round_trip_of_nested_objects_and_keras_configs(keras):
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    config = keras.legacy.saving.serialize_keras_object(optimizer)
    restored = cornu.legacy.saving.deserialize_keras_object(
        config, module_objects={"Adam": cornu.optimizers.Adam}
    )
    assert isinstance(restored, cornu.optimizers.Adam)
    assert float(cornu.ops.convert_to_numpy(restored.learning_rate)) == pytest.approx(0.01)


def test_small_utils():
    x = np.ones((2, 1))
    assert utils.pack_x_y_sample_weight(x) is x
    assert utils.pack_x_y_sample_weight([x]) == ([x],)
    assert utils.pack_x_y_sample_weight(x, x) == (x, x)
    assert utils.unpack_x_y_sample_weight((x,)) == (x, None, None)
    assert utils.unpack_x_y_sample_weight([x, x]) == (x, x, None)
    with pytest.raises(ValueError, match="found a tuple of 4 elements"):
        utils.unpack_x_y_sample_weight((x, x, x, x))
    assert utils.standardize_dtype("float") == "float32"
    assert utils.standardize_dtype(np.int64) == "int64"
    inputs = cornu.Input((2,))
    assert utils.is_keras_tensor(inputs) and not utils.is_keras_tensor(x)


def test_get_source_inputs_walks_back_to_the_inputs():
    a, b = cornu.Input((2,), name="a"), cornu.Input((2,), name="b")
    merged = cornu.layers.Add()([cornu.layers.Dense(2)(a), b])
    out = cornu.layers.Dense(1)(cornu.layers.Concatenate()([merged, a]))
    sources = utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert utils.get_source_inputs(a) == [a]
    assert utils.get_source_inputs(3) == 3


def test_config_container(keras):
    ours = utils.Config(learning_rate=0.1, momentum=0.9)
    ours.use_ema = True
    ours["seed"] = 1
    assert ours.seed == 1 and ours["learning_rate"] == 0.1
    assert list(ours) == ["learning_rate", "momentum", "seed", "use_ema"]
    assert ours.as_dict() == {"learning_rate": 0.1, "momentum": 0.9, "use_ema": True, "seed": 1}
    assert ours.to_json() == keras.utils.Config(**ours.as_dict()).to_json()
    with pytest.raises(AttributeError, match="Unknown attribute: 'momentun'. Did you mean"):
        _ = ours.momentun
    ours.freeze()
    assert ours.frozen
    with pytest.raises(ValueError, match="the config is frozen"):
        ours.foo = 1
    with pytest.raises(ValueError, match="the config is frozen"):
        del ours["seed"]
    ours.unfreeze()
    ours.foo = 1
    assert "foo" in ours and len(ours) == 5


def test_clear_session_and_get_uid():
    from cornu.utils.naming_utils import get_uid

    assert (get_uid("a"), get_uid("a"), get_uid("b"), get_uid()) == (1, 2, 1, 1)
    assert cornu.layers.Dense(1).name == "dense"
    assert cornu.layers.Dense(1).name == "dense_1"
    utils.clear_session()
    assert cornu.layers.Dense(1).name == "dense"
    assert get_uid("a") == 1
    utils.clear_session(free_memory=False)
    assert get_uid("a") == 1


def test_utils_has_keras_utils_names_of_this_part(keras):
    part = {
        "Config", "CustomObjectScope", "custom_object_scope", "get_custom_objects",
        "get_registered_name", "get_registered_object", "register_keras_serializable",
        "serialize_keras_object", "deserialize_keras_object", "get_source_inputs",
        "is_keras_tensor", "standardize_dtype", "pack_x_y_sample_weight",
        "unpack_x_y_sample_weight", "disable_interactive_logging", "enable_interactive_logging",
        "is_interactive_logging_enabled", "legacy", "clear_session",
    }  # fmt: skip
    assert part <= set(dir(keras.utils))
    assert part <= set(dir(utils))
    assert set(dir(keras.utils.legacy)) & {"serialize_keras_object", "deserialize_keras_object"}
