"""Operations over lists of tensors, in the calling form of torch's ``_foreach_*`` kernels
(``add_(tensors, other, alpha=1)``, ``other`` a list of tensors, a list of scalars or one
scalar), for optimizer updates.

JAX arrays are immutable, so an in-place op ``op_(tensors, ...)`` computes each result and
stores it back with ``tensors[i] = result`` (cast to the item's dtype): on a plain list that
replaces the item; on the view that ``values(variables)`` returns, it assigns the variable
(recorded by a ``StatelessScope`` inside a traced step). Out-of-place ops return plain lists.
Scalars may be Python numbers or 0-d tensors (tracers inside ``jax.jit``).
"""

import builtins

import jax.numpy as jnp


class VariableValues:
    """A list view of Variables: item ``i`` reads ``variables[i].value`` (the value in the
    active ``StatelessScope``, if any) and assigning item ``i`` assigns that variable."""

    __slots__ = ("_variables",)

    def __init__(self, variables):
        self._variables = list(variables)

    def __len__(self):
        return len(self._variables)

    def __getitem__(self, index):
        if isinstance(index, builtins.slice):
            return [v.value for v in self._variables[index]]
        return self._variables[index].value

    def __setitem__(self, index, value):
        self._variables[index].assign(value)

    def __iter__(self):
        return (v.value for v in self._variables)

    def __add__(self, other):
        return list(self) + list(other)

    def __radd__(self, other):
        return list(other) + list(self)

    def __repr__(self):
        return f"VariableValues({[v.path for v in self._variables]})"


def values(variables):
    """A list view of the variables' values (see ``VariableValues``), for in-place ops."""
    return VariableValues(variables)


def _others(other, n):
    if isinstance(other, (list, tuple, VariableValues)):
        if len(other) != n:
            raise ValueError(f"foreach: expected {n} operands, received {len(other)}.")
        return list(other)
    return [other] * n


def _store(tensors, results):
    for i, (t, r) in enumerate(zip(list(tensors), results)):
        tensors[i] = jnp.asarray(r, dtype=t.dtype)


def _same_dtypes(tensors, results):
    return [jnp.asarray(r, dtype=t.dtype) for t, r in zip(tensors, results)]


def _binary(fn):
    def compute(tensors, other, alpha):
        tensors = list(tensors)
        others = _others(other, len(tensors))
        if alpha is not None:
            others = [o * alpha for o in others]
        return tensors, [fn(t, o) for t, o in zip(tensors, others)]

    def inplace(tensors, other, alpha=None):
        _store(tensors, compute(tensors, other, alpha)[1])

    def outofplace(tensors, other, alpha=None):
        return _same_dtypes(*compute(tensors, other, alpha))

    return inplace, outofplace


def _unary(fn):
    def inplace(tensors):
        _store(tensors, [fn(t) for t in tensors])

    def outofplace(tensors):
        tensors = list(tensors)
        return _same_dtypes(tensors, [fn(t) for t in tensors])

    return inplace, outofplace


add_, add = _binary(jnp.add)
sub_, sub = _binary(jnp.subtract)
mul_, mul = _binary(jnp.multiply)
div_, div = _binary(jnp.divide)
maximum_, maximum = _binary(jnp.maximum)
minimum_, minimum = _binary(jnp.minimum)
clamp_min_, clamp_min = _binary(jnp.maximum)
clamp_max_, clamp_max = _binary(jnp.minimum)
sqrt_, sqrt = _unary(jnp.sqrt)
neg_, neg = _unary(jnp.negative)
abs_, abs = _unary(jnp.abs)
sign_, sign = _unary(jnp.sign)
reciprocal_, _reciprocal = _unary(jnp.reciprocal)


def pow_(tensors, exponent):
    """``t **= exponent`` for each tensor."""
    _store(tensors, [jnp.power(t, e) for t, e in zip(tensors, _others(exponent, len(tensors)))])


def pow(tensors, exponent):
    """``t ** exponent`` for each tensor, or ``base ** t`` when ``tensors`` is a scalar base."""
    if not isinstance(tensors, (list, tuple, VariableValues)):
        exponent = list(exponent)
        return _same_dtypes(exponent, [jnp.power(tensors, e) for e in exponent])
    tensors = list(tensors)
    results = [jnp.power(t, e) for t, e in zip(tensors, _others(exponent, len(tensors)))]
    return _same_dtypes(tensors, results)


def _addc(fn, tensors, t1, t2, value):
    tensors = list(tensors)
    values_ = _others(value, len(tensors))
    return tensors, [t + v * fn(a, b) for t, a, b, v in zip(tensors, t1, t2, values_)]


def addcmul_(tensors, t1, t2, value=1):
    """``t += value * a * b`` for each triple."""
    _store(tensors, _addc(jnp.multiply, tensors, t1, t2, value)[1])


def addcmul(tensors, t1, t2, value=1):
    """``t + value * a * b`` for each triple."""
    return _same_dtypes(*_addc(jnp.multiply, tensors, t1, t2, value))


def addcdiv_(tensors, t1, t2, value=1):
    """``t += value * a / b`` for each triple."""
    _store(tensors, _addc(jnp.divide, tensors, t1, t2, value)[1])


def addcdiv(tensors, t1, t2, value=1):
    """``t + value * a / b`` for each triple."""
    return _same_dtypes(*_addc(jnp.divide, tensors, t1, t2, value))


def lerp_(tensors, ends, weight):
    """``t += weight * (end - t)`` for each pair."""
    tensors_ = list(tensors)
    weights = _others(weight, len(tensors_))
    _store(tensors, [t + w * (e - t) for t, e, w in zip(tensors_, ends, weights)])


def copy_(tensors, sources):
    """Copies each source into its tensor (cast to the tensor's dtype)."""
    _store(tensors, list(sources))


def zero_(tensors):
    """Sets each tensor to zeros."""
    _store(tensors, [jnp.zeros_like(t) for t in tensors])


def norm(tensors, ord=2):
    """The ``ord``-norm of each tensor (flattened), as 0-d tensors of its dtype."""
    tensors = list(tensors)
    return _same_dtypes(tensors, [jnp.linalg.norm(t.reshape(-1), ord=ord) for t in tensors])


def trust_ratios(weights, updates):
    """LAMB's layer-wise trust ratios: ``norm(w) / norm(u)`` for each pair, or 1 where either
    norm is 0; one 0-d tensor per pair."""
    ratios = []
    for w, u in zip(weights, updates):
        wn = jnp.linalg.norm(w.reshape(-1))
        un = jnp.linalg.norm(u.reshape(-1))
        usable = (wn > 0) & (un > 0)
        ratio = jnp.where(usable, wn / jnp.where(usable, un, 1), 1)
        ratios.append(ratio.astype(w.dtype))
    return ratios
