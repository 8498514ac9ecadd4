"""Objects to and from plain configs, and the lookup of string identifiers like ``"adam"``."""

import difflib
import inspect

from cornu.saving.object_registration import get_registered_name, get_registered_object


def serialize_keras_object(obj):
    """A JSON-friendly description of ``obj``: its class (or function) name and config."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "tolist") and hasattr(obj, "dtype"):
        return obj.tolist()
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return {
            "module": _public_module(obj),
            "class_name": "function",
            "config": obj.__name__,
            "registered_name": get_registered_name(obj),
        }
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no `get_config()` method.")
    return {
        "module": _public_module(type(obj)),
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": get_registered_name(type(obj)),
    }


def _public_module(obj):
    module = getattr(obj, "__module__", "") or ""
    parts = module.split(".")
    if parts[0] == "cornu" and len(parts) > 1:
        return "keras." + parts[1]
    return module


def deserialize_keras_object(config, module_objects=None, custom_objects=None, kind="object"):
    """Rebuilds an object from ``serialize_keras_object``'s output, or from a name.

    Only objects named in ``module_objects`` (cornu's own), ``custom_objects`` or the registry
    are ever created.
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
    return cls.from_config(inner)


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
