"""Random arrays with NumPy's PCG64 generators.

``seed`` may be None (the backend's global generator, reseeded by ``set_seed``), an int (the
same numbers every call), or a SeedGenerator (a new seed on every call, reproducible from its
initial seed). The numbers differ from the torch backend's, as Keras's NumPy backend's do.
"""

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor, to_numpy_dtype
from cornu.core.config import floatx

_GLOBAL = [np.random.default_rng()]


def set_seed(seed):
    """Reseeds the global generator."""
    _GLOBAL[0] = np.random.default_rng(int(seed))


def get_rng_state():
    """The global generator's state as a uint8 array (``set_rng_state`` restores it)."""
    state = _GLOBAL[0].bit_generator.state
    parts = [
        int(state["state"]["state"]).to_bytes(16, "little"),
        int(state["state"]["inc"]).to_bytes(16, "little"),
        int(state["has_uint32"]).to_bytes(1, "little"),
        int(state["uinteger"]).to_bytes(4, "little"),
    ]
    return np.frombuffer(b"".join(parts), dtype=np.uint8).copy()


def set_rng_state(state):
    """Restores a state from ``get_rng_state``."""
    raw = np.asarray(state, dtype=np.uint8).tobytes()
    if len(raw) != 37:
        raise ValueError(
            f"A NumPy-backend random state has 37 bytes; received {len(raw)}. It may come "
            "from another backend."
        )
    generator = np.random.default_rng()
    generator.bit_generator.state = {
        "bit_generator": "PCG64",
        "state": {
            "state": int.from_bytes(raw[:16], "little"),
            "inc": int.from_bytes(raw[16:32], "little"),
        },
        "has_uint32": raw[32],
        "uinteger": int.from_bytes(raw[33:37], "little"),
    }
    _GLOBAL[0] = generator


def _rng(seed):
    if hasattr(seed, "next"):
        seed = seed.next()
    if seed is None:
        return _GLOBAL[0]
    return np.random.default_rng(int(seed) & 0xFFFFFFFFFFFFFFFF)


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)


def _dtype(dtype):
    return to_numpy_dtype(dtype or floatx())


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution."""
    return _rng(seed).normal(mean, stddev, size=_shape(shape)).astype(_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from a uniform distribution on ``[minval, maxval)``."""
    return _rng(seed).uniform(minval, maxval, size=_shape(shape)).astype(_dtype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution cut at two standard deviations (redrawn outside)."""
    rng = _rng(seed)
    shape = _shape(shape)
    values = rng.standard_normal(size=shape)
    outside = np.abs(values) >= 2
    while outside.any():
        values[outside] = rng.standard_normal(size=int(outside.sum()))
        outside = np.abs(values) >= 2
    return (values * stddev + mean).astype(_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in ``[minval, maxval)``."""
    return _rng(seed).integers(minval, maxval, size=_shape(shape)).astype(to_numpy_dtype(dtype))


def shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in random order."""
    x = convert_to_tensor(x)
    return _rng(seed).permutation(x, axis=axis)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability ``rate`` and scales the rest by ``1 / (1 - rate)``."""
    inputs = convert_to_tensor(inputs)
    keep_prob = 1.0 - rate
    if noise_shape is None:
        noise_shape = inputs.shape
    noise_shape = tuple(s if d is None else d for s, d in zip(inputs.shape, noise_shape))
    keep = _rng(seed).uniform(size=noise_shape) < keep_prob
    return np.where(keep, inputs / keep_prob, np.zeros_like(inputs)).astype(inputs.dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws ``num_samples`` class indices per row of ``logits`` ``(batch, classes)``."""
    logits = np.asarray(convert_to_tensor(logits), dtype=np.float64)
    probabilities = np.exp(logits - logits.max(-1, keepdims=True))
    probabilities /= probabilities.sum(-1, keepdims=True)
    rng = _rng(seed)
    cumulative = np.cumsum(probabilities, axis=-1)
    draws = rng.uniform(size=(logits.shape[0], num_samples))
    indices = np.stack(
        [np.searchsorted(c, d, side="right") for c, d in zip(cumulative, draws)]
    ).reshape(logits.shape[0], num_samples)
    return np.minimum(indices, logits.shape[-1] - 1).astype(to_numpy_dtype(dtype))


def _parameter(value, shape):
    return np.broadcast_to(np.asarray(convert_to_tensor(value), dtype=np.float64), _shape(shape))


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the gamma distribution of concentration ``alpha`` and rate 1."""
    alpha = _parameter(alpha, shape)
    return _rng(seed).gamma(alpha, size=_shape(shape)).astype(_dtype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples the number of successes of ``counts`` trials of probability ``probabilities``."""
    counts = _parameter(counts, shape).astype(np.int64)
    probabilities = _parameter(probabilities, shape)
    sample = _rng(seed).binomial(counts, probabilities, size=_shape(shape))
    return sample.astype(_dtype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the beta distribution of concentrations ``alpha`` and ``beta``."""
    alpha = _parameter(alpha, shape)
    beta = _parameter(beta, shape)
    return _rng(seed).beta(alpha, beta, size=_shape(shape)).astype(_dtype(dtype))
