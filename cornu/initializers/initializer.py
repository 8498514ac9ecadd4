"""Initializer: the base class of the objects that fill new weights."""


class Initializer:
    """Base class of initializers: ``initializer(shape, dtype=None)`` returns a new tensor.

    A subclass implements ``__call__(self, shape, dtype=None)`` and, when its constructor takes
    arguments, ``get_config()`` returning them, so that ``from_config`` can rebuild it.

    Example:

    ```python
    class Halves(cornu.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return cornu.ops.full(shape, 0.5, dtype=dtype)
    ```
    """

    def __call__(self, shape, dtype=None):
        """A tensor of ``shape`` and ``dtype`` (``floatx()`` when None)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__call__(self, shape, dtype=None)`."
        )

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Rebuilds an initializer from ``get_config()``'s output."""
        return cls(**config)

    def clone(self):
        """A new initializer with the same config."""
        return self.__class__.from_config(self.get_config())
