"""Initializers drawing random values: RandomNormal, RandomUniform, TruncatedNormal, Orthogonal.

As in Keras 3, an initializer made with ``seed=None`` draws one seed from Python's ``random``
when it is created (so ``cornu.utils.set_random_seed`` makes it reproducible) and then, like
one made with an int seed, returns the same values on every call. Pass a string to a layer
(``kernel_initializer="random_normal"``) or a new instance per layer to get different weights;
an instance shared by two layers gives both the same values.
"""

import numbers

from cornu import ops, random
from cornu.core import standardize_dtype
from cornu.initializers.initializer import Initializer
from cornu.saving import serialization_lib


class RandomInitializer(Initializer):
    """Base class of the random initializers: holds and serializes the ``seed``.

    Args:
        seed: None (a seed drawn once from Python's ``random``), an int, or a
            ``cornu.random.SeedGenerator`` (new values on every call).
    """

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = random.make_default_seed()
        elif isinstance(seed, dict):
            seed = serialization_lib.deserialize_keras_object(
                seed, module_objects={"SeedGenerator": random.SeedGenerator}, kind="seed"
            )
        elif isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
            seed = int(seed)
        elif not isinstance(seed, random.SeedGenerator):
            raise ValueError(
                "`seed` must be None, an int or a `cornu.random.SeedGenerator`. "
                f"Received: seed={seed!r}"
            )
        self.seed = seed

    def get_config(self):
        return {"seed": serialization_lib.serialize_keras_object(self._init_seed)}


class RandomNormal(RandomInitializer):
    """Values drawn from a normal distribution.

    Args:
        mean: the mean of the distribution.
        stddev: its standard deviation.
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.normal(
            shape,
            mean=self.mean,
            stddev=self.stddev,
            dtype=standardize_dtype(dtype),
            seed=self.seed,
        )

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Values drawn from a normal distribution, redrawn beyond two standard deviations.

    Args:
        mean: the mean of the distribution before truncation.
        stddev: its standard deviation before truncation.
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(
            shape,
            mean=self.mean,
            stddev=self.stddev,
            dtype=standardize_dtype(dtype),
            seed=self.seed,
        )

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Values drawn uniformly from ``[minval, maxval)``.

    Args:
        minval: the lower bound.
        maxval: the upper bound (excluded).
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(
            shape,
            minval=self.minval,
            maxval=self.maxval,
            dtype=standardize_dtype(dtype),
            seed=self.seed,
        )

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class Orthogonal(RandomInitializer):
    """An orthogonal matrix (times ``gain``), from the QR decomposition of a normal matrix.

    A tensor of more than two dimensions is treated as a matrix of shape
    ``(prod(shape[:-1]), shape[-1])``; its rows (or columns, whichever are fewer) are
    orthonormal. Keras's default for recurrent kernels.

    Args:
        gain: the factor applied to the matrix.
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "The Orthogonal initializer needs a shape of at least two dimensions. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}."
            )
        rows = 1
        for dim in shape[:-1]:
            rows *= dim
        cols = shape[-1]
        sample = random.normal(
            (max(rows, cols), min(rows, cols)), dtype=standardize_dtype(dtype), seed=self.seed
        )
        q, r = ops.qr(sample)
        q = q * ops.sign(ops.diag(r))
        if rows < cols:
            q = ops.transpose(q)
        return self.gain * ops.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
