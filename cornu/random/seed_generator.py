"""SeedGenerator: a reproducible stream of seeds for random layers and ops."""

import random as python_random

import numpy as np

from cornu import backend
from cornu.core.naming import auto_name

# Backends whose random ops take the generator's ``[seed, counter]`` state as their key: the
# state Variable is the stream's position, so that draws traced inside a compiled step
# advance it. The others count in Python (no tensor work per draw) and show the count in
# the Variable when it is read.
_STATE_KEYED_BACKENDS = ("jax", "tensorflow")
# The state's dtype, as Keras's ``random_seed_dtype()`` (uint32 where not listed).
_STATE_DTYPES = {"torch": "int32", "tensorflow": "int64"}
_INCREMENT = np.array([0, 1], dtype=np.uint32)


def make_default_seed():
    """A seed drawn from Python's ``random`` (so ``set_random_seed`` makes it reproducible)."""
    return python_random.randint(1, int(1e9))


class SeedGenerator:
    """Hands out a new seed on every draw: the same stream for the same initial seed.

    Its position is the non-trainable Variable ``state`` (``[seed, counter]``, named
    ``seed_generator_state``), which layers list in their ``variables`` (not in their weights
    nor in saved files), as Keras does.

    Args:
        seed: the initial seed; when None, one is drawn from Python's ``random``, and random
            ops may use the backend's faster unseeded kernels.
        name: the generator's name, unique by default (``seed_generator``,
            ``seed_generator_1``, ...).
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ValueError(f"`seed` must be an int or None. Received: seed={seed!r}")
        self.initial_seed = seed
        self.name = name or auto_name(type(self).__name__)
        self._seed = make_default_seed() if seed is None else seed
        self._keyed = backend.backend() in _STATE_KEYED_BACKENDS
        self._counter = 0
        self._state = self._make_state() if self._keyed else None

    def _state_value(self, count):
        pair = (np.array([self._seed, count], dtype=np.int64) & 0xFFFFFFFF).astype(np.uint32)
        # int32 states (torch's) hold the same 32 bits, read as signed numbers; int64 states
        # (TensorFlow's) hold the two values.
        dtype = np.dtype(_STATE_DTYPES.get(backend.backend(), "uint32"))
        return pair.view(dtype) if dtype.itemsize == 4 else pair.astype(dtype)

    def _make_state(self):
        state = backend.Variable(
            self._state_value(0), shape=(2,), trainable=False, name="seed_generator_state"
        )
        state._path = f"{self.name}/seed_generator_state"
        return state

    @property
    def state(self):
        """The Variable ``[seed, counter]`` holding the generator's position."""
        if self._keyed:
            return self._state
        if self._state is None:
            self._state = self._make_state()
        self._state.assign(self._state_value(self._counter))
        return self._state

    @property
    def _count(self):
        """How many seeds the generator has handed out."""
        if self._keyed:
            return int(np.asarray(self._state.numpy())[1])
        return self._counter

    @_count.setter
    def _count(self, count):
        if self._keyed:
            self._state.assign(self._state_value(int(count)))
        else:
            self._counter = int(count)

    def next(self):
        """The next seed of the stream: an int (``seed + count``), or on backends that key
        their draws with the state, the state itself (which then advances)."""
        if self._keyed:
            # A tensor of the state as it is now (a TensorFlow variable's value would read
            # the advanced state).
            value = backend.convert_to_tensor(self._state.value)
            self._state.assign(value + _INCREMENT)
            return value
        seed = self._seed + self._counter
        self._counter += 1
        return seed

    def get_config(self):
        return {"seed": self.initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
