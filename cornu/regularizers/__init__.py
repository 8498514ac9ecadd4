"""Weight regularizers: penalties on a weight added to the training loss
(``kernel_regularizer="l2"``, ``L1``, ``L2``, ``L1L2``, ``OrthogonalRegularizer``)."""

from cornu.core import to_snake_case
from cornu.regularizers.regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer
from cornu.saving import serialization_lib

ALL_OBJECTS = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update({"l1l2": L1L2, "l1_l2": L1L2})  # Keras names it "l1l2"

# Keras's lower-case aliases of the classes.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer


def serialize(regularizer):
    """The regularizer's config as a JSON-friendly dict."""
    return serialization_lib.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """Rebuilds a regularizer from ``serialize()``'s output or a name."""
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects, kind="regularizer"
    )


def get(identifier):
    """A regularizer from a name (``"l2"``), a config dict, a class, an instance or a callable;
    None for None."""
    return serialization_lib.resolve(
        identifier, deserialize, "regularizer", "a name such as 'l2', a config or a callable"
    )


__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]
