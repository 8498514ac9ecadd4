"""Weight constraints: projections applied to a weight after each optimizer update
(``kernel_constraint="max_norm"``, ``MaxNorm``, ``MinMaxNorm``, ``NonNeg``, ``UnitNorm``)."""

from cornu.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from cornu.core import to_snake_case
from cornu.saving import serialization_lib

ALL_OBJECTS = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})

# Keras's lower-case aliases of the classes.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm


def serialize(constraint):
    """The constraint's config as a JSON-friendly dict."""
    return serialization_lib.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Rebuilds a constraint from ``serialize()``'s output or a name."""
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects, kind="constraint"
    )


def get(identifier):
    """A constraint from a name (``"non_neg"``), a config dict, a class, an instance or a
    callable; None for None."""
    return serialization_lib.resolve(
        identifier, deserialize, "constraint", "a name such as 'non_neg', a config or a callable"
    )


__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]
