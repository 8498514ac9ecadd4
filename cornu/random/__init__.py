"""Random tensors (``normal``, ``uniform``, ``truncated_normal``, ``dropout``, ``gamma``, ...) and
SeedGenerator. ``seed`` is None, an int (the same numbers each call) or a SeedGenerator."""

from cornu.backend import random as _backend
from cornu.random.distributions import beta, binomial, categorical, gamma
from cornu.random.seed_generator import SeedGenerator, make_default_seed

normal = _backend.normal
uniform = _backend.uniform
truncated_normal = _backend.truncated_normal
randint = _backend.randint
shuffle = _backend.shuffle
dropout = _backend.dropout

__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "gamma",
    "dropout",
    "make_default_seed",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]
