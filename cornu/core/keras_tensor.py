"""The symbolic tensor that ``Input()`` returns and that layers build models from."""

from cornu.core.dtypes import standardize_dtype


class KerasTensor:
    """A placeholder with a shape and a dtype, and no values.

    Calling a layer on KerasTensors builds the layer and returns new KerasTensors that remember
    the call (``_keras_history``); ``Model(inputs, outputs)`` walks that history into a graph.

    Args:
        shape: a tuple of ints or None (None for a size not known yet, such as the batch).
        dtype: the dtype name, ``floatx()`` when None.
        name: an optional name.
    """

    def __init__(self, shape, dtype="float32", sparse=False, name=None):
        self._shape = tuple(None if d is None else int(d) for d in shape)
        self._dtype = standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.name = name
        self._keras_history = None

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def __repr__(self):
        return f"<KerasTensor shape={self._shape}, dtype={self._dtype}, name={self.name}>"

    def __len__(self):
        raise TypeError(
            "A symbolic KerasTensor has no length. Use `tensor.shape[0]` (which may be None)."
        )

    def __iter__(self):
        raise TypeError("A symbolic KerasTensor cannot be iterated over.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor has no truth value.")

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            f"{self!r} is symbolic: it holds no values and cannot become a NumPy array. "
            "Call the model on real data (e.g. `model.predict(x)`) to get values."
        )

    # Arithmetic on symbolic tensors records an operation layer in the graph. The layers
    # package installs the function that does it (the backend does not import layers).
    _apply_operator = None

    def _operator(self, name, *args):
        if KerasTensor._apply_operator is None:
            raise TypeError(f"Symbolic tensors do not support `{name}` before cornu.layers loads.")
        return KerasTensor._apply_operator(name, *args)

    def __add__(self, other):
        return self._operator("add", self, other)

    def __radd__(self, other):
        return self._operator("add", other, self)

    def __sub__(self, other):
        return self._operator("subtract", self, other)

    def __rsub__(self, other):
        return self._operator("subtract", other, self)

    def __mul__(self, other):
        return self._operator("multiply", self, other)

    def __rmul__(self, other):
        return self._operator("multiply", other, self)

    def __truediv__(self, other):
        return self._operator("divide", self, other)

    def __rtruediv__(self, other):
        return self._operator("divide", other, self)

    def __pow__(self, other):
        return self._operator("power", self, other)

    def __rpow__(self, other):
        return self._operator("power", other, self)

    def __matmul__(self, other):
        return self._operator("matmul", self, other)

    def __rmatmul__(self, other):
        return self._operator("matmul", other, self)

    def __neg__(self):
        return self._operator("negative", self)

    def __abs__(self):
        return self._operator("absolute", self)

    def __getitem__(self, key):
        return self._operator("get_item", self, key)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        raise TypeError(
            f"A symbolic KerasTensor was passed to `{getattr(func, '__name__', func)}`, which "
            "needs real values. In a Functional model, do the computation inside a Layer (a "
            "subclass of `cornu.layers.Layer` with a `call` method) so it runs on real tensors."
        )


def is_keras_tensor(x):
    """True when ``x`` is a symbolic KerasTensor."""
    return isinstance(x, KerasTensor)


def any_symbolic(args, kwargs=None):
    """True when a KerasTensor appears among ``args`` or ``kwargs`` (one level of nesting)."""
    for x in args:
        if isinstance(x, KerasTensor):
            return True
        if isinstance(x, (list, tuple)):
            if any(isinstance(y, KerasTensor) for y in x):
                return True
        elif isinstance(x, dict):
            if any(isinstance(y, KerasTensor) for y in x.values()):
                return True
    if kwargs:
        return any_symbolic(tuple(kwargs.values()))
    return False
