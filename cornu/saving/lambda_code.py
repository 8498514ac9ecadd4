"""Python lambdas in configs (as Keras stores them), loaded only when the user allows it."""

import codecs
import marshal
import types

from cornu.saving import object_registration

LAMBDA_REFUSED = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. "
    "This carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. If you trust the source of the artifact, you can override this error by passing "
    "`safe_mode=False` to the loading function."
)


def function_to_config(function):
    """A lambda as Keras's ``{"class_name": "__lambda__", "config": {code, defaults, closure}}``
    (its bytecode, marshalled and base64-encoded)."""
    code = codecs.encode(marshal.dumps(function.__code__), "base64").decode("ascii")
    closure = None
    if function.__closure__:
        closure = tuple(cell.cell_contents for cell in function.__closure__)
    return {
        "class_name": "__lambda__",
        "config": {"code": code, "defaults": function.__defaults__, "closure": closure},
    }


def function_from_config(config, safe_mode=None):
    """The lambda stored by ``function_to_config``. Refused (ValueError, nothing decoded)
    unless ``safe_mode`` is False, or the current load was opened with ``safe_mode=False``."""
    if safe_mode is None:
        safe_mode = object_registration.in_safe_mode()
    if safe_mode is not False:
        raise ValueError(LAMBDA_REFUSED)
    if "value" in config:  # the general serializer's form: [code, defaults, closure]
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
