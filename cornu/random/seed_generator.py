"""SeedGenerator: a reproducible stream of seeds for random layers and ops."""

import random as python_random


def make_default_seed():
    """A seed drawn from Python's ``random`` (so ``set_random_seed`` makes it reproducible)."""
    return python_random.randint(1, int(1e9))


class SeedGenerator:
    """Hands out a new seed on every draw: ``seed``, ``seed + 1``, ``seed + 2``, ...

    Args:
        seed: the initial seed; when None, one is drawn from Python's ``random``, and random
            ops may use the backend's faster unseeded kernels.
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if seed is not None and not isinstance(seed, int):
            raise ValueError(f"`seed` must be an int or None. Received: seed={seed!r}")
        self.initial_seed = seed
        self.name = name or "seed_generator"
        self._seed = make_default_seed() if seed is None else seed
        self._count = 0

    def next(self):
        """The next seed of the stream."""
        seed = self._seed + self._count
        self._count += 1
        return seed

    def get_config(self):
        return {"seed": self.initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
