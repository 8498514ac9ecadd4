"""initializers.get / serialize / deserialize: Keras's names and aliases, configs, errors."""

import numpy as np
import pytest

from cornu import initializers, ops


def _keras_names():
    from keras.src.initializers import ALL_OBJECTS_DICT

    return sorted(ALL_OBJECTS_DICT.items())


def test_every_keras_name_resolves_to_the_same_class(keras):
    for name, keras_cls in _keras_names():
        if keras_cls.__name__ == "Initializer":
            continue
        assert type(initializers.get(name)).__name__ == keras_cls.__name__, name


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("glorot_uniform", initializers.GlorotUniform),
        ("GlorotUniform", initializers.GlorotUniform),
        ("he_normal", initializers.HeNormal),
        ("zeros", initializers.Zeros),
        ("zero", initializers.Zeros),
        ("ones", initializers.Ones),
        ("random_normal", initializers.RandomNormal),
        ("normal", initializers.RandomNormal),
        ("uniform", initializers.RandomUniform),
        ("orthogonal", initializers.Orthogonal),
        ("OrthogonalInitializer", initializers.Orthogonal),
        ("identity", initializers.Identity),
        ("variance_scaling", initializers.VarianceScaling),
        ("truncated_normal", initializers.TruncatedNormal),
        ("constant", initializers.Constant),
        ("lecun_normal", initializers.LecunNormal),
    ],
)
def test_get_by_name(name, cls):
    init = initializers.get(name)
    assert type(init) is cls
    assert initializers.get(name) is not init


def test_get_none_callable_class_and_instance():
    assert initializers.get(None) is None

    def halves(shape, dtype=None):
        return ops.full(shape, 0.5, dtype=dtype)

    assert initializers.get(halves) is halves
    assert type(initializers.get(initializers.HeUniform)) is initializers.HeUniform
    init = initializers.Ones()
    assert initializers.get(init) is init


def test_get_config_dicts_including_keras_ones(keras):
    init = initializers.get({"class_name": "RandomUniform", "config": {"minval": 1, "maxval": 2}})
    assert (init.minval, init.maxval) == (1, 2)
    config = keras.initializers.serialize(keras.initializers.VarianceScaling(2.0, seed=4))
    init = initializers.get(config)
    assert isinstance(init, initializers.VarianceScaling)
    np.testing.assert_allclose(
        ops.convert_to_numpy(init((3, 4))),
        ops.convert_to_numpy(keras.initializers.get(config)((3, 4))),
        atol=1e-6,
    )


def test_serialize_matches_keras_and_round_trips(keras):
    config = initializers.serialize(initializers.GlorotNormal(seed=2))
    theirs = keras.initializers.serialize(keras.initializers.GlorotNormal(seed=2))
    for key in ("module", "class_name", "config"):
        assert config[key] == theirs[key]
    rebuilt = initializers.deserialize(config)
    assert isinstance(rebuilt, initializers.GlorotNormal) and rebuilt.seed == 2
    assert type(initializers.deserialize("he_uniform")) is initializers.HeUniform


def test_get_array_or_tensor_is_the_exact_value():
    value = np.arange(6, dtype="float64").reshape(2, 3)
    for identifier in (value, ops.convert_to_tensor(value)):
        init = initializers.get(identifier)
        result = init((2, 3))
        assert ops.dtype(result) == "float32"
        np.testing.assert_array_equal(ops.convert_to_numpy(result), value)
    with pytest.raises(ValueError, match=r"fixed value of shape \(2, 3\)"):
        initializers.get(value)((3, 2))


def test_unknown_name_names_the_closest():
    with pytest.raises(ValueError, match="Did you mean 'glorot_uniform'"):
        initializers.get("glorot_unifrom")
    with pytest.raises(ValueError, match=r"Unknown initializer: 'he_norml'.*'he_normal'"):
        initializers.get("he_norml")


def test_uninterpretable_identifier():
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        initializers.get(3)


def test_lowercase_function_names_exist():
    np.testing.assert_array_equal(ops.convert_to_numpy(initializers.zeros()((2,))), [0, 0])
    assert initializers.glorot_uniform is initializers.GlorotUniform
