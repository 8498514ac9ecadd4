"""Samples from the categorical, gamma, binomial and beta distributions."""

from cornu import backend


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws samples from a categorical distribution.

    Args:
        logits: a 2-D tensor `(batch_size, num_classes)`: each row holds the unnormalized log
            probabilities of the classes.
        num_samples: the number of samples drawn per row.
        dtype: the integer dtype of the result.
        seed: None, an int (the same samples every call) or a `SeedGenerator`.

    Returns:
        A 2-D tensor `(batch_size, num_samples)` of class indices.
    """
    logits_shape = tuple(backend.convert_to_tensor(logits).shape)
    if len(logits_shape) != 2:
        raise ValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits={logits}"
        )
    return backend.random.categorical(logits, num_samples, dtype=dtype, seed=seed)


def gamma(shape, alpha, dtype=None, seed=None):
    """Draws samples from the gamma distribution of concentration `alpha` (and rate 1).

    Args:
        shape: the shape of the samples.
        alpha: the concentration, a float (or a tensor broadcastable to `shape`).
        dtype: the float dtype of the result, `floatx()` when None.
        seed: None, an int (the same samples every call) or a `SeedGenerator`.
    """
    return backend.random.gamma(shape, alpha=alpha, dtype=dtype, seed=seed)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws samples from a binomial distribution: the number of successes among `counts`
    trials that each succeed with probability `probabilities`.

    Args:
        shape: the shape of the samples.
        counts: the number of trials (broadcastable to `shape`).
        probabilities: the success probability of one trial (broadcastable to `shape`).
        dtype: the float dtype of the result, `floatx()` when None.
        seed: None, an int (the same samples every call) or a `SeedGenerator`.
    """
    return backend.random.binomial(
        shape, counts=counts, probabilities=probabilities, dtype=dtype, seed=seed
    )


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws samples from the beta distribution of concentrations `alpha` and `beta`.

    Args:
        shape: the shape of the samples.
        alpha: the first concentration (broadcastable to `shape`).
        beta: the second concentration (broadcastable to `shape`).
        dtype: the float dtype of the result, `floatx()` when None.
        seed: None, an int (the same samples every call) or a `SeedGenerator`.
    """
    return backend.random.beta(shape=shape, alpha=alpha, beta=beta, dtype=dtype, seed=seed)
