"""The ``Metric`` base class: state variables that accumulate on the device, and a result."""

from cornu import ops
from cornu.backend import Variable
from cornu.core import auto_name
from cornu.losses.loss import compute_dtype


def _zeros(shape, dtype=None):
    return ops.zeros(shape, dtype=dtype)


class Metric:
    """Base class of metrics: state variables, ``update_state``, ``result`` and ``reset_state``.

    Subclasses create their state in ``__init__`` with ``add_variable``, accumulate into it in
    ``update_state`` with in-place variable updates (``assign_add``), and compute the value in
    ``result``. Updates stay on the device; only reading ``result()`` back to the host syncs.

    Args:
        dtype: the dtype of the state and the result; ``floatx()`` when None.
        name: the metric's name; the snake-cased class name when None.

    Example:

    ```python
    class Total(cornu.metrics.Metric):
        def __init__(self, name="total", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.total = self.add_variable(shape=(), initializer="zeros", name="total")

        def update_state(self, values):
            self.total.assign_add(cornu.ops.sum(values))

        def result(self):
            return cornu.ops.copy(self.total.value)
    ```
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or auto_name(self.__class__.__name__)
        self._dtype = compute_dtype(dtype)
        self._variables = []
        self._metrics = []

    def __setattr__(self, name, value):
        if isinstance(value, Metric) and name != "_metrics" and "_metrics" in self.__dict__:
            if not any(m is value for m in self._metrics):
                self._metrics.append(value)
        super().__setattr__(name, value)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}.__init__() must call `super().__init__()` before "
                "creating variables or updating the metric."
            )

    @property
    def dtype(self):
        """The dtype of the metric's state and result."""
        return self._dtype

    @property
    def variables(self):
        """The state variables, this metric's and then its sub-metrics'."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable.

        Args:
            shape: the variable's shape (``()`` for a scalar).
            initializer: an initializer, its name (such as ``"zeros"``), or a callable
                ``(shape, dtype) -> tensor``.
            dtype: the variable's dtype; the metric's dtype when None.
            aggregation: how replicas combine the variable (``"sum"``, ``"mean"``, ...); kept
                for Keras compatibility.
            name: the variable's name.
        """
        self._check_super_called()
        if initializer is None or initializer == "zeros":
            initializer = _zeros
        elif isinstance(initializer, (str, dict)):
            from cornu import initializers

            initializer = initializers.get(initializer)
        variable = Variable(
            initializer,
            shape=tuple(shape),
            dtype=dtype or self._dtype,
            trainable=False,
            name=name,
        )
        variable.aggregation = aggregation
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """The same as ``add_variable`` (an older name)."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Accumulates statistics from a batch; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state()`.")

    def result(self):
        """The metric's value from the current state, as a backend tensor."""
        raise NotImplementedError(f"{type(self).__name__} must implement `result()`.")

    def reset_state(self):
        """Sets every state variable back to zero."""
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        """Updates the state with one batch, then returns ``result()``."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Creates the metric from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


def leaf_metrics(metrics):
    """``metrics`` with each container (a metric holding others in a ``metrics`` list, such
    as the compiled metrics) replaced by the metrics it holds."""
    out = []
    for metric in metrics:
        inner = getattr(metric, "metrics", None)
        if isinstance(inner, list):
            out.extend(inner)
        else:
            out.append(metric)
    return out
