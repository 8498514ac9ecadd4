"""The registry of user classes and functions that may be rebuilt from a config.

Nothing is ever imported by name while loading: only cornu's own classes and the objects
registered here (or passed as ``custom_objects``) can be created from a file.
"""

import inspect
import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_scopes = threading.local()


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function as ``"package>name"`` so that it can be rebuilt from a
    config (``model.save`` / ``cornu.saving.load_model``, ``model_from_json``, ...).

    ```python
    @cornu.saving.register_keras_serializable(package="my_package")
    class Scale(cornu.layers.Layer):
        ...
    ```

    Args:
        package: the package part of the registered name.
        name: the object's name in the package; its ``__name__`` when None.

    Returns:
        A decorator that registers its argument and returns it unchanged.
    """

    def decorator(obj):
        obj_name = name if name is not None else obj.__name__
        registered_name = f"{package}>{obj_name}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


def get_registered_name(obj):
    """The name ``obj`` was registered under (``"package>name"``), else its ``__name__``."""
    try:
        if obj in _GLOBAL_CUSTOM_NAMES:
            return _GLOBAL_CUSTOM_NAMES[obj]
    except TypeError:  # unhashable
        pass
    return obj.__name__


def registered_name_or_none(obj):
    """The registered name of ``obj``, or None when it was never registered."""
    try:
        return _GLOBAL_CUSTOM_NAMES.get(obj)
    except TypeError:
        return None


def _scope_stack():
    if not hasattr(_scopes, "stack"):
        _scopes.stack = []
    return _scopes.stack


class CustomObjectScope:
    """Makes ``custom_objects`` (a dict of name to class or function) known to every
    deserialization inside the ``with`` block.

    ```python
    with cornu.saving.custom_object_scope({"Scale": Scale}):
        model = cornu.saving.load_model("model.keras")
    ```

    Args:
        custom_objects: a dict mapping names to classes or functions.
    """

    def __init__(self, custom_objects=None):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _scope_stack().append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


def scoped_custom_objects():
    """The objects of every active ``custom_object_scope``, the innermost winning."""
    merged = {}
    for objects in _scope_stack():
        merged.update(objects)
    return merged


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The class or function known as ``name``: from an active ``custom_object_scope``, the
    global registry, ``custom_objects``, then ``module_objects`` (in Keras's order); None when
    none of them has it.

    Args:
        name: the name to look up (``"package>name"`` for registered objects).
        custom_objects: an optional dict of the user's objects.
        module_objects: an optional dict of a library's own objects.
    """
    if not isinstance(name, str):
        return None
    scoped = scoped_custom_objects()
    if name in scoped:
        return scoped[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def get_custom_objects():
    """The live dict of registered objects (``"package>name"`` -> object); adding to it
    registers an object too."""
    return _GLOBAL_CUSTOM_OBJECTS


__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
]
