"""Regularizer and the built-in penalties: L1, L2, L1L2, OrthogonalRegularizer."""

import math

from cornu import ops


class Regularizer:
    """Base class of weight regularizers: a callable giving a scalar penalty for a weight,
    which training adds to the loss.

    Subclasses implement ``__call__(x)`` and ``get_config()``. Any function of a weight
    returning a scalar works as a regularizer too. As an ``activity_regularizer``, the penalty
    of a layer's output is divided by the batch size.
    """

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        """Creates a regularizer from ``get_config()``'s output."""
        return cls(**config)

    def get_config(self):
        """The constructor arguments that recreate this regularizer."""
        raise NotImplementedError(f"{self} does not implement get_config()")


def _check_factor(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. "
            f"Received: {name}={value}"
        )
    return float(value)


class L1L2(Regularizer):
    """``l1 * sum(abs(x)) + l2 * sum(square(x))``.

    Args:
        l1: the L1 factor.
        l2: the L2 factor.

    Both default to 0, so the names ``"l1l2"`` / ``"l1_l2"`` give a zero penalty, as in
    Keras (whose documentation promises 0.01 for both).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _check_factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        penalty = ops.zeros((), dtype=ops.dtype(x))
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """``l1 * sum(abs(x))``.

    Args:
        l1: the factor (0.01, also for the string ``"l1"``).
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_factor(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        return self.l1 * ops.sum(ops.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(square(x))``.

    Args:
        l2: the factor (0.01, also for the string ``"l2"``).
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_factor(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a rank-2 weight towards being orthogonal.

    The penalty is ``factor * 0.5 * sum(|dot products of distinct L2-normalized rows|) /
    number of pairs``.

    Args:
        factor: the factor (0.01).
        mode: ``"rows"`` or ``"columns"``: which vectors to make orthogonal. For a Dense
            kernel ``(input_dim, units)``, ``"rows"`` works on the ``input_dim`` vectors.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                f"Received: mode={mode}"
            )
        self.mode = mode

    def __call__(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        if len(inputs.shape) != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. Received: "
                f"inputs.shape={tuple(inputs.shape)}"
            )
        if self.mode == "rows":
            vectors = ops.normalize(inputs, axis=1)
            product = ops.matmul(vectors, ops.transpose(vectors))
            size = inputs.shape[0]
        else:
            vectors = ops.normalize(inputs, axis=0)
            product = ops.matmul(ops.transpose(vectors), vectors)
            size = inputs.shape[1]
        off_diagonal = product * (1.0 - ops.eye(size, dtype=ops.dtype(inputs)))
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * ops.sum(ops.abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}
