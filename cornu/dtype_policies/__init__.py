"""Dtype policies, as ``keras.dtype_policies``: what dtype a layer keeps its weights in and
computes in (``DTypePolicy("mixed_bfloat16")``), the quantized policies, and
``get``/``serialize``/``deserialize``."""

from cornu.core.dtype_policies import (
    QUANTIZATION_MODES,
    AWQDTypePolicy,
    DTypePolicy,
    FloatDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
    get_policy,
)
from cornu.dtype_policies.dtype_policy_map import DTypePolicyMap
from cornu.saving import serialization_lib

ALL_OBJECTS = (
    AWQDTypePolicy,
    DTypePolicy,
    DTypePolicyMap,
    FloatDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}


def serialize(dtype_policy):
    """The policy's config as a JSON-friendly dict (``{"class_name": "DTypePolicy", ...}``)."""
    return serialization_lib.serialize_keras_object(dtype_policy)


def deserialize(config, custom_objects=None):
    """Rebuilds a policy from ``serialize()``'s output."""
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects, kind="dtype policy"
    )


def get(identifier):
    """A `DTypePolicy` from a name (`"mixed_bfloat16"`, `"int8_from_float32"`), a config dict,
    a dtype, or a policy (returned as it is); None gives the global policy."""
    if isinstance(identifier, dict):
        return deserialize(identifier)
    return get_policy(identifier)


__all__ = [
    "AWQDTypePolicy",
    "DTypePolicy",
    "DTypePolicyMap",
    "FloatDTypePolicy",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QUANTIZATION_MODES",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
    "deserialize",
    "get",
    "serialize",
]
