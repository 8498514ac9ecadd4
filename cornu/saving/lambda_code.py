"""Python lambdas in configs, stored as Keras stores them (marshalled bytecode, base64), and
loaded only when the user turned safe mode off."""

import codecs
import marshal
import types

from cornu.saving.safe_mode import in_safe_mode

LAMBDA_REFUSED = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. "
    "This carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. If you trust the source of the artifact, you can override this error by passing "
    "`safe_mode=False` to the loading function, or calling "
    "`cornu.saving.enable_unsafe_deserialization()`."
)


def dump(function):
    """``[code, defaults, closure]`` of a function: its bytecode marshalled and base64-encoded
    (with newlines, as Keras writes it), its default values and its closure's values."""
    code = codecs.encode(marshal.dumps(function.__code__), "base64").decode("ascii")
    closure = None
    if function.__closure__:
        closure = [cell.cell_contents for cell in function.__closure__]
    defaults = list(function.__defaults__) if function.__defaults__ is not None else None
    return [code, defaults, closure]


def function_to_config(function):
    """A lambda as Keras's ``Lambda`` layer writes it:
    ``{"class_name": "__lambda__", "config": {"code", "defaults", "closure"}}``."""
    code, defaults, closure = dump(function)
    return {
        "class_name": "__lambda__",
        "config": {"code": code, "defaults": defaults, "closure": closure},
    }


def refuse_unless_unsafe(safe_mode=None):
    """Raises ValueError (nothing decoded) unless safe mode is off: ``safe_mode=False``, or no
    value given and the load in progress was opened with ``safe_mode=False``."""
    if safe_mode is None:
        safe_mode = in_safe_mode()
    if safe_mode is not False:
        raise ValueError(LAMBDA_REFUSED)


def function_from_config(config, safe_mode=None):
    """The lambda stored by ``function_to_config`` (refused in safe mode)."""
    refuse_unless_unsafe(safe_mode)
    return load(config)


def load(config):
    """Rebuilds a function from ``{"code", "defaults", "closure"}`` or ``{"value": [code,
    defaults, closure]}``. Runs no check: callers refuse it in safe mode first."""
    if "value" in config:
        code, defaults, closure = config["value"]
    else:
        code, defaults, closure = config["code"], config.get("defaults"), config.get("closure")
    raw = codecs.decode(code.encode("ascii"), "base64")
    function_code = marshal.loads(raw)
    cells = None
    if closure is not None:
        cells = tuple(types.CellType(value) for value in closure)
    return types.FunctionType(
        function_code,
        globals(),
        name=function_code.co_name,
        argdefs=tuple(defaults) if defaults is not None else None,
        closure=cells,
    )
