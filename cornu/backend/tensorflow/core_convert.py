"""TensorFlow tensor conversion: dtype names, ``convert_to_tensor``, ``cast``, ``convert_to_numpy``.

NumPy and Python data get Keras's dtypes (Python ints int32, floats ``floatx()``); TensorFlow
keeps the 64-bit dtypes, as torch does.
"""

import numpy as np
import tensorflow as tf

from cornu.core import tree
from cornu.core.config import floatx
from cornu.core.dtypes import standardize_dtype
from cornu.core.keras_tensor import KerasTensor
from cornu.core.variable import VariableBase


class SymbolicValueError(ValueError):
    """A symbolic tensor (inside a ``tf.function`` trace) was asked for its values."""


def to_tf_dtype(dtype):
    """The ``tf.DType`` for a Keras dtype name (or anything ``standardize_dtype`` accepts)."""
    if isinstance(dtype, tf.DType):
        return dtype
    return tf.as_dtype(standardize_dtype(dtype))


def is_tensor(x):
    """True for a TensorFlow tensor (eager, or symbolic inside a ``tf.function``) and for the
    ``tf.Variable`` that holds a cornu Variable's value (as in Keras); False for the cornu
    Variable itself."""
    return tf.is_tensor(x) and not isinstance(x, VariableBase)


def _python_dtype(x):
    """The dtype Keras gives Python data: booleans stay bool, ints become int32 (int64 when
    one does not fit), floats ``floatx()``; None for anything else (TensorFlow decides)."""
    kinds = set()
    big = False
    stack = [x]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, bool):
            kinds.add(bool)
        elif isinstance(item, int):
            kinds.add(int)
            big = big or not -(2**31) <= item < 2**31
        elif isinstance(item, float):
            kinds.add(float)
        else:
            return None
    if float in kinds or not kinds:
        return floatx()
    if int in kinds:
        return "int64" if big else "int32"
    return "bool"


def _numeric_error(x):
    return TypeError(
        f"Expected numeric data (a number, list, NumPy array or tensor), received "
        f"{type(x).__name__}: {str(x)[:80]}"
    )


def _unwrap(x):
    """A Variable's value; lists and tuples item-wise (so TensorFlow sees tensors only)."""
    if isinstance(x, VariableBase):
        return x.value
    if isinstance(x, tf.Variable):
        return x.read_value()
    if isinstance(x, (list, tuple)):
        return [_unwrap(v) for v in x]
    return x


def _symbolic_error(x):
    return TypeError(
        f"{x!r} is symbolic and has no values; it cannot become a tensor. In a Functional "
        "model, do the computation inside a Layer (a subclass of `cornu.layers.Layer` with a "
        "`call` method) so it runs on real arrays."
    )


def convert_to_tensor(x, dtype=None, sparse=None):
    """``x`` as a ``tf.Tensor``; a tensor already of that dtype is returned as it is.

    NumPy arrays keep their dtype, Python ints become int32 (int64 when one does not fit) and
    floats ``floatx()``; torch tensors and jax arrays pass through NumPy. Strings and other
    non-numeric data raise a TypeError.
    """
    if sparse:
        raise ValueError("`sparse=True` is not supported on the TensorFlow backend.")
    target = to_tf_dtype(dtype) if dtype is not None else None
    if isinstance(x, VariableBase):
        x = x.value
    if isinstance(x, tf.Variable):
        x = x.read_value() if tf.executing_eagerly() else tf.convert_to_tensor(x)
    if tf.is_tensor(x):
        if isinstance(x, tf.SparseTensor):
            x = tf.sparse.to_dense(x)
        if target is None or x.dtype == target:
            return x
        return tf.cast(x, target)
    if isinstance(x, KerasTensor):
        raise _symbolic_error(x)
    if not isinstance(x, (np.ndarray, np.generic, list, tuple)) and hasattr(x, "__array__"):
        if hasattr(x, "detach"):  # a foreign (torch) tensor, converted as Keras converts it
            x = x.detach().cpu()
            if str(x.dtype) == "torch.bfloat16":
                return convert_to_tensor(np.asarray(x.float()), dtype or "bfloat16")
        x = np.asarray(x)
    if isinstance(x, (np.ndarray, np.generic)):
        if x.dtype.kind in "OUSV":
            raise TypeError(
                f"Expected numeric data, received a NumPy array of dtype {x.dtype}. "
                "Convert strings and objects to numbers first (e.g. with "
                "`x.astype('float32')`)."
            )
        tensor = tf.convert_to_tensor(x)
        if target is not None and tensor.dtype != target:
            tensor = tf.cast(tensor, target)
        return tensor
    if target is None:
        inferred = _python_dtype(x)
        target = to_tf_dtype(inferred) if inferred is not None else None
    unwrapped = _unwrap(x)
    try:
        if isinstance(unwrapped, list) and any(tf.is_tensor(v) for v in tree.flatten(unwrapped)):
            # A list holding tensors: stacked in the tensors' own dtype, then cast.
            tensor = tf.convert_to_tensor(
                tree.map_structure(lambda v: v if tf.is_tensor(v) else np.asarray(v), unwrapped)
            )
            return tensor if target is None or tensor.dtype == target else tf.cast(tensor, target)
        if target is not None and isinstance(unwrapped, (int, float, bool, list)):
            # Through NumPy so that values are cast (TensorFlow refuses 1.5 as an int tensor).
            return tf.convert_to_tensor(np.asarray(unwrapped).astype(target.as_numpy_dtype))
        return tf.convert_to_tensor(unwrapped, dtype=target)
    except (TypeError, ValueError) as e:
        raise _numeric_error(x) from e


def cast(x, dtype):
    """``x`` converted to ``dtype``."""
    return convert_to_tensor(x, dtype)


def convert_to_numpy(x):
    """``x`` as a NumPy array on the host (bfloat16 becomes float32). A variable's value is
    copied, so the array does not change when the variable does."""
    if isinstance(x, VariableBase):
        x = x.value
    if isinstance(x, (list, tuple)):
        return np.array([convert_to_numpy(v) for v in x])
    if isinstance(x, tf.SparseTensor):
        x = tf.sparse.to_dense(x)
    if isinstance(x, tf.Variable):
        x = x.read_value()
    if tf.is_tensor(x):
        if x.dtype == tf.bfloat16:
            x = tf.cast(x, tf.float32)
        if not hasattr(x, "numpy"):
            raise SymbolicValueError(
                f"Cannot convert a symbolic tensor to NumPy: {x!r} has no values while a "
                "tf.function is being traced. Convert it after the compiled call returns."
            )
        return np.array(x.numpy())
    return np.asarray(x)


def shape(x):
    """The shape as a tuple of ints (None in a symbolic tensor's unknown sizes)."""
    if isinstance(x, VariableBase):
        return tuple(x.shape)
    return tuple(x.shape.as_list()) if tf.is_tensor(x) else tuple(np.shape(x))


def standardize_tensor_dtype(x):
    """The Keras dtype name of a tensor's dtype."""
    return standardize_dtype(x.dtype)
