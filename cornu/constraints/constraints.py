"""Constraint and the built-in projections: MaxNorm, MinMaxNorm, NonNeg, UnitNorm."""

from cornu import core, ops


class Constraint:
    """Base class of weight constraints: a callable mapping a weight to its projection
    (clipped, renormalized, ...), applied after each optimizer update.

    Subclasses implement ``__call__(w)`` and, when they take arguments, ``get_config()``.
    The base class returns the weight unchanged.
    """

    def __call__(self, w):
        return w

    def get_config(self):
        """The constructor arguments that recreate this constraint."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates a constraint from ``get_config()``'s output."""
        return cls(**config)


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


class MaxNorm(Constraint):
    """Rescales the weight vectors along ``axis`` whose L2 norm exceeds ``max_value``:
    ``w * clip(norm, 0, max_value) / (epsilon + norm)``.

    Args:
        max_value: the largest norm allowed.
        axis: the axis (or axes) the norms are taken over: 0 for a Dense kernel
            ``(input_dim, units)`` (one norm per unit), ``[0, 1, 2]`` for a Conv2D kernel.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return w * (desired / (core.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets the negative entries of the weight to 0."""

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return ops.maximum(w, ops.zeros((), dtype=ops.dtype(w)))


class UnitNorm(Constraint):
    """Rescales the weight vectors along ``axis`` to L2 norm 1:
    ``w / (epsilon + norm)``.

    Args:
        axis: the axis (or axes) the norms are taken over (see ``MaxNorm``).
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return w / (core.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves the L2 norms of the weight vectors along ``axis`` into
    ``[min_value, max_value]``: each vector is rescaled to the norm
    ``rate * clip(norm, min_value, max_value) + (1 - rate) * norm``.

    Args:
        min_value: the smallest norm allowed.
        max_value: the largest norm allowed.
        rate: 1 enforces the bounds at once; less moves the norms towards them gradually.
        axis: the axis (or axes) the norms are taken over (see ``MaxNorm``).
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = (
            self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        )
        return w * (desired / (core.epsilon() + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }
