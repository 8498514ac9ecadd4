"""Random tensors on TensorFlow, drawn as Keras's TensorFlow backend draws them.

Every draw is a ``tf.random.stateless_*`` call keyed by an int64 ``[seed, counter]`` pair
brought into int32 as Keras brings it (modulo ``2**31 - 2``):

- an int ``seed`` gives ``[seed, 0]`` (the same numbers every call);
- a SeedGenerator gives its int64 state, then advances its counter (a state Variable, so that
  draws inside a ``tf.function`` advance when the state is assigned or threaded through a
  ``StatelessScope``);
- None uses the backend's global state (a ``tf.Variable`` seeded from Python's ``random`` on
  first use, after ``set_seed``), stepped as Keras steps its global seed generator, so that
  unseeded draws inside a ``tf.function`` differ from call to call too;
- a tensor is taken as the pair itself.
"""

import random as python_random

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import Variable, convert_to_tensor, to_tf_dtype
from cornu.core.config import floatx
from cornu.core.dtypes import standardize_dtype

# The global int64 [seed, counter] state of unseeded draws (a tf.Variable); None until the
# first one.
_GLOBAL_STATE = [None]
_INT32_MAX = 2**31 - 1


def set_seed(seed):
    """Restarts the global state of unseeded draws (from Python's ``random``, which
    ``set_random_seed`` seeds, as Keras restarts its global seed generator)."""
    int(seed)  # a seed that is not a number fails here
    _GLOBAL_STATE[0] = None


def get_rng_state():
    """The global state of unseeded draws as a uint8 array: the little-endian bytes of the
    int64 ``[seed, counter]`` pair, or no bytes before the first unseeded draw."""
    state = _GLOBAL_STATE[0]
    if state is None:
        return np.zeros((0,), dtype=np.uint8)
    return np.asarray(state.numpy(), dtype="<i8").view(np.uint8).copy()


def set_rng_state(state):
    """Restores a state from ``get_rng_state``."""
    raw = np.asarray(state, dtype=np.uint8).reshape(-1)
    if raw.size == 0:
        _GLOBAL_STATE[0] = None
        return
    if raw.size != 16:
        raise ValueError(
            f"A TensorFlow-backend random state has 16 bytes (or none); received {raw.size}. "
            "It may come from another backend."
        )
    pair = raw.copy().view("<i8").astype(np.int64)
    if _GLOBAL_STATE[0] is None:
        with tf.init_scope():
            _GLOBAL_STATE[0] = tf.Variable(pair, trainable=False)
    else:
        _GLOBAL_STATE[0].assign(pair)


def _global_seed():
    if _GLOBAL_STATE[0] is None:
        with tf.init_scope():
            pair = np.array([python_random.randint(1, int(1e9)), 0], dtype=np.int64)
            _GLOBAL_STATE[0] = tf.Variable(pair, trainable=False)
    state = _GLOBAL_STATE[0]
    current = state.read_value()
    # Keras's unordered step: near-unique states below 933199.
    state.assign((current + 1) * 5387 % 933199)
    return current


def draw_seed(seed):
    """The int32 ``[seed, counter]`` pair for ``seed`` (None, an int, a SeedGenerator or a
    tensor), as the stateless ops take it."""
    if isinstance(seed, Variable):
        pair = convert_to_tensor(seed.value)
    elif tf.is_tensor(seed):
        pair = seed
    elif hasattr(seed, "next"):
        pair = convert_to_tensor(seed.next())
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        pair = tf.constant([int(seed), 0], tf.int64)
    elif seed is None:
        pair = _global_seed()
    else:
        raise ValueError(
            "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
            f"Received: seed={seed!r} (of type {type(seed)})"
        )
    if pair.dtype == tf.int32:
        return pair
    return tf.cast(tf.math.floormod(tf.cast(pair, tf.int64), _INT32_MAX - 1), tf.int32)


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if tf.is_tensor(shape):
        return shape
    return tuple(int(s) for s in shape)


def _float_dtype(dtype):
    return to_tf_dtype(dtype or floatx())


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution."""
    dtype = _float_dtype(dtype)
    return tf.random.stateless_normal(
        _shape(shape), mean=mean, stddev=stddev, dtype=dtype, seed=draw_seed(seed)
    )


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from a uniform distribution on ``[minval, maxval)``."""
    dtype = _float_dtype(dtype)
    return tf.random.stateless_uniform(
        _shape(shape),
        minval=tf.cast(minval, dtype),
        maxval=tf.cast(maxval, dtype),
        dtype=dtype,
        seed=draw_seed(seed),
    )


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution cut at two standard deviations."""
    dtype = _float_dtype(dtype)
    return tf.random.stateless_truncated_normal(
        _shape(shape), mean=mean, stddev=stddev, dtype=dtype, seed=draw_seed(seed)
    )


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in ``[minval, maxval)``."""
    name = standardize_dtype(dtype)
    drawn = "int64" if name not in ("int32", "int64") else name
    seed = draw_seed(seed)
    output = tf.random.stateless_uniform(
        _shape(shape),
        minval=tf.cast(minval, drawn),
        maxval=tf.cast(maxval, drawn),
        dtype=drawn,
        seed=seed,
    )
    return tf.cast(output, name)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws ``num_samples`` class indices per row of ``logits`` ``(batch, classes)``."""
    logits = convert_to_tensor(logits)
    seed = draw_seed(seed)
    output = tf.random.stateless_categorical(logits, int(num_samples), seed=seed)
    return tf.cast(output, to_tf_dtype(dtype))


def _noise_shape(inputs, noise_shape):
    if noise_shape is None:
        return tf.shape(inputs)
    sizes = tf.shape(inputs)
    return tf.stack(
        [
            sizes[i] if dim is None else tf.constant(dim, tf.int32)
            for i, dim in enumerate(noise_shape)
        ]
    )


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability ``rate`` and scales the rest by ``1 / (1 - rate)``.

    A rate of 0 returns ``inputs`` and a rate of 1 zeros, without drawing (a SeedGenerator
    does not advance), as in Keras.
    """
    inputs = convert_to_tensor(inputs)
    if isinstance(rate, (int, float)):
        if rate == 1.0:
            return tf.zeros_like(inputs)
        if rate == 0.0:
            return inputs
    seed = draw_seed(seed)
    return tf.nn.experimental.stateless_dropout(
        inputs, rate=rate, noise_shape=_noise_shape(inputs, noise_shape), seed=seed
    )


def shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in random order (the order that sorts one uniform
    draw per entry, as in Keras)."""
    x = convert_to_tensor(x)
    seed = draw_seed(seed)
    keys = tf.random.stateless_uniform(shape=[tf.shape(x)[axis]], seed=seed)
    return tf.gather(x, tf.argsort(keys), axis=axis)


def _drawn_dtype(dtype):
    """The dtype TensorFlow draws in: float32 for bfloat16, which its gamma and binomial
    kernels lack (the sample is cast after)."""
    return tf.float32 if dtype == tf.bfloat16 else dtype


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the gamma distribution of concentration ``alpha`` and rate 1."""
    dtype = _float_dtype(dtype)
    seed = draw_seed(seed)
    drawn = _drawn_dtype(dtype)
    sample = tf.random.stateless_gamma(
        _shape(shape), alpha=tf.cast(alpha, drawn), dtype=drawn, seed=seed
    )
    return tf.cast(sample, dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples the number of successes of ``counts`` trials of probability
    ``probabilities``."""
    dtype = _float_dtype(dtype)
    seed = draw_seed(seed)
    drawn = _drawn_dtype(dtype)
    sample = tf.random.stateless_binomial(
        _shape(shape),
        seed=seed,
        counts=tf.cast(counts, drawn),
        probs=tf.cast(probabilities, drawn),
        output_dtype=drawn,
    )
    return tf.cast(sample, dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the beta distribution of concentrations ``alpha`` and ``beta``: the
    ratio ``X / (X + Y)`` of two gamma samples, the second keyed by the first key plus 12, as
    in Keras."""
    dtype = _float_dtype(dtype)
    shape = _shape(shape)
    seed_a = draw_seed(seed)
    seed_b = seed_a + 12
    drawn = _drawn_dtype(dtype)
    alpha = tf.cast(convert_to_tensor(alpha), drawn)
    beta = tf.cast(convert_to_tensor(beta), drawn)
    # TensorFlow's gamma broadcasts alpha against the last output axis only.
    alpha = tf.broadcast_to(alpha, shape)
    beta = tf.broadcast_to(beta, shape)
    gamma_a = tf.cast(
        tf.random.stateless_gamma(shape, seed=seed_a, alpha=alpha, dtype=drawn), dtype
    )
    gamma_b = tf.cast(tf.random.stateless_gamma(shape, seed=seed_b, alpha=beta, dtype=drawn), dtype)
    return gamma_a / (gamma_a + gamma_b)
