"""activations.get / serialize / deserialize: names, callables, None, configs, errors."""

import numpy as np
import pytest

from cornu import activations, ops, saving


@pytest.mark.parametrize("name", sorted(activations.ALL_OBJECTS_DICT))
def test_get_by_name(name):
    assert activations.get(name) is activations.ALL_OBJECTS_DICT[name]


def test_get_none_is_linear():
    assert activations.get(None) is activations.linear


def test_get_callable_is_returned_as_it_is():
    def my_activation(x):
        return x * 2

    assert activations.get(my_activation) is my_activation
    assert activations.get(activations.relu) is activations.relu


def test_unknown_name_names_the_closest():
    with pytest.raises(ValueError, match=r"Unknown activation: 'rleu'.*Did you mean 'relu'\?"):
        activations.get("rleu")
    with pytest.raises(ValueError, match="Did you mean 'softmax'"):
        activations.get("sofmax")


def test_non_callable_is_refused():
    with pytest.raises(ValueError, match="Could not interpret activation"):
        activations.get(3)


def test_serialize_builtins_as_their_name(keras):
    for name in ("relu", "softmax", "gelu", "silu", "hard_silu"):
        fn = activations.get(name)
        assert activations.serialize(fn) == keras.activations.serialize(keras.activations.get(name))
    assert activations.serialize(activations.swish) == "silu"


def test_deserialize_names_and_keras_dicts(keras):
    assert activations.deserialize("tanh") is activations.tanh
    config = keras.saving.serialize_keras_object(keras.activations.relu)
    assert activations.deserialize(config) is activations.relu
    assert activations.get(config) is activations.relu


def test_registered_custom_function_round_trips():
    @saving.register_keras_serializable(package="TestActivations")
    def doubled(x):
        return x * 2

    config = activations.serialize(doubled)
    assert isinstance(config, dict)
    assert config["config"] == "TestActivations>doubled"  # Keras's form for functions
    assert activations.deserialize(config) is doubled
    assert activations.get(config) is doubled
    x = ops.convert_to_tensor(np.ones(2, dtype="float32"))
    np.testing.assert_allclose(ops.convert_to_numpy(activations.get(config)(x)), [2.0, 2.0])


def test_serialize_refuses_what_cannot_be_rebuilt():
    with pytest.raises(ValueError, match="Cannot serialize the activation"):
        activations.serialize(object())
