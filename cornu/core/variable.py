"""The backend-neutral part of a Variable: naming, shape and dtype, assignment, operators."""

import numpy as np

from cornu.core.dtypes import standardize_dtype
from cornu.core.global_state import charge_allocation


class VariableBase:
    """A named, stateful tensor: a layer's weight, an optimizer slot, a metric's accumulator.

    Args:
        initializer: an initializer (called with ``shape`` and ``dtype``), or an initial value.
        shape: the shape; taken from the value when ``initializer`` is a value.
        dtype: the dtype name, ``floatx()`` when None.
        trainable: whether gradients update it.
        name: the name, unique within its layer.

    The backend subclass stores the value (``_initialize``, ``_direct_assign``).
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None):
        name = name or "variable"
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"A variable's name must be a string without '/'. Received: name={name!r}"
            )
        self._name = name
        self._path = name
        self._trainable = bool(trainable)
        self.regularizer = None
        self.constraint = None
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable {name!r}: a `shape` is needed when the initializer is callable."
                )
            self._dtype = standardize_dtype(dtype)
            charge_allocation(shape, name)
            value = initializer(tuple(shape), dtype=self._dtype)
        else:
            value = initializer
            if dtype is None and hasattr(value, "dtype"):
                dtype = value.dtype
            self._dtype = standardize_dtype(dtype)
        self._initialize(value)
        if shape is not None and tuple(self.shape) != tuple(shape):
            raise ValueError(
                f"Variable {name!r}: the initial value has shape {tuple(self.shape)}, "
                f"expected {tuple(shape)}."
            )

    # The backend subclass implements these.
    def _initialize(self, value):
        raise NotImplementedError

    def _direct_assign(self, value):
        raise NotImplementedError

    def numpy(self):
        """The value as a NumPy array."""
        raise NotImplementedError

    @property
    def value(self):
        """The backend tensor that holds the variable's value."""
        return self._value

    @property
    def name(self):
        return self._name

    @property
    def path(self):
        """``"layer_name/variable_name"`` once a layer owns it."""
        return self._path

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return tuple(self._value.shape)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    def assign(self, value):
        """Sets the value in place; the shape must stay the same."""
        shape = tuple(getattr(value, "shape", np.shape(value)))
        if shape != self.shape:
            raise ValueError(
                f"Cannot assign a value of shape {shape} to variable {self.path!r} "
                f"of shape {self.shape}."
            )
        self._direct_assign(value)
        return value

    def assign_add(self, value):
        """Adds ``value`` in place."""
        self._direct_assign(self._value + value)

    def assign_sub(self, value):
        """Subtracts ``value`` in place."""
        self._direct_assign(self._value - value)

    def _operand(self, other):
        """``other`` ready for arithmetic with the value: a variable's value, or a NumPy
        array as a backend tensor."""
        if isinstance(other, VariableBase):
            return other._value
        if isinstance(other, (np.ndarray, np.generic)):
            return self._from_array(other)
        return other

    def _from_array(self, array):
        raise NotImplementedError

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array.astype(dtype) if dtype is not None else array

    def __repr__(self):
        return (
            f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
            f"value={self.numpy()}>"
        )

    def __len__(self):
        return self.shape[0]

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __bool__(self):
        return bool(self.numpy())

    def __getitem__(self, index):
        return self._value[index]

    def __neg__(self):
        return -self._value

    def __pos__(self):
        return self._value

    def __abs__(self):
        return abs(self._value)

    def __add__(self, other):
        return self._value + self._operand(other)

    def __radd__(self, other):
        return self._operand(other) + self._value

    def __sub__(self, other):
        return self._value - self._operand(other)

    def __rsub__(self, other):
        return self._operand(other) - self._value

    def __mul__(self, other):
        return self._value * self._operand(other)

    def __rmul__(self, other):
        return self._operand(other) * self._value

    def __truediv__(self, other):
        return self._value / self._operand(other)

    def __rtruediv__(self, other):
        return self._operand(other) / self._value

    def __pow__(self, other):
        return self._value ** self._operand(other)

    def __rpow__(self, other):
        return self._operand(other) ** self._value

    def __matmul__(self, other):
        return self._value @ self._operand(other)

    def __rmatmul__(self, other):
        return self._operand(other) @ self._value

    def __lt__(self, other):
        return self._value < self._operand(other)

    def __le__(self, other):
        return self._value <= self._operand(other)

    def __gt__(self, other):
        return self._value > self._operand(other)

    def __ge__(self, other):
        return self._value >= self._operand(other)
