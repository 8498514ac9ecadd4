"""Random tensors on torch, seeded as Keras's torch backend seeds them.

``seed`` may be None (torch's global generator), an int (the same numbers every call), or a
SeedGenerator (a new seed on every call, reproducible from its initial seed).
"""

import contextlib

import torch
import torch.nn.functional as F

from cornu.backend.torch.core import convert_to_tensor, get_device, to_torch_dtype


def _generator(seed):
    if seed is None or get_device() == "meta":
        return None
    if hasattr(seed, "next"):
        seed = seed.next()
        if seed is None:
            return None
    generator = torch.Generator(device=get_device())
    generator.manual_seed(int(seed))
    return generator


def _shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution."""
    return torch.normal(
        mean,
        stddev,
        size=_shape(shape),
        generator=_generator(seed),
        dtype=to_torch_dtype(dtype),
        device=get_device(),
    )


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from a uniform distribution on ``[minval, maxval)``."""
    requested = _shape(shape)
    sample_shape = requested if requested else (1,)
    noise = torch.rand(
        size=sample_shape,
        generator=_generator(seed),
        dtype=to_torch_dtype(dtype),
        device=get_device(),
    )
    out = (maxval - minval) * noise + minval
    return out if requested else out[0]


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution cut at two standard deviations.

    Draws four candidates per value and keeps the first inside (-2, 2), as Keras does on torch.
    """
    shape = _shape(shape)
    candidates = normal(shape + (4,), 0.0, 1.0, dtype=dtype, seed=seed)
    inside = (candidates > -2) & (candidates < 2)
    first = inside.max(-1, keepdim=True)[1]
    return candidates.gather(-1, first).squeeze(-1) * stddev + mean


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in ``[minval, maxval)``."""
    return torch.randint(
        minval,
        maxval,
        size=_shape(shape),
        generator=_generator(seed),
        dtype=to_torch_dtype(dtype),
        device=get_device(),
    )


def shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in random order."""
    x = convert_to_tensor(x)
    order = torch.randperm(x.shape[axis], generator=_generator(seed), device=x.device)
    return torch.index_select(x, axis, order)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability ``rate`` and scales the rest by ``1 / (1 - rate)``."""
    inputs = convert_to_tensor(inputs)
    seeded = seed is not None and getattr(seed, "initial_seed", 0) is not None
    if not seeded and noise_shape is None:
        return F.dropout(inputs, p=rate, training=True)
    keep_prob = 1.0 - rate
    if noise_shape is None:
        noise_shape = inputs.shape
    noise_shape = tuple(s if d is None else d for s, d in zip(inputs.shape, noise_shape))
    keep = uniform(noise_shape, seed=seed, dtype=inputs.dtype) < keep_prob
    return torch.where(keep, inputs / keep_prob, torch.zeros_like(inputs))


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws ``num_samples`` class indices per row of ``logits`` ``(batch, classes)``."""
    logits = convert_to_tensor(logits)
    probabilities = torch.softmax(logits, dim=-1)
    drawn = torch.multinomial(
        probabilities, num_samples, replacement=True, generator=_generator(seed)
    )
    return drawn.to(to_torch_dtype(dtype))


@contextlib.contextmanager
def _seeded_global_generator(seed):
    """Seeds torch's global generator for one draw (``torch.distributions`` takes no
    generator), then puts its state back, as Keras does on torch."""
    if hasattr(seed, "next"):
        seed = seed.next()
    if seed is None or get_device() == "meta":
        yield
        return
    device = torch.device(get_device())
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed) & 0xFFFFFFFF)
        yield


def _float_parameter(value, shape):
    value = convert_to_tensor(value)
    if not value.is_floating_point():
        value = value.to(torch.get_default_dtype())
    return torch.broadcast_to(value.to(get_device()), _shape(shape))


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the gamma distribution of concentration ``alpha`` and rate 1."""
    alpha = _float_parameter(alpha, shape)
    with _seeded_global_generator(seed):
        sample = torch.distributions.Gamma(alpha, torch.ones_like(alpha)).sample()
    return sample.to(to_torch_dtype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples the number of successes of ``counts`` trials of probability
    ``probabilities``."""
    counts = _float_parameter(counts, shape)
    probabilities = _float_parameter(probabilities, shape)
    with _seeded_global_generator(seed):
        sample = torch.distributions.Binomial(total_count=counts, probs=probabilities).sample()
    return sample.to(to_torch_dtype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the beta distribution of concentrations ``alpha`` and ``beta``."""
    alpha = _float_parameter(alpha, shape)
    beta = _float_parameter(beta, shape)
    with _seeded_global_generator(seed):
        sample = torch.distributions.Beta(concentration1=alpha, concentration0=beta).sample()
    return sample.to(to_torch_dtype(dtype))
