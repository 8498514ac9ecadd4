"""In-place operations over lists of arrays, in the calling form of torch's ``_foreach_*``
kernels (``add_(tensors, other, alpha=1)``, ``other`` a list of arrays, a list of scalars or
one scalar). On NumPy they loop over the arrays and update them in place (``out=``); the
NumPy backend does not train, but optimizer state can still be built and updated."""

import numpy as np


def values(variables):
    """The arrays behind a list of Variables."""
    return [v.value for v in variables]


def _others(other, n):
    if isinstance(other, (list, tuple)):
        if len(other) != n:
            raise ValueError(f"foreach: expected {n} operands, received {len(other)}.")
        return list(other)
    return [other] * n


def _binary(fn):
    def inplace(tensors, other, alpha=None):
        for t, o in zip(tensors, _others(other, len(tensors))):
            if alpha is not None:
                o = np.multiply(o, alpha)
            fn(t, o, out=t, casting="unsafe")

    def outofplace(tensors, other, alpha=None):
        results = []
        for t, o in zip(tensors, _others(other, len(tensors))):
            if alpha is not None:
                o = np.multiply(o, alpha)
            results.append(np.asarray(fn(t, o)).astype(t.dtype, copy=False))
        return results

    return inplace, outofplace


def _unary(fn):
    def inplace(tensors):
        for t in tensors:
            fn(t, out=t, casting="unsafe")

    def outofplace(tensors):
        return [np.asarray(fn(t)).astype(t.dtype, copy=False) for t in tensors]

    return inplace, outofplace


add_, add = _binary(np.add)
sub_, sub = _binary(np.subtract)
mul_, mul = _binary(np.multiply)
div_, div = _binary(np.divide)
maximum_, maximum = _binary(np.maximum)
minimum_, minimum = _binary(np.minimum)
clamp_min_, clamp_min = _binary(np.maximum)
clamp_max_, clamp_max = _binary(np.minimum)
sqrt_, sqrt = _unary(np.sqrt)
neg_, neg = _unary(np.negative)
abs_, abs = _unary(np.abs)
sign_, sign = _unary(np.sign)
reciprocal_, _reciprocal = _unary(np.reciprocal)


def pow_(tensors, exponent):
    """``t **= exponent`` for each array."""
    for t, e in zip(tensors, _others(exponent, len(tensors))):
        np.power(t, e, out=t, casting="unsafe")


def pow(tensors, exponent):
    """``t ** exponent`` for each array, or ``base ** t`` when ``tensors`` is a scalar base."""
    if not isinstance(tensors, (list, tuple)):
        return [np.power(tensors, e).astype(e.dtype, copy=False) for e in exponent]
    return [
        np.power(t, e).astype(t.dtype, copy=False)
        for t, e in zip(tensors, _others(exponent, len(tensors)))
    ]


def addcmul_(tensors, t1, t2, value=1):
    """``t += value * a * b`` for each triple."""
    for t, a, b, v in zip(tensors, t1, t2, _others(value, len(tensors))):
        np.add(t, v * a * b, out=t, casting="unsafe")


def addcmul(tensors, t1, t2, value=1):
    """``t + value * a * b`` for each triple."""
    return [
        (t + v * a * b).astype(t.dtype, copy=False)
        for t, a, b, v in zip(tensors, t1, t2, _others(value, len(tensors)))
    ]


def addcdiv_(tensors, t1, t2, value=1):
    """``t += value * a / b`` for each triple."""
    for t, a, b, v in zip(tensors, t1, t2, _others(value, len(tensors))):
        np.add(t, v * a / b, out=t, casting="unsafe")


def addcdiv(tensors, t1, t2, value=1):
    """``t + value * a / b`` for each triple."""
    return [
        (t + v * a / b).astype(t.dtype, copy=False)
        for t, a, b, v in zip(tensors, t1, t2, _others(value, len(tensors)))
    ]


def lerp_(tensors, ends, weight):
    """``t += weight * (end - t)`` for each pair."""
    for t, e, w in zip(tensors, ends, _others(weight, len(tensors))):
        np.add(t, w * (e - t), out=t, casting="unsafe")


def copy_(tensors, sources):
    """Copies each source into its array."""
    for t, s in zip(tensors, sources):
        np.copyto(t, s, casting="unsafe")


def zero_(tensors):
    """Sets each array to zeros."""
    for t in tensors:
        t[...] = 0


def norm(tensors, ord=2):
    """The ``ord``-norm of each array (flattened), as 0-d arrays."""
    return [np.asarray(np.linalg.norm(t.reshape(-1), ord=ord), dtype=t.dtype) for t in tensors]


def trust_ratios(weights, updates):
    """LAMB's layer-wise trust ratios: ``norm(w) / norm(u)`` for each pair, or 1 where either
    norm is 0; one 0-d array per pair."""
    ratios = []
    for w, u in zip(weights, updates):
        wn, un = np.linalg.norm(w.reshape(-1)), np.linalg.norm(u.reshape(-1))
        ratio = wn / un if wn > 0 and un > 0 else 1.0
        ratios.append(np.asarray(ratio, dtype=w.dtype))
    return ratios
