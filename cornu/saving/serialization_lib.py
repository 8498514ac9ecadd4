"""Objects to plain (JSON-friendly) configs and back, in Keras 3's schema.

A serialized object is ``{"module", "class_name", "config", "registered_name"}`` (plus
``build_config`` / ``compile_config`` for layers and models). cornu's own classes are written
under Keras's public modules (``"keras.layers"``, ``"keras.optimizers"``, ...) so that Keras
rebuilds them with its own classes, and a config written by Keras rebuilds cornu's.

Deserialization never imports anything named in a config: a class is taken from cornu's own
public namespaces, from the objects registered with ``register_keras_serializable``, or from
``custom_objects``; anything else is refused. Python lambdas (stored as bytecode) are refused
unless safe mode is turned off.
"""

import difflib
import inspect
import types
import warnings

import numpy as np

from cornu import core, ops
from cornu.saving import object_registration
from cornu.saving.safe_mode import (  # noqa: F401 (part of this module's API)
    SafeModeScope,
    enable_unsafe_deserialization,
    in_safe_mode,
)

PLAIN_TYPES = (str, int, float, bool)

# Keras's public modules and the cornu subpackages that hold their classes and functions.
_KERAS_MODULES = {
    "keras.layers": ("layers",),
    "keras.optimizers": ("optimizers",),
    "keras.optimizers.schedules": ("optimizers.schedules",),
    "keras.initializers": ("initializers",),
    "keras.regularizers": ("regularizers",),
    "keras.constraints": ("constraints",),
    "keras.losses": ("losses",),
    "keras.metrics": ("metrics",),
    "keras.activations": ("activations",),
    "keras.random": ("random",),
    "keras.models": ("models",),
    "keras.dtype_policies": ("dtype_policies",),
    "keras.mixed_precision": ("mixed_precision",),
    "keras": ("models", "layers", "dtype_policies"),
}
# Where Keras looks for a function saved by its bare name (``module: "builtins"``).
_FUNCTION_MODULES = (
    "activations",
    "constraints",
    "initializers",
    "losses",
    "metrics",
    "optimizers",
    "regularizers",
)
# Names of the public API that a config may never designate (they are not part of a model).
_NON_MODELING = frozenset(
    {
        "load_model",
        "save_model",
        "model_from_json",
        "clone_model",
        "load_weights",
        "save_weights",
        "serialize",
        "deserialize",
        "get",
    }
)


# ---- safe mode ------------------------------------------------------------------------------


def _effective_safe_mode(safe_mode):
    scoped = in_safe_mode()
    if scoped is not None:
        return scoped is not False
    return safe_mode is not False


# ---- serialization --------------------------------------------------------------------------


def serialize_keras_object(obj):
    """A JSON-friendly description of ``obj`` in Keras 3's schema.

    Plain values, lists and dicts are kept as they are (their items serialized); NumPy arrays
    and tensors become ``__numpy__`` / ``__tensor__`` entries; a function becomes
    ``{"module": "builtins", "class_name": "function", "config": <its registered name>}``;
    an object with ``get_config`` becomes ``{"module", "class_name", "config",
    "registered_name"}`` plus its ``build_config`` and ``compile_config`` when it has them.

    Args:
        obj: the object to describe.

    Returns:
        A structure of dicts, lists, strings, numbers, booleans and None.
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items  # as Keras (JSON: a list)
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {
                "start": serialize_keras_object(obj.start),
                "stop": serialize_keras_object(obj.stop),
                "step": serialize_keras_object(obj.step),
            },
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    from cornu import backend

    if isinstance(obj, core.KerasTensor):
        history = getattr(obj, "_keras_history", None)
        if history:
            history = [history[0].name, history[1], history[2]]
        return {
            "class_name": "__keras_tensor__",
            "config": {"shape": list(obj.shape), "dtype": obj.dtype, "keras_history": history},
        }
    if isinstance(obj, backend.Variable) or ops.is_tensor(obj):
        value = ops.convert_to_numpy(obj)
        return {
            "class_name": "__tensor__",
            "config": {"value": value.tolist(), "dtype": core.standardize_dtype(value.dtype)},
        }
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {
                "class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": core.standardize_dtype(obj.dtype)},
            }
        return obj.item()
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        from cornu.saving import lambda_code

        warnings.warn(
            "The object being serialized includes a `lambda`. Reloading it needs "
            "`safe_mode=False` (its bytecode would run); prefer a named, registered function.",
            stacklevel=2,
        )
        return {"class_name": "__lambda__", "config": {"value": lambda_code.dump(obj)}}
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return {
            "module": "builtins",
            "class_name": "function",
            "config": object_registration.get_registered_name(obj),
            "registered_name": "function",
        }
    if inspect.isclass(obj) or not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize object {obj!r} of type {type(obj).__name__}. To be "
            "serializable, a class must implement the `get_config()` method."
        )
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(
            f"The `get_config()` method of {obj!r} should return a dict. It returned: {config!r}"
        )
    out = _class_entry(type(obj))
    out["config"] = serialize_dict(config)
    out = {k: out[k] for k in ("module", "class_name", "config", "registered_name")}
    if hasattr(obj, "get_build_config"):
        build_config = obj.get_build_config()
        if build_config is not None:
            out["build_config"] = serialize_dict(build_config)
    if hasattr(obj, "get_compile_config"):
        compile_config = obj.get_compile_config()
        if compile_config is not None:
            out["compile_config"] = serialize_dict(compile_config)
    return out


def serialize_dict(obj):
    """``{key: serialize_keras_object(value)}``."""
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _class_entry(cls):
    """``module``, ``class_name`` and ``registered_name`` of a class, as Keras writes them."""
    module = cls.__module__ or ""
    if module.split(".")[0] == "cornu":
        class_name = cls.__dict__.get("_keras_class_name", cls.__name__)
        own_module = cls.__dict__.get("_keras_module")
        if own_module is not None:  # not part of Keras's public API: named by its source path
            return {"module": own_module, "class_name": class_name, "registered_name": class_name}
        return {"module": public_module(module), "class_name": class_name, "registered_name": None}
    return {
        "module": None if module == "__main__" else module,
        "class_name": cls.__name__,
        "registered_name": object_registration.get_registered_name(cls),
    }


def public_module(module):
    """Keras's public module for a cornu module path (``cornu.layers.core.dense`` ->
    ``keras.layers``)."""
    parts = module.split(".")
    if len(parts) < 2:
        return "keras"
    if parts[1] == "optimizers" and len(parts) > 2 and parts[2] == "schedules":
        return "keras.optimizers.schedules"
    if parts[1] == "models":
        return "keras"
    return "keras." + parts[1]


def dtype_policy_config(dtype):
    """Keras's description of a layer's dtype policy (``{"class_name": "DTypePolicy", ...}``),
    from a policy or the name of a float policy."""
    if hasattr(dtype, "get_config"):
        return serialize_keras_object(dtype)
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": dtype},
        "registered_name": None,
    }


# ---- what a config may name ------------------------------------------------------------------

_namespace_cache = {}
_unexported_classes = {}


def register_unexported_class(cls, subpackage):
    """Lets configs name ``cls`` (a class that ``subpackage`` does not export, such as
    ``Functional``) by its class name. Called by the class's own module, so that saving,
    which sits below the packages it reads, never imports them by name."""
    _unexported_classes[cls.__name__] = (cls, subpackage)
    _namespace_cache.clear()


def _namespace(subpackages, functions):
    """The public classes (or functions) of cornu subpackages, by name."""
    key = (subpackages, functions)
    cached = _namespace_cache.get(key)
    if cached is not None:
        return cached
    import importlib

    objects = {}
    for sub in subpackages:
        space = importlib.import_module(f"cornu.{sub}")
        for name in getattr(space, "__all__", None) or dir(space):
            value = getattr(space, name, None)
            if name.startswith("_") or name in _NON_MODELING:
                continue
            if functions:
                ok = isinstance(value, types.FunctionType)
            else:
                ok = inspect.isclass(value) and hasattr(value, "from_config")
            if ok:
                objects.setdefault(name, value)
                if not functions:
                    keras_name = value.__dict__.get("_keras_class_name")
                    if keras_name:
                        objects.setdefault(keras_name, value)
    if not functions:
        for name, (cls, subpackage) in _unexported_classes.items():
            if subpackage in subpackages:
                objects.setdefault(name, cls)
    _namespace_cache[key] = objects
    return objects


_ALL_SUBPACKAGES = (
    "layers",
    "models",
    "optimizers",
    "optimizers.schedules",
    "losses",
    "metrics",
    "initializers",
    "regularizers",
    "constraints",
    "activations",
    "random",
    "dtype_policies",
    "applications.convnext",
    "applications.inception_resnet_v2",
)
_KIND_SUBPACKAGES = {"layer": ("layers", "models"), "model": ("models", "layers")}


def _keras_classes(module, kind):
    """The cornu classes a Keras module name may refer to: those of its public module, else
    (a ``keras.src...`` path, or no module) of the subpackage its path or ``kind`` names
    first, then of all."""
    spaces = _KERAS_MODULES.get(module)
    if spaces is not None:
        return _namespace(spaces, functions=False)
    parts = module.split(".")
    first = [s for s in _ALL_SUBPACKAGES if s.split(".")[-1] in parts[1:]]
    first += list(_KIND_SUBPACKAGES.get(kind, ()))
    if kind.endswith("s") and kind in _ALL_SUBPACKAGES:
        first.append(kind)
    elif f"{kind}s" in _ALL_SUBPACKAGES:
        first.append(f"{kind}s")
    order = tuple(dict.fromkeys(first + list(_ALL_SUBPACKAGES)))
    objects = _namespace_cache.get(order)
    if objects is None:
        objects = {}
        for sub in order:
            for name, value in _namespace((sub,), functions=False).items():
                objects.setdefault(name, value)
        _namespace_cache[order] = objects
    return objects


def _keras_functions(module):
    if module in _KERAS_MODULES:
        return _namespace(_KERAS_MODULES[module], functions=True)
    return _namespace(_FUNCTION_MODULES, functions=True)


def _is_keras_module(module):
    return module == "keras" or module.startswith("keras.") or module == "builtins"


# ---- deserialization ------------------------------------------------------------------------


def deserialize_keras_object(
    config, custom_objects=None, safe_mode=None, module_objects=None, kind="object"
):
    """Rebuilds an object from ``serialize_keras_object``'s output (cornu's or Keras's), or
    from a name.

    Args:
        config: a config dict, a name, or a list or dict of them.
        custom_objects: a dict of the user's classes and functions, by name.
        safe_mode: False allows Python lambdas stored as bytecode (their code runs); the
            active ``SafeModeScope`` decides when there is one; safe otherwise.
        module_objects: a dict of the objects a bare name may refer to (for the ``get``
            functions of each subpackage).
        kind: what is being rebuilt, for error messages (``"layer"``, ``"loss"``, ...).

    Only cornu's public classes and functions, ``custom_objects``, and objects registered
    with ``register_keras_serializable`` are ever created: a config naming anything else
    raises ValueError and runs nothing.
    """
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        obj = object_registration.get_registered_object(config, custom_objects, module_objects)
        if obj is not None:
            return obj
        if module_objects is not None:
            raise ValueError(unknown_name_message(kind, config, module_objects))
        return config
    if isinstance(config, (list, tuple)):
        return [
            deserialize_keras_object(x, custom_objects, safe_mode, module_objects, kind)
            for x in config
        ]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse {kind} config: {config!r}")
    if "class_name" not in config or ("config" not in config and module_objects is None):
        if module_objects is not None:
            raise ValueError(f"Unknown `config` as a `dict` for a {kind}: {config!r}")
        return {
            key: deserialize_keras_object(value, custom_objects, safe_mode)
            for key, value in config.items()
        }
    class_name = config["class_name"]
    if not isinstance(class_name, str):
        raise ValueError(f"Invalid {kind} config: `class_name` must be a string: {config!r}")
    inner = config.get("config")
    if inner is None:
        inner = {}
    special = _SPECIAL.get(class_name)
    if special is not None:
        return special(inner, custom_objects, safe_mode)
    module = config.get("module")
    module = module if isinstance(module, str) else None
    registered_name = config.get("registered_name")
    if class_name == "function":
        return _retrieve_function(inner, module, custom_objects, module_objects, kind)
    cls = _retrieve_class(class_name, registered_name, module, custom_objects, module_objects, kind)
    if cls is None:
        raise ValueError(_unknown_class_message(kind, class_name, module, module_objects))
    if isinstance(cls, types.FunctionType):
        return cls
    if not isinstance(inner, dict):
        raise ValueError(
            f"Expected the `config` of {class_name!r} to be a dict. Received: {inner!r}"
        )
    if not hasattr(cls, "from_config"):
        raise ValueError(
            f"Unable to reconstruct an instance of {class_name!r} because the class is missing "
            "a `from_config()` method."
        )
    with (
        object_registration.CustomObjectScope(custom_objects or {}),
        SafeModeScope(_effective_safe_mode(safe_mode)),
    ):
        instance = cls.from_config(inner)
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            instance.build_from_config(build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(compile_config)
    return instance


def _retrieve_class(class_name, registered_name, module, custom_objects, module_objects, kind):
    for name in (registered_name, class_name):
        if isinstance(name, str) and name:
            found = object_registration.get_registered_object(name, custom_objects)
            if found is not None:
                return found
    if module_objects is not None and class_name in module_objects:
        return module_objects[class_name]
    if module is None or _is_keras_module(module):
        candidates = _keras_classes(module or "", kind)
        if class_name in candidates:
            return candidates[class_name]
    return None


def _retrieve_function(name, module, custom_objects, module_objects, kind):
    if not isinstance(name, str) or not name:
        raise ValueError(f"Expected the name of a function for a {kind}. Received: {name!r}")
    found = object_registration.get_registered_object(name, custom_objects, module_objects)
    if found is not None:
        return found
    if module is None or _is_keras_module(module):
        functions = _keras_functions(module or "")
        if name in functions:
            return functions[name]
        if ">" not in name:  # saved by older Keras under its bare name
            suffix = f">{name}"
            for key, value in {
                **object_registration.get_custom_objects(),
                **(custom_objects or {}),
            }.items():
                if key.endswith(suffix):
                    return value
    raise ValueError(
        unknown_name_message(f"{kind} function", name, module_objects)
        + " Make sure your functions are decorated with "
        "`@cornu.saving.register_keras_serializable()` or passed in `custom_objects`."
    )


def _unknown_class_message(kind, class_name, module, module_objects):
    where = f" (module {module!r})" if module else ""
    message = f"Unknown {kind}: {class_name!r}{where}."
    if module_objects:
        message = unknown_name_message(kind, class_name, module_objects)
    return (
        message + f" Could not locate class {class_name!r}. Make sure custom classes are "
        "decorated with `@cornu.saving.register_keras_serializable()` or passed in "
        "`custom_objects`, and that they are imported before loading."
    )


def _keras_tensor(inner, custom_objects, safe_mode):
    from cornu.core import KerasTensor

    tensor = KerasTensor(tuple(inner["shape"]), dtype=inner.get("dtype"))
    tensor._pre_serialization_keras_history = inner.get("keras_history")
    return tensor


def _tensor(inner, custom_objects, safe_mode):

    return ops.convert_to_tensor(np.array(inner["value"], dtype=inner["dtype"]))


def _numpy(inner, custom_objects, safe_mode):
    return np.array(inner["value"], dtype=inner["dtype"])


def _bytes(inner, custom_objects, safe_mode):
    return inner["value"].encode("utf-8")


def _slice(inner, custom_objects, safe_mode):
    return slice(
        *(
            deserialize_keras_object(inner.get(k), custom_objects, safe_mode)
            for k in ("start", "stop", "step")
        )
    )


def _lambda(inner, custom_objects, safe_mode):
    from cornu.saving import lambda_code

    if _effective_safe_mode(safe_mode):
        raise ValueError(lambda_code.LAMBDA_REFUSED)
    return lambda_code.load(inner)


_SPECIAL = {
    "__keras_tensor__": _keras_tensor,
    "__tensor__": _tensor,
    "__numpy__": _numpy,
    "__bytes__": _bytes,
    "__ellipsis__": lambda inner, custom_objects, safe_mode: Ellipsis,
    "__slice__": _slice,
    "__lambda__": _lambda,
}


# ---- names ---------------------------------------------------------------------------------


def unknown_name_message(kind, name, candidates):
    """``Unknown optimizer: 'adom'. Did you mean 'adam'? ...`` with the valid names."""
    names = sorted(str(n) for n in (candidates or ()))
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
