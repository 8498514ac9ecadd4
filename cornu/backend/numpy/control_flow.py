"""Control flow on NumPy arrays: loops, scans, maps and switch as plain Python loops;
``custom_gradient`` runs the function forward only (NumPy computes no gradients)."""

import builtins

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor
from cornu.core import tree


def _stack(structures):
    leaves = zip(*(tree.flatten(s) for s in structures))
    stacked = [np.stack([convert_to_tensor(v) for v in group]) for group in leaves]
    return tree.pack_sequence_as(structures[0], stacked)


def _check_callable(fn, name, op):
    if not callable(fn):
        raise TypeError(f"`{op}` expects a callable `{name}`. Received: {name}={fn!r}")


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Carries ``init`` through ``carry, y = f(carry, x)`` for each ``x`` in ``xs`` (sliced on
    the leading axis; or ``length`` steps with ``x`` None); returns ``(carry, stacked ys)``."""
    _check_callable(f, "f", "scan")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(
            f"`scan` expects `unroll` to be a positive integer or a bool. Received: unroll={unroll}"
        )
    if xs is None and length is None:
        raise ValueError("`scan` got no `xs` to scan over and no `length`.")
    xs_flat = [] if xs is None else [convert_to_tensor(x) for x in tree.flatten(xs)]
    if length is not None:
        steps = int(length)
    else:
        steps = xs_flat[0].shape[0] if xs_flat else 0
    for x in xs_flat:
        if x.ndim == 0 or x.shape[0] != steps:
            raise ValueError(
                f"`scan` expects every array in `xs` to have a leading axis of {steps}. "
                f"Received one of shape {tuple(x.shape)}"
            )
    carry = tree.map_structure(convert_to_tensor, init)
    nested = tree.is_nested(xs)
    ys = []
    for i in range(steps - 1, -1, -1) if reverse else range(steps):
        if xs is None:
            x = None
        elif nested:
            x = tree.pack_sequence_as(xs, [v[i] for v in xs_flat])
        else:
            x = xs_flat[0][i]
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys:
        return carry, None
    if ys[0] is None:
        return carry, [
            np.zeros((steps,) + np.shape(c), dtype=np.asarray(c).dtype) for c in tree.flatten(carry)
        ]
    return carry, _stack(ys)


def map(f, xs):
    """``f`` applied to each slice of ``xs`` along its leading axis, the results stacked."""
    _check_callable(f, "f", "map")
    return scan(lambda carry, x: (carry, f(x)), (), xs)[1]


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` from ``lower`` to ``upper - 1``."""
    _check_callable(body_fun, "body_fun", "fori_loop")
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds, at most
    ``maximum_iterations`` times."""
    _check_callable(cond, "cond", "while_loop")
    _check_callable(body, "body", "while_loop")
    is_sequence = isinstance(loop_vars, (list, tuple))
    loop_vars = tuple(loop_vars) if is_sequence else (loop_vars,)
    loop_vars = tree.map_structure(convert_to_tensor, loop_vars)
    iteration = 0
    while (maximum_iterations is None or iteration < maximum_iterations) and bool(cond(*loop_vars)):
        loop_vars = body(*loop_vars)
        loop_vars = tuple(loop_vars) if isinstance(loop_vars, (list, tuple)) else (loop_vars,)
        iteration += 1
    return loop_vars if is_sequence else loop_vars[0]


def switch(index, branches, *operands):
    """``branches[index](*operands)``, with ``index`` clamped to the branches."""
    if not branches:
        raise ValueError("`switch` expects at least one branch. Received: branches=[]")
    index = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
    return branches[index](*operands)


def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` along the leading axis, stacked."""
    _check_callable(function, "function", "vectorized_map")
    elements = tree.map_structure(convert_to_tensor, elements)
    flat = tree.flatten(elements)

    def element(i):
        if not tree.is_nested(elements):
            return flat[0][i]
        return tree.pack_sequence_as(elements, [x[i] for x in flat])

    return _stack([function(element(i)) for i in range(flat[0].shape[0])])


def associative_scan(f, elems, reverse=False, axis=0):
    """The inclusive prefix scan of ``elems`` along ``axis`` with the associative ``f``."""
    _check_callable(f, "f", "associative_scan")
    flat = [convert_to_tensor(x) for x in tree.flatten(elems)]
    if not flat:
        raise ValueError("`associative_scan` expects at least one array in `elems`.")
    size = flat[0].shape[axis]
    if builtins.any(x.shape[axis] != size for x in flat):
        raise ValueError(
            "`associative_scan` expects every array in `elems` to have the same size along "
            f"axis {axis}. Received shapes {[tuple(x.shape) for x in flat]}"
        )
    if reverse:
        flat = [np.flip(x, axis) for x in flat]

    def item(x, i):
        return np.take(x, [i], axis=axis)

    running = [item(x, 0) for x in flat]
    pieces = [running]
    for i in range(1, size):
        out = f(
            tree.pack_sequence_as(elems, running),
            tree.pack_sequence_as(elems, [item(x, i) for x in flat]),
        )
        running = [convert_to_tensor(o) for o in tree.flatten(out)]
        pieces.append(running)
    result = [np.concatenate(group, axis=axis) for group in zip(*pieces)]
    if reverse:
        result = [np.flip(x, axis) for x in result]
    return tree.pack_sequence_as(elems, result)


class custom_gradient:
    """Decorates ``f(*args)`` returning ``(output, grad_fn)``. NumPy computes no gradients, so
    calling it returns ``f``'s output and ``grad_fn`` is never called."""

    def __init__(self, f):
        if not callable(f):
            raise TypeError(f"`custom_gradient` expects a callable. Received: {f!r}")
        self.f = f
        self.__wrapped__ = f

    def __call__(self, *args, **kwargs):
        result = self.f(*args, **kwargs)
        if not (isinstance(result, (list, tuple)) and len(result) == 2 and callable(result[1])):
            raise ValueError(
                "A function decorated with `custom_gradient` must return `(output, grad_fn)`. "
                f"Received: {type(result).__name__}"
            )
        return result[0]
