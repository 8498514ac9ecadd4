"""Weight constraints: projections applied to a weight after each optimizer update
(``kernel_constraint="max_norm"``, ``MaxNorm``, ``MinMaxNorm``, ``NonNeg``, ``UnitNorm``)."""

from cornu.saving import serialization_lib

ALL_OBJECTS = ()
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}


def serialize(constraint):
    """The constraint's config as a JSON-friendly dict."""
    return serialization_lib.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Rebuilds a constraint from ``serialize()``'s output or a name."""
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects, kind="constraint"
    )


def get(identifier):
    """A constraint from a name (``"l2"``), a config dict, a class, an instance or a callable;
    None for None."""
    return serialization_lib.resolve(
        identifier, deserialize, "constraint", "a name such as 'non_neg', a config or a callable"
    )
