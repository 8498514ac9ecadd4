"""set_random_seed seeds Python, NumPy and the backend."""

import random

import numpy as np
import pytest

import cornu
from cornu.backend import convert_to_numpy
from cornu.utils import set_random_seed


def _draw():
    return (
        random.random(),
        np.random.rand(),
        convert_to_numpy(cornu.random.normal((3,))).tolist(),
        np.asarray(convert_to_numpy(cornu.random.SeedGenerator().next())).tolist(),
    )


def test_same_seed_same_numbers():
    set_random_seed(1337)
    first = _draw()
    set_random_seed(1337)
    assert _draw() == first
    set_random_seed(7)
    assert _draw() != first


@pytest.mark.parametrize("seed", [1.5, "3", None, True, -1, 2**32])
def test_bad_seeds(seed):
    with pytest.raises(ValueError, match="seed"):
        set_random_seed(seed)
