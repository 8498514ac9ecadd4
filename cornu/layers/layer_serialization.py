"""``layers.serialize`` and ``layers.deserialize``: a layer to and from its config dict."""

from cornu.layers.layer import Layer
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


def serialize(layer):
    """The configuration of ``layer`` as a Python dict (``module``, ``class_name``, ``config``,
    ``registered_name``), as ``keras.layers.serialize`` writes it."""
    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """The layer described by ``config`` (from ``serialize``, cornu's or Keras's).

    Args:
        config: a dict from ``serialize``.
        custom_objects: a dict of the user's classes and functions, by name.

    Raises ValueError when the config describes something other than a layer.
    """
    obj = deserialize_keras_object(config, custom_objects=custom_objects, kind="layer")
    if not isinstance(obj, Layer):
        raise ValueError(
            "`layers.deserialize` was passed a `config` object that is not a `Layer`. "
            f"Received: {config}"
        )
    return obj
