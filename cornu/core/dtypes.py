"""Dtype names as Keras spells them, their normalisation, and Keras's type promotion."""

import numpy as np

FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
ALLOWED_DTYPES = FLOAT_TYPES + INT_TYPES + ("bool", "complex64", "complex128", "string")

# Python's types as Keras names them on the torch backend (``int`` is int32, as in Keras).
PYTHON_DTYPES = {bool: "bool", int: "int32", float: "float32", complex: "complex64", str: "string"}

# Names Keras accepts besides the canonical ones ("int" is int32 on torch, as in Keras), and
# torch's own spellings, which cornu accepts too.
_ALIASES = {
    "int": "int32",
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "long": "int64",
}


def standardize_dtype(dtype):
    """Returns the Keras name of ``dtype`` (a string, numpy dtype, python type or backend dtype).

    None gives ``floatx()``; Python's ``int`` and ``"int"`` give ``"int32"`` and ``float``
    gives ``"float32"``, as Keras gives them on the torch backend.
    """
    if dtype is None:
        from cornu.core.config import floatx

        return floatx()
    if isinstance(dtype, type) and dtype in PYTHON_DTYPES:
        return PYTHON_DTYPES[dtype]
    if isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
    elif hasattr(dtype, "name") and isinstance(dtype.name, str):
        name = dtype.name
    elif isinstance(dtype, type) and issubclass(dtype, np.generic):
        name = np.dtype(dtype).name
    else:
        # Backend dtypes such as torch.float32 print as "torch.float32".
        name = str(dtype).split(".")[-1]
    name = _ALIASES.get(name, name)
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {ALLOWED_DTYPES}.")
    return name


def is_float_dtype(dtype):
    """True for the floating-point dtypes."""
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int_dtype(dtype):
    """True for the signed and unsigned integer dtypes."""
    return standardize_dtype(dtype) in INT_TYPES


# Keras's promotion lattice (JAX's): each dtype points to the dtypes just above it. "int" and
# "float" are the weak types of Python numbers, which yield to any dtype of their kind.
_LATTICE = {
    "bool": ("int",),
    "int": ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds():
    bounds = {}
    for node in _LATTICE:
        seen, todo = {node}, [node]
        while todo:
            for parent in _LATTICE[todo.pop()]:
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        bounds[node] = frozenset(seen)
    return bounds


_UPPER_BOUNDS = _upper_bounds()

# The torch backend has no 64-bit default: Keras narrows a promoted 64-bit dtype to 32 bits.
_NARROWED = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def _least_upper_bound(nodes):
    common = frozenset.intersection(*(_UPPER_BOUNDS[n] for n in nodes))
    least = [c for c in common if common <= _UPPER_BOUNDS[c]]
    if len(least) != 1:
        raise ValueError(
            f"Input dtypes {tuple(sorted(nodes))} have no available implicit dtype promotion "
            "path. Try explicitly casting inputs to the desired output type."
        )
    return least[0]


def _weak_kind(dtype):
    if dtype == "bool":
        return dtype
    if "float" in dtype:
        return "float"
    if "int" in dtype:
        return "int"
    return dtype


def _result_type(args, floatx):
    names = [standardize_dtype(floatx if a is None else a) for a in args]
    weak = [a is int or a is float for a in args]
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(frozenset(names)), True
    else:
        nodes = frozenset(_weak_kind(n) if w else n for n, w in zip(names, weak))
        out = _least_upper_bound(nodes)
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        # A weak result takes the width of floatx(): "float" is float32 when floatx is.
        bits = floatx[-2:]
        out = f"uint{bits}" if out.startswith("uint") else f"{_weak_kind(out)}{bits}"
    return _NARROWED.get(out, out)


def result_type(*dtypes):
    """The dtype Keras's type promotion gives to an operation on values of ``dtypes``.

    Each argument is a dtype (any form ``standardize_dtype`` accepts), None (``floatx()``), or
    Python's ``int``/``float`` for a Python number, which takes the dtype of the other
    operands when it fits their kind ("weak" types, as in JAX). As Keras on torch, a promoted
    64-bit dtype is narrowed to 32 bits. No argument gives ``floatx()``.

    Example: ``result_type("int32", float)`` is ``"float32"``; ``result_type("float16",
    float)`` is ``"float16"``; ``result_type("uint8", "int8")`` is ``"int16"``.
    """
    from cornu.core.config import floatx

    if not dtypes:
        return floatx()
    key = (dtypes, floatx())
    try:
        return _RESULT_TYPES[key]
    except KeyError:
        out = _RESULT_TYPES[key] = _result_type(*key)
        return out
    except TypeError:  # an unhashable dtype object
        return _result_type(*key)


# Computed results by (dtypes, floatx): a plain dict, which torch.compile traces quietly.
_RESULT_TYPES = {}
