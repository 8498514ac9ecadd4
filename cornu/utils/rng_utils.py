"""set_random_seed: one call to seed Python, NumPy and the backend."""

import random

import numpy as np


def set_random_seed(seed):
    """Sets all random seeds: Python's `random`, NumPy and the backend (e.g. torch).

    Layers and `cornu.random` functions without an explicit seed draw theirs from Python's
    `random`, so after this call a program gives the same numbers on every run (up to
    non-deterministic GPU kernels).

    Args:
        seed: integer, the random seed to use (from 0 to 2**32 - 1).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(
            f"Expected `seed` argument to be an integer. Received: seed={seed!r} "
            f"(of type {type(seed).__name__})"
        )
    seed = int(seed)
    if not 0 <= seed < 2**32:
        raise ValueError(f"`seed` must be an integer from 0 to 2**32 - 1. Received: seed={seed}")
    random.seed(seed)
    np.random.seed(seed)
    from cornu.backend import set_seed

    set_seed(seed)
