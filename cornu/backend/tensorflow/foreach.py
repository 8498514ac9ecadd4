"""Operations over lists of tensors, in the calling form of torch's ``_foreach_*`` kernels
(``add_(tensors, other, alpha=1)``, ``other`` a list of tensors, a list of scalars or one
scalar), for optimizer updates.

An in-place op ``op_(tensors, ...)`` computes each result and stores it back with
``tensors[i] = result`` (cast to the item's dtype): on a plain list that replaces the item; on
the view that ``values(variables)`` returns, it assigns the variable (``tf.Variable.assign``,
which a ``tf.function`` traces, or recorded by a ``StatelessScope``). Out-of-place ops return
plain lists. Scalars may be Python numbers or 0-d tensors.
"""

import builtins
import math

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor


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


def _as(value, dtype):
    value = convert_to_tensor(value)
    return value if value.dtype == dtype else tf.cast(value, dtype)


def _store(tensors, results):
    for i, (t, r) in enumerate(zip(list(tensors), results)):
        tensors[i] = _as(r, t.dtype)


def _same_dtypes(tensors, results):
    return [_as(r, t.dtype) for t, r in zip(tensors, results)]


def _operand(other, like):
    """A scalar or tensor operand in ``like``'s dtype (TensorFlow does not promote), so that
    ``t * 0.9`` works on a float16 ``t`` and a float64 ``t`` gets the full-precision scalar."""
    if isinstance(other, (bool, int, float)) and (like.dtype.is_floating or isinstance(other, int)):
        return tf.constant(other, like.dtype)
    other = convert_to_tensor(other)
    return other if other.dtype == like.dtype else tf.cast(other, like.dtype)


def _apply(fn):
    return lambda t, o: fn(t, _operand(o, t))


def _binary(fn):
    def compute(tensors, other, alpha):
        tensors = list(tensors)
        others = _others(other, len(tensors))
        if alpha is not None:
            others = [_operand(o, t) * _operand(alpha, t) for o, t in zip(others, tensors)]
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


add_, add = _binary(_apply(tf.add))
sub_, sub = _binary(_apply(tf.subtract))
mul_, mul = _binary(_apply(tf.multiply))
div_, div = _binary(_apply(tf.math.truediv))
maximum_, maximum = _binary(_apply(tf.maximum))
minimum_, minimum = _binary(_apply(tf.minimum))
clamp_min_, clamp_min = _binary(_apply(tf.maximum))
clamp_max_, clamp_max = _binary(_apply(tf.minimum))
sqrt_, sqrt = _unary(tf.sqrt)
neg_, neg = _unary(tf.negative)
abs_, abs = _unary(tf.abs)
sign_, sign = _unary(tf.sign)
reciprocal_, _reciprocal = _unary(tf.math.reciprocal)


def pow_(tensors, exponent):
    """``t **= exponent`` for each tensor."""
    pairs = zip(tensors, _others(exponent, len(tensors)))
    _store(tensors, [tf.pow(t, _operand(e, t)) for t, e in pairs])


def pow(tensors, exponent):
    """``t ** exponent`` for each tensor, or ``base ** t`` when ``tensors`` is a scalar base."""
    if not isinstance(tensors, (list, tuple, VariableValues)):
        exponent = list(exponent)
        return _same_dtypes(exponent, [tf.pow(_operand(tensors, e), e) for e in exponent])
    tensors = list(tensors)
    pairs = zip(tensors, _others(exponent, len(tensors)))
    results = [tf.pow(t, _operand(e, t)) for t, e in pairs]
    return _same_dtypes(tensors, results)


def _addc(fn, tensors, t1, t2, value):
    tensors = list(tensors)
    values_ = _others(value, len(tensors))
    return tensors, [
        t + _operand(v, t) * fn(_operand(a, t), _operand(b, t))
        for t, a, b, v in zip(tensors, t1, t2, values_)
    ]


def addcmul_(tensors, t1, t2, value=1):
    """``t += value * a * b`` for each triple."""
    _store(tensors, _addc(tf.multiply, tensors, t1, t2, value)[1])


def addcmul(tensors, t1, t2, value=1):
    """``t + value * a * b`` for each triple."""
    return _same_dtypes(*_addc(tf.multiply, tensors, t1, t2, value))


def addcdiv_(tensors, t1, t2, value=1):
    """``t += value * a / b`` for each triple."""
    _store(tensors, _addc(tf.math.truediv, tensors, t1, t2, value)[1])


def addcdiv(tensors, t1, t2, value=1):
    """``t + value * a / b`` for each triple."""
    return _same_dtypes(*_addc(tf.math.truediv, tensors, t1, t2, value))


def lerp_(tensors, ends, weight):
    """``t += weight * (end - t)`` for each pair."""
    tensors_ = list(tensors)
    weights = _others(weight, len(tensors_))
    _store(
        tensors,
        [t + _operand(w, t) * (_operand(e, t) - t) for t, e, w in zip(tensors_, ends, weights)],
    )


def copy_(tensors, sources):
    """Copies each source into its tensor (cast to the tensor's dtype)."""
    _store(tensors, list(sources))


def zero_(tensors):
    """Sets each tensor to zeros."""
    _store(tensors, [tf.zeros_like(t) for t in tensors])


def _vector_norm(x, ord):
    x = tf.abs(tf.reshape(x, [-1]))
    if ord == math.inf:
        return tf.reduce_max(x)
    if ord == -math.inf:
        return tf.reduce_min(x)
    if ord == 0:
        return tf.reduce_sum(tf.cast(x != 0, x.dtype))
    if ord == 1:
        return tf.reduce_sum(x)
    if ord == 2:
        return tf.sqrt(tf.reduce_sum(x * x))
    return tf.pow(tf.reduce_sum(tf.pow(x, ord)), 1.0 / ord)


def norm(tensors, ord=2):
    """The ``ord``-norm of each tensor (flattened), as 0-d tensors of its dtype."""
    tensors = list(tensors)
    return _same_dtypes(tensors, [_vector_norm(t, ord) for t in tensors])


def trust_ratios(weights, updates):
    """LAMB's layer-wise trust ratios: ``norm(w) / norm(u)`` for each pair, or 1 where either
    norm is 0; one 0-d tensor per pair."""
    ratios = []
    for w, u in zip(weights, updates):
        wn = _vector_norm(w, 2)
        un = tf.cast(_vector_norm(u, 2), wn.dtype)
        usable = tf.logical_and(wn > 0, un > 0)
        one = tf.ones_like(wn)
        ratio = tf.where(usable, wn / tf.where(usable, un, one), one)
        ratios.append(tf.cast(ratio, w.dtype))
    return ratios
