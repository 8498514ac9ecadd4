"""Random tensors on JAX, drawn as Keras's JAX backend draws them.

A draw's key is a uint32 ``[seed, counter]`` pair used as a raw jax PRNG key:

- an int ``seed`` gives ``[seed, 0]`` (the same numbers every call);
- a SeedGenerator gives its state, then advances its counter (a state Variable, so that draws
  inside ``jax.jit`` advance when the state is threaded through a ``StatelessScope``);
- None uses the backend's global state (seeded from Python's ``random`` on first use, after
  ``set_seed``), stepped as Keras steps its global seed generator. It cannot be used while
  tracing: the draw would be frozen into the compiled function.
- a jax array is taken as the key itself.
"""

import random as python_random

import jax
import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import Variable, convert_to_tensor, from_host, to_jax_dtype, tracing
from cornu.core.config import floatx

# The global [seed, counter] state of unseeded draws; None until the first one.
_GLOBAL_STATE = [None]

_TRACED_UNSEEDED = (
    "[JAX RNG] When tracing a JAX function, you should only use seeded random ops, e.g. "
    "you should create a `SeedGenerator` instance, attach it to your layer/model, and pass "
    "the instance as the `seed` argument when calling random ops. Unseeded random ops would "
    "get incorrectly traced by JAX and would become constant after tracing. Example:\n\n"
    "self.seed_generator = cornu.random.SeedGenerator(seed=1337)\n"
    "...\n"
    "out = cornu.random.normal(shape=(1,), seed=self.seed_generator)"
)


def set_seed(seed):
    """Restarts the global state of unseeded draws (from Python's ``random``, which
    ``set_random_seed`` seeds, as Keras restarts its global seed generator)."""
    int(seed)  # a seed that is not a number fails here
    _GLOBAL_STATE[0] = None


def get_rng_state():
    """The global state of unseeded draws as a uint8 array: the little-endian bytes of the
    uint32 ``[seed, counter]`` pair, or no bytes before the first unseeded draw."""
    state = _GLOBAL_STATE[0]
    if state is None:
        return np.zeros((0,), dtype=np.uint8)
    return np.asarray(state, dtype="<u4").view(np.uint8).copy()


def set_rng_state(state):
    """Restores a state from ``get_rng_state``."""
    raw = np.asarray(state, dtype=np.uint8).reshape(-1)
    if raw.size == 0:
        _GLOBAL_STATE[0] = None
        return
    if raw.size != 8:
        raise ValueError(
            f"A JAX-backend random state has 8 bytes (or none); received {raw.size}. It may "
            "come from another backend."
        )
    _GLOBAL_STATE[0] = jnp.asarray(raw.copy().view("<u4").astype(np.uint32))


def _global_key():
    if tracing():
        raise ValueError(_TRACED_UNSEEDED)
    state = _GLOBAL_STATE[0]
    if state is None:
        state = jnp.array([python_random.randint(1, int(1e9)), 0], dtype=jnp.uint32)
    # Keras's unordered step: near-unique states below 933199.
    _GLOBAL_STATE[0] = (state + 1) * 5387 % 933199
    return state


def draw_key(seed):
    """The raw PRNG key for ``seed`` (None, an int, a SeedGenerator or a key array)."""
    if isinstance(seed, Variable):
        return seed.value
    if isinstance(seed, jax.Array):
        return seed
    if hasattr(seed, "next"):
        return draw_key(seed.next())
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return jnp.array([int(seed) & 0xFFFFFFFF, 0], dtype=jnp.uint32)
    if seed is None:
        return _global_key()
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
        f"Received: seed={seed!r} (of type {type(seed)})"
    )


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def _float_dtype(dtype):
    return to_jax_dtype(dtype or floatx())


def _bucketed(draw, key, shape, dtype, params=(), scale=None):
    """``draw(key, shape, dtype, *params)`` (times ``scale[1]``, plus ``scale[0]``) eagerly
    without compiling it for each shape.

    With jax's partitionable threefry (its default) every drawn number depends only on its
    flat index, and jax's transforms of the bits are elementwise: a draw of ``(n,)`` numbers
    is the first ``n`` of a draw of any longer flat shape. Eager draws (building weights) are
    made at power-of-two lengths and cut, so a model's many weight shapes share a few
    compiled draws instead of one compilation each. The scale is applied afterwards, one
    rounding per operation as Keras's eager ``sample * stddev + mean``. Traced draws (inside
    a compiled step), array parameters and the other threefry mode draw directly."""
    size = int(np.prod(shape))
    scale = scale or ()
    if (
        size == 0
        or not jax.config.jax_threefry_partitionable
        or isinstance(key, jax.core.Tracer)
        or not all(isinstance(p, (int, float)) for p in params + scale)
        or tracing()
    ):
        sample = draw(key, shape, dtype, *params)
        return sample * scale[1] + scale[0] if scale else sample
    bucket = max(1 << (size - 1).bit_length(), 64)
    sample = np.asarray(_compiled_draw(draw, bucket, dtype)(key, *params))[:size]
    if scale:
        kind = sample.dtype.type
        sample = sample * kind(scale[1]) + kind(scale[0])
    return from_host(sample.reshape(shape))


_COMPILED_DRAWS = {}


def _compiled_draw(draw, size, dtype):
    entry = _COMPILED_DRAWS.get((draw, size, dtype))
    if entry is None:
        entry = _COMPILED_DRAWS[(draw, size, dtype)] = jax.jit(
            lambda key, *params: draw(key, (size,), dtype, *params)
        )
    return entry


def _normal_draw(key, shape, dtype):
    return jax.random.normal(key, shape=shape, dtype=dtype)


def _uniform_draw(key, shape, dtype, minval, maxval):
    return jax.random.uniform(key, shape=shape, dtype=dtype, minval=minval, maxval=maxval)


def _truncated_normal_draw(key, shape, dtype):
    return jax.random.truncated_normal(key, lower=-2.0, upper=2.0, shape=shape, dtype=dtype)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution."""
    key = draw_key(seed)
    scale = (mean, stddev)
    return _bucketed(_normal_draw, key, _shape(shape), _float_dtype(dtype), scale=scale)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from a uniform distribution on ``[minval, maxval)``."""
    key = draw_key(seed)
    return _bucketed(_uniform_draw, key, _shape(shape), _float_dtype(dtype), (minval, maxval))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution cut at two standard deviations."""
    key = draw_key(seed)
    dtype, scale = _float_dtype(dtype), (mean, stddev)
    return _bucketed(_truncated_normal_draw, key, _shape(shape), dtype, scale=scale)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in ``[minval, maxval)``."""
    key = draw_key(seed)
    return jax.random.randint(
        key, shape=_shape(shape), minval=minval, maxval=maxval, dtype=to_jax_dtype(dtype)
    )


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws ``num_samples`` class indices per row of ``logits`` ``(batch, classes)``."""
    key = draw_key(seed)
    logits = convert_to_tensor(logits)
    output_shape = list(logits.shape)
    output_shape[1] = int(num_samples)
    # Keras's draw: one Gumbel sample per (row, class, sample), the classes on axis 1.
    drawn = jax.random.categorical(key, logits[..., None], shape=tuple(output_shape), axis=1)
    return drawn.astype(to_jax_dtype(dtype))


def _noise_shape(inputs, noise_shape):
    if noise_shape is None:
        return inputs.shape
    return tuple(size if dim is None else dim for size, dim in zip(inputs.shape, noise_shape))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability ``rate`` and scales the rest by ``1 / (1 - rate)``.

    A rate of 0 returns ``inputs`` and a rate of 1 zeros, without drawing (a SeedGenerator
    does not advance), as in Keras.
    """
    inputs = convert_to_tensor(inputs)
    if isinstance(rate, (int, float)):
        if rate == 1.0:
            return jnp.zeros_like(inputs)
        if rate == 0.0:
            return inputs
    key = draw_key(seed)
    keep_prob = 1.0 - rate
    keep = jax.random.bernoulli(key, p=keep_prob, shape=_noise_shape(inputs, noise_shape))
    keep = jnp.broadcast_to(keep, inputs.shape)
    return jax.lax.select(keep, inputs / keep_prob, jnp.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in random order."""
    key = draw_key(seed)
    return jax.random.permutation(key, convert_to_tensor(x), axis, independent=True)


def _parameter(x):
    """A distribution parameter as jax takes it: a Python number stays weakly typed (as
    Keras's ``jnp.array`` of it), so that it follows a float16 ``dtype``."""
    if isinstance(x, (bool, int, float)):
        return jnp.asarray(x)
    return convert_to_tensor(x)


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the gamma distribution of concentration ``alpha`` and rate 1."""
    key = draw_key(seed)
    alpha = _parameter(alpha)
    return jax.random.gamma(key, alpha, shape=_shape(shape), dtype=_float_dtype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples the number of successes of ``counts`` trials of probability
    ``probabilities``."""
    key = draw_key(seed)
    return jax.random.binomial(
        key,
        n=_parameter(counts),
        p=_parameter(probabilities),
        shape=_shape(shape),
        dtype=_float_dtype(dtype),
    )


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the beta distribution of concentrations ``alpha`` and ``beta``."""
    key = draw_key(seed)
    return jax.random.beta(
        key,
        a=_parameter(alpha),
        b=_parameter(beta),
        shape=_shape(shape),
        dtype=_float_dtype(dtype),
    )
