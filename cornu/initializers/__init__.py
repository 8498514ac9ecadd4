"""Initializers: the objects that fill new weights (``glorot_uniform``, ``zeros``, ...)."""

from cornu.core import standardize_dtype, to_snake_case
from cornu.initializers.constant_initializers import STFT, Constant, Identity, Ones, Zeros
from cornu.initializers.initializer import Initializer
from cornu.initializers.random_initializers import (
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
)
from cornu.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
    compute_fans,
)
from cornu.ops import convert_to_tensor, is_tensor
from cornu.saving import serialization_lib

ALL_OBJECTS = (
    Initializer,
    Constant,
    Identity,
    Ones,
    STFT,
    Zeros,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update(
    {
        "IdentityInitializer": Identity,
        "OrthogonalInitializer": Orthogonal,
        "STFTInitializer": STFT,
        "normal": RandomNormal,
        "uniform": RandomUniform,
        "one": Ones,
        "zero": Zeros,
    }
)

# The lower-case names double as functions, as in Keras: ``initializers.zeros((2, 3))``.
constant = Constant
identity = Identity
ones = Ones
zeros = Zeros
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
stft = STFT

# Keras's longer class names for three of them.
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT


def serialize(initializer):
    """The config of an initializer: ``{"module", "class_name", "config", ...}``."""
    return serialization_lib.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """The initializer described by ``config`` (a serialized dict, or a name)."""
    obj = serialization_lib.deserialize_keras_object(
        config,
        module_objects=ALL_OBJECTS_DICT,
        custom_objects=custom_objects,
        kind="initializer",
    )
    return obj() if isinstance(obj, type) else obj


def get(identifier):
    """The initializer for ``identifier``.

    Args:
        identifier: None (returned as None), a name such as ``"glorot_uniform"`` or
            ``"GlorotUniform"``, a serialized dict, an Initializer class or instance, a
            function ``fn(shape, dtype=None)``, or an array or tensor (the exact initial value).

    Returns:
        A callable ``initializer(shape, dtype=None)``. An unknown name raises ValueError naming
        the closest valid one.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        identifier = {"class_name": identifier, "config": {}}
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if is_tensor(identifier) or hasattr(identifier, "__array__"):
        return _fixed_value(identifier)
    if isinstance(identifier, type):
        identifier = identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret initializer identifier: {identifier!r}. Expected a name such as "
        "'glorot_uniform', a config dict, an Initializer, a function or an array."
    )


def _fixed_value(value):
    def initialize_fn(shape, dtype=None):
        if tuple(shape) != tuple(value.shape):
            raise ValueError(
                f"This initializer is a fixed value of shape {tuple(value.shape)}, "
                f"but the weight has shape {tuple(shape)}."
            )
        return convert_to_tensor(value, dtype=standardize_dtype(dtype))

    return initialize_fn


__all__ = sorted(cls.__name__ for cls in ALL_OBJECTS) + [
    "IdentityInitializer",
    "OrthogonalInitializer",
    "RandomInitializer",
    "STFTInitializer",
    "compute_fans",
    "deserialize",
    "get",
    "serialize",
]
