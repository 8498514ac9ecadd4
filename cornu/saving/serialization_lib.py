"""Objects to and from plain configs, and the lookup of string identifiers like ``"adam"``."""

import difflib
import inspect

from cornu.saving.object_registration import get_registered_object


def serialize_keras_object(obj):
    """A JSON-friendly description of ``obj`` in Keras 3's schema: ``module``, ``class_name``,
    ``config``, ``registered_name`` (and ``build_config`` for a built layer).

    cornu's own classes are named by Keras's public modules (``"keras.layers"``), so Keras
    reads the description with its own classes.
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "tolist") and hasattr(obj, "dtype"):
        return obj.tolist()
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        registered = _CUSTOM_NAMES_GET(obj)
        return {
            "module": _public_module(obj),
            "class_name": "function",
            "config": obj.__name__,
            "registered_name": registered or obj.__name__,
        }
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no `get_config()` method.")
    cls = type(obj)
    config = {
        "module": _public_module(cls),
        "class_name": getattr(cls, "_keras_class_name", cls.__name__),
        "config": obj.get_config(),
        "registered_name": _CUSTOM_NAMES_GET(cls),
    }
    build_config = getattr(obj, "get_build_config", lambda: None)()
    if build_config is not None:
        config["build_config"] = build_config
    return config


def _CUSTOM_NAMES_GET(obj):
    from cornu.saving.object_registration import _CUSTOM_NAMES

    return _CUSTOM_NAMES.get(obj)


def _public_module(obj):
    module = getattr(obj, "_keras_module", None) or getattr(obj, "__module__", "") or ""
    parts = module.split(".")
    if parts[0] == "cornu" and len(parts) > 1:
        if parts[1] == "optimizers" and len(parts) > 2 and parts[2] == "schedules":
            return "keras.optimizers.schedules"
        if parts[1] == "models":
            return "keras"
        return "keras." + parts[1]
    return module


def _cornu_objects(module):
    """The cornu classes and functions a Keras module name may refer to (by name)."""
    import cornu

    spaces = {
        "keras.layers": [cornu.layers],
        "keras.optimizers": [cornu.optimizers],
        "keras.optimizers.schedules": [cornu.optimizers.schedules],
        "keras.initializers": [cornu.initializers],
        "keras.regularizers": [cornu.regularizers],
        "keras.constraints": [cornu.constraints],
        "keras.losses": [cornu.losses],
        "keras.metrics": [cornu.metrics],
        "keras.activations": [cornu.activations],
        "keras": [cornu.models, cornu.layers],
        "keras.models": [cornu.models],
    }
    found = spaces.get(module)
    if found is None and module.startswith("keras"):
        found = [space for spaces_ in spaces.values() for space in spaces_]
    objects = {}
    for space in found or ():
        for name in getattr(space, "__all__", None) or dir(space):
            value = getattr(space, name, None)
            if callable(value) and not name.startswith("_"):
                objects.setdefault(name, value)
    if module.startswith("keras"):
        from cornu.models.functional import Functional

        objects.setdefault("Functional", Functional)
    return objects


def deserialize_keras_object(
    config, module_objects=None, custom_objects=None, kind="object", safe_mode=None
):
    """Rebuilds an object from ``serialize_keras_object``'s output (cornu's or Keras's), or
    from a name.

    Only cornu's own classes and functions, the objects in ``custom_objects`` and registered
    ones are ever created: a config naming any other module or class raises ValueError.
    ``safe_mode`` (None: that of the load in progress, else True) refuses Python lambdas.
    """
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        obj = get_registered_object(config, custom_objects, module_objects)
        if obj is None:
            raise ValueError(unknown_name_message(kind, config, module_objects))
        return obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Cannot rebuild a {kind} from {config!r}: expected a name or a config.")
    class_name = config["class_name"]
    inner = config.get("config", {})
    module = str(config.get("module") or "")
    if class_name == "__lambda__":
        from cornu.saving.lambda_code import function_from_config

        return function_from_config(inner, safe_mode)
    if module_objects is None and module:
        module_objects = _cornu_objects(module)
    if class_name == "function":
        name = config.get("registered_name") or inner
        obj = get_registered_object(name, custom_objects, module_objects)
        if obj is None:
            obj = get_registered_object(inner, custom_objects, module_objects)
        if obj is None:
            raise ValueError(unknown_name_message(kind, inner, module_objects))
        return obj
    cls = None
    for name in (config.get("registered_name"), class_name):
        if name:
            cls = get_registered_object(name, custom_objects, module_objects)
            if cls is not None:
                break
    if cls is None:
        raise ValueError(
            unknown_name_message(kind, class_name, module_objects)
            + " If it is your own class, pass it in `custom_objects` or register it with "
            "`@cornu.saving.register_keras_serializable()`."
        )
    if not hasattr(cls, "from_config"):
        raise ValueError(f"Cannot rebuild {class_name!r}: it is not a class with a config.")
    from cornu.saving import object_registration

    with object_registration.custom_object_scope(custom_objects or {}, safe_mode=safe_mode):
        obj = cls.from_config(inner)
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config"):
        obj.build_from_config(build_config)
    return obj


def unknown_name_message(kind, name, candidates):
    """``Unknown optimizer: 'adom'. Did you mean 'adam'? ...`` with the valid names."""
    names = sorted(candidates or ())
    message = f"Unknown {kind}: {name!r}."
    close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.5)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = difflib.get_close_matches(str(name).lower(), list(lowered), n=1, cutoff=0.5)
        close = [lowered[c] for c in close]
    if close:
        message += f" Did you mean {close[0]!r}?"
    if names:
        message += f" Valid names: {', '.join(repr(n) for n in names)}."
    return message


def resolve(identifier, deserialize, kind, expected, valid=callable):
    """The object an identifier names, as the ``get()`` of each subpackage returns it.

    Args:
        identifier: None, a name or config dict (given to ``deserialize``), a class
            (instantiated with its defaults), or an object (returned as it is).
        deserialize: the subpackage's ``deserialize`` function.
        kind: what is looked up, for the error message (``"loss"``, ``"metric"``, ...).
        expected: what would have been valid, for the error message.
        valid: the test the resolved object must pass (being callable by default).

    An unknown name raises ValueError naming the closest valid one; anything that resolves
    to an object failing ``valid`` raises ValueError saying what was expected.
    """
    if identifier is None:
        return None
    obj = deserialize(identifier) if isinstance(identifier, (str, dict)) else identifier
    if inspect.isclass(obj):
        obj = obj()
    if not valid(obj):
        raise ValueError(
            f"Could not interpret {kind} identifier: {identifier!r}. Expected {expected}."
        )
    return obj
