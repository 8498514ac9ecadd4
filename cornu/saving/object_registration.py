"""The registry of user classes and functions that may be rebuilt from a config."""

import inspect

_CUSTOM_OBJECTS = {}
_CUSTOM_NAMES = {}


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function as ``"package>name"`` so it can be rebuilt from a config.

    Args:
        package: the package part of the registered name.
        name: the object's name; its ``__name__`` when None.
    """

    def decorator(obj):
        obj_name = name if name is not None else obj.__name__
        registered_name = f"{package}>{obj_name}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register {obj!r}: a registered class needs a `get_config()` method."
            )
        _CUSTOM_OBJECTS[registered_name] = obj
        _CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


def get_registered_name(obj):
    """The registered name of ``obj``, or its ``__name__`` when it is not registered."""
    return _CUSTOM_NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


_SCOPES = []


class custom_object_scope:  # noqa: N801 - Keras's name
    """Makes ``custom_objects`` (a dict of name to class or function) known to every
    deserialization inside the ``with`` block.

    ```python
    with cornu.saving.custom_object_scope({"MyLayer": MyLayer}):
        model = cornu.saving.load_model("model.keras")
    ```
    """

    def __init__(self, custom_objects=None, safe_mode=None):
        self.custom_objects = dict(custom_objects or {})
        self.safe_mode = safe_mode

    def __enter__(self):
        _SCOPES.append(self)
        return self

    def __exit__(self, *exc):
        _SCOPES.pop()


CustomObjectScope = custom_object_scope


def in_safe_mode():
    """False only inside a load that the user opened with ``safe_mode=False``."""
    for scope in reversed(_SCOPES):
        if scope.safe_mode is not None:
            return scope.safe_mode
    return True


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered (or passed in ``custom_objects``/``module_objects``, or in an
    active ``custom_object_scope``) as ``name``."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(_SCOPES):
        if name in scope.custom_objects:
            return scope.custom_objects[name]
    if name in _CUSTOM_OBJECTS:
        return _CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def get_custom_objects():
    """The live dict of registered objects (name -> object)."""
    return _CUSTOM_OBJECTS
