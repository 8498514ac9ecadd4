"""Dtype names as Keras spells them, and their normalisation."""

import numpy as np

FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
ALLOWED_DTYPES = FLOAT_TYPES + INT_TYPES + ("bool", "complex64", "complex128", "string")

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int64",
    "long": "int64",
}


def standardize_dtype(dtype):
    """Returns the Keras name of ``dtype`` (a string, numpy dtype, python type or backend dtype).

    None gives ``floatx()``.
    """
    if dtype is None:
        from cornu.backend.config import floatx

        return floatx()
    if dtype is int:
        return "int64"
    if dtype is float:
        return "float32"
    if dtype is bool:
        return "bool"
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
