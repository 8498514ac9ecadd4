"""Objects to Keras 2 configs and back: ``{"class_name": ..., "config": {...}}`` without the
``module`` and ``registered_name`` keys of the Keras 3 format; functions by their name.

Only classes and functions found in ``custom_objects``, ``module_objects``, an active
``custom_object_scope`` or the registry of ``register_keras_serializable`` are created, so a
config never imports code.
"""

import inspect

from cornu.saving import object_registration

_PASSIVE = "__passive_serialization__"


def serialize_keras_object(instance):
    """Serializes an object into a Keras 2 style config.

    An object with `get_config()` becomes `{"class_name": name, "config": config}` (its
    registered name when it was registered); a function or class becomes its registered name
    (or `__name__`).

    Args:
        instance: the object to serialize.

    Returns:
        A JSON-compatible dict, a string, or None for None.

    Raises:
        ValueError: if the object has neither `get_config()` nor a name.
    """
    instance = inspect.unwrap(instance)
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        config = {}
        for key, item in instance.get_config().items():
            if isinstance(item, str):
                config[key] = item
                continue
            try:
                serialized = serialize_keras_object(item)
            except ValueError:  # plain values (numbers, lists, dicts) are kept as they are
                config[key] = item
                continue
            if isinstance(serialized, dict) and not isinstance(item, dict):
                serialized[_PASSIVE] = True
            config[key] = serialized
        name = object_registration.get_registered_name(type(instance))
        return {"class_name": name, "config": config}
    if hasattr(instance, "__name__"):
        return object_registration.get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance!r} because it doesn't implement `get_config()`.")


def _unknown(printable_module_name, name):
    return ValueError(
        f"Unknown {printable_module_name}: '{name}'. Please ensure you are using a "
        "`cornu.utils.custom_object_scope` and that this object is included in the scope, "
        "or pass it in `custom_objects`."
    )


def _class_and_config(config, module_objects, custom_objects, printable_module_name):
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(
            f"Improper config format for {config}. Expecting python dict contains "
            "`class_name` and `config` as keys"
        )
    class_name = config["class_name"]
    cls = object_registration.get_registered_object(class_name, custom_objects, module_objects)
    if cls is None:
        raise _unknown(printable_module_name, class_name)
    cls_config = config["config"]
    if isinstance(cls_config, list):
        return cls, cls_config
    cls_config = dict(cls_config)
    for key, item in cls_config.items():
        if key == "name":
            continue
        if isinstance(item, dict) and _PASSIVE in item:
            cls_config[key] = deserialize_keras_object(
                item,
                module_objects=module_objects,
                custom_objects=custom_objects,
                printable_module_name="config_item",
            )
        elif isinstance(item, str):
            found = object_registration.get_registered_object(item, custom_objects, module_objects)
            if inspect.isfunction(found):
                cls_config[key] = found
    return cls, cls_config


def deserialize_keras_object(
    identifier, module_objects=None, custom_objects=None, printable_module_name="object"
):
    """Turns a Keras 2 style config (or a name) back into an object.

    Args:
        identifier: a `{"class_name": ..., "config": ...}` dict, the name of a function or
            class (a class is instantiated without arguments), or a function (returned as is).
        module_objects: a dict of the library's objects to look names up in.
        custom_objects: a dict of the user's objects to look names up in.
        printable_module_name: what the object is, for error messages.

    Returns:
        The deserialized object, or None for None.

    Raises:
        ValueError: for an unknown name or a malformed config.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        cls, cls_config = _class_and_config(
            identifier, module_objects, custom_objects, printable_module_name
        )
        custom_objects = custom_objects or {}
        if hasattr(cls, "from_config"):
            parameters = inspect.signature(cls.from_config).parameters
            if "custom_objects" in parameters:
                merged = {**object_registration.get_custom_objects(), **custom_objects}
                return cls.from_config(cls_config, custom_objects=merged)
            with object_registration.CustomObjectScope(custom_objects):
                return cls.from_config(cls_config)
        with object_registration.CustomObjectScope(custom_objects):
            return cls(**cls_config)
    if isinstance(identifier, str):
        # Keras 2's order: the given custom objects, the active scopes, the registry, the module.
        obj = (custom_objects or {}).get(identifier)
        if obj is None:
            obj = object_registration.get_registered_object(identifier, None, module_objects)
        if obj is None:
            raise _unknown(printable_module_name, identifier)
        return obj() if inspect.isclass(obj) else obj
    if inspect.isfunction(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")
