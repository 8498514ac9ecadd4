"""set_random_seed: one call to seed Python, NumPy and the backend."""

import base64
import random

import numpy as np

from cornu import backend, ops


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
    backend.set_seed(seed)


def get_random_state(model=None):
    """Every random stream's position, as a JSON-friendly dict: Python's ``random``, NumPy's
    global generator, the backend's global generator, and (with ``model``) the seed generators
    of its layers. ``set_random_state`` puts them back, so that a resumed run draws exactly the
    numbers an uninterrupted one would (shuffling, dropout, augmentation)."""
    version, mt_state, gauss = random.getstate()
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    backend_state = np.asarray(ops.convert_to_numpy(backend.get_rng_state()), dtype="uint8")
    state = {
        "python": [version, list(mt_state), gauss],
        "numpy": [kind, keys.tolist(), int(pos), int(has_gauss), float(cached)],
        "backend": base64.b64encode(backend_state.tobytes()).decode("ascii"),
    }
    if model is not None:
        state["seed_generators"] = [g._count for g in _seed_generators(model)]
    return state


def set_random_state(state, model=None):
    """Restores what ``get_random_state`` returned (the model's seed generators too, when the
    model is given)."""
    version, mt_state, gauss = state["python"]
    random.setstate((version, tuple(mt_state), gauss))
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype="uint32"), pos, has_gauss, cached))
    raw = np.frombuffer(base64.b64decode(state["backend"]), dtype="uint8").copy()
    backend.set_rng_state(raw)
    counts = state.get("seed_generators")
    if model is not None and counts is not None:
        generators = _seed_generators(model)
        if len(generators) == len(counts):
            for generator, count in zip(generators, counts):
                generator._count = count


def _seed_generators(model):
    from cornu.random.seed_generator import SeedGenerator

    found, seen, stack = [], set(), [model]
    while stack:
        layer = stack.pop(0)
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        for value in vars(layer).values():
            if isinstance(value, SeedGenerator) and all(value is not g for g in found):
                found.append(value)
        stack.extend(getattr(layer, "_layers", []))
    return found
