"""Activation functions (``relu``, ``softmax``, ``gelu``, ...) and their lookup by name."""

import types

from cornu.activations.activations import (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    swish,
    tanh,
    tanh_shrink,
    threshold,
)
from cornu.saving import serialization_lib

ALL_OBJECTS = (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in ALL_OBJECTS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


def serialize(activation):
    """The config of an activation: its name for a built-in one (``"relu"``), else a dict.

    A custom function must be registered with ``@cornu.saving.register_keras_serializable()``
    to be rebuilt later.
    """
    name = getattr(activation, "__name__", None)
    if ALL_OBJECTS_DICT.get(name) is activation:
        return name
    if not isinstance(activation, types.FunctionType) and not hasattr(activation, "get_config"):
        raise ValueError(
            f"Cannot serialize the activation {activation!r}: it is neither a function nor an "
            "object with a `get_config()` method. Use a built-in activation name or register "
            "yours with `@cornu.saving.register_keras_serializable()`."
        )
    return serialization_lib.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """The activation function named by ``config`` (a name or a serialized dict)."""
    return serialization_lib.deserialize_keras_object(
        config,
        module_objects=ALL_OBJECTS_DICT,
        custom_objects=custom_objects,
        kind="activation",
    )


def get(identifier):
    """The activation function for ``identifier``.

    Args:
        identifier: None (``linear``), a name such as ``"relu"``, a serialized dict, or a
            callable (returned as it is).

    Returns:
        A callable ``fn(x)``. An unknown name raises ValueError naming the closest valid one.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = ALL_OBJECTS_DICT.get(identifier)
        if fn is not None:
            return fn
    if isinstance(identifier, (str, dict)):
        identifier = deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. Expected None, "
        "a name such as 'relu', a serialized dict, or a callable."
    )


__all__ = [
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
]
