"""DTypePolicy and the quantized policies: dtypes, names, equality, errors, and configs that
move both ways with Keras's."""

import pytest

import cornu
from cornu import dtype_policies

NAMES = [
    "float32",
    "mixed_float16",
    "mixed_bfloat16",
    "bfloat16",
    "int8_from_float32",
    "int8_from_mixed_bfloat16",
    "float8_from_mixed_bfloat16",
    "int4_from_float32",
    "int4/128_from_float32",
    "gptq/4/128_from_float32",
    "awq/4/-1_from_mixed_bfloat16",
]


@pytest.mark.parametrize("name", NAMES)
def test_policies_match_keras(keras, name):
    ours, theirs = dtype_policies.get(name), keras.dtype_policies.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    assert (ours.name, ours.compute_dtype, ours.variable_dtype, ours.quantization_mode) == (
        theirs.name,
        theirs.compute_dtype,
        theirs.variable_dtype,
        theirs.quantization_mode,
    )
    assert repr(ours) == repr(theirs)
    ours_config = dtype_policies.serialize(ours)
    assert ours_config == keras.dtype_policies.serialize(theirs)
    # Each side reads the other's config.
    assert dtype_policies.deserialize(keras.dtype_policies.serialize(theirs)) == ours
    assert keras.dtype_policies.deserialize(ours_config) == theirs


def test_mixed_policy_dtypes():
    policy = cornu.mixed_precision.Policy("mixed_float16")
    assert (policy.compute_dtype, policy.variable_dtype) == ("float16", "float32")
    assert policy == cornu.DTypePolicy("mixed_float16") == cornu.FloatDTypePolicy("mixed_float16")
    assert policy != dtype_policies.DTypePolicy("mixed_bfloat16")
    assert policy != "mixed_float16"  # as Keras: a policy never equals its name


@pytest.mark.parametrize(
    "identifier, error, message",
    [
        ("bogus", ValueError, "Cannot convert 'bogus' to a mixed precision DTypePolicy.*'float32'"),
        ("int8_from_mixed_float16", ValueError, "doesn't work well with compute_dtype='float16'"),
        ("int4/0_from_float32", ValueError, "Invalid block_size in mode"),
        ("gptq/5/128_from_float32", ValueError, "Supported values are 2, 3, 4, 8"),
        ("awq/8/128_from_float32", ValueError, "Supported values are 4, but got 8"),
        ("int8", ValueError, "Cannot convert `policy` into a valid pair"),
        (object(), ValueError, "Cannot interpret `dtype` argument"),
    ],
)
def test_bad_policies(identifier, error, message):
    with pytest.raises(error, match=message):
        dtype_policies.get(identifier)


def test_unknown_class_in_config_lists_valid_names():
    with pytest.raises(ValueError, match="DTypePolicy"):
        dtype_policies.deserialize({"class_name": "NoSuchPolicy", "config": {}})


def test_global_policy_and_clear_session(keras):
    cornu.mixed_precision.set_global_policy("mixed_bfloat16")
    assert cornu.mixed_precision.global_policy() == cornu.DTypePolicy("mixed_bfloat16")
    assert cornu.config.dtype_policy().name == "mixed_bfloat16"
    assert cornu.DTypePolicy().name == "mixed_bfloat16"  # None takes the global name
    layer = cornu.layers.Dense(2)
    assert (layer.compute_dtype, layer.variable_dtype, layer.dtype) == (
        "bfloat16",
        "float32",
        "float32",
    )
    cornu.config.set_dtype_policy(dtype_policies.get("int8_from_float32"))
    assert cornu.config.dtype_policy().quantization_mode == "int8"
    cornu.utils.clear_session(free_memory=False)
    assert cornu.config.dtype_policy().name == "float32"
    with pytest.raises(ValueError, match="Invalid `policy` argument"):
        cornu.mixed_precision.set_global_policy(16)


def test_policy_map_lookup_and_config(keras):
    policy_map = dtype_policies.DTypePolicyMap(default_policy="mixed_bfloat16")
    policy_map["encoder/dense"] = "int8_from_mixed_bfloat16"
    policy_map["decoder/.*"] = "float32"
    assert policy_map["encoder/dense"].quantization_mode == "int8"
    assert policy_map["decoder/attention"].name == "float32"
    assert policy_map["other"].name == "mixed_bfloat16"
    assert policy_map.compute_dtype == "bfloat16" and len(policy_map) == 2
    with pytest.raises(ValueError, match="already exist in the DTypePolicyMap"):
        policy_map["decoder/.*"] = "float32"
    policy_map["decoder/att.*"] = "float16"
    with pytest.raises(ValueError, match="matches multiple dtype policy"):
        policy_map["decoder/attention"]
    theirs = keras.dtype_policies.DTypePolicyMap(default_policy="mixed_bfloat16")
    theirs["encoder/dense"] = "int8_from_mixed_bfloat16"
    ours = dtype_policies.DTypePolicyMap(default_policy="mixed_bfloat16")
    ours["encoder/dense"] = "int8_from_mixed_bfloat16"
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    back = dtype_policies.deserialize(keras.dtype_policies.serialize(theirs))
    assert back["encoder/dense"] == ours["encoder/dense"]


def test_layer_dtype_argument_errors_name_the_layer():
    with pytest.raises(ValueError, match="Layer 'd'.*Cannot convert 'mixed_float32'"):
        cornu.layers.Dense(2, dtype="mixed_float32", name="d")


def test_layer_policy_setter_changes_compute_dtype():
    import numpy as np

    layer = cornu.layers.Dense(2)
    layer.dtype_policy = "mixed_bfloat16"
    out = layer(np.ones((1, 3), "float32"))
    assert cornu.backend.standardize_dtype(out.dtype) == "bfloat16"
    assert cornu.backend.standardize_dtype(layer.kernel.dtype) == "float32"
