"""Control flow on torch tensors: loops, scans, maps, switch and custom gradients.

Torch runs eagerly, so each loop is one plain Python loop over tensors (``torch.compile``
traces or unrolls it as it does any Python loop).
"""

import builtins

import numpy as np
import torch

from cornu.backend.torch.core import convert_to_tensor, tree
from cornu.core.grad_fn_call import call_grad_fn


def _stack(structures):
    """One structure like ``structures[0]`` whose leaves are the leaves of all of them
    stacked on a new leading axis."""
    leaves = zip(*(tree.flatten(s) for s in structures))
    stacked = [torch.stack([convert_to_tensor(v) for v in group]) for group in leaves]
    return tree.pack_sequence_as(structures[0], stacked)


def _check_callable(fn, name, op):
    if not callable(fn):
        raise TypeError(f"`{op}` expects a callable `{name}`. Received: {name}={fn!r}")


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Carries ``init`` through ``carry, y = f(carry, x)`` for each ``x`` in ``xs`` (sliced on
    the leading axis; or ``length`` steps with ``x`` None) and returns ``(carry, stacked ys)``.

    ``reverse`` walks ``xs`` from the end (the ys keep ``xs``'s order). ``unroll`` (a positive
    int or bool) is accepted for Keras compatibility: the loop is a Python loop either way.
    """
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
    elif xs_flat:
        steps = xs_flat[0].shape[0]
    else:
        steps = 0
    for x in xs_flat:
        if x.ndim == 0 or x.shape[0] != steps:
            raise ValueError(
                f"`scan` expects every array in `xs` to have a leading axis of {steps}. "
                f"Received one of shape {tuple(x.shape)}"
            )
    carry = tree.map_structure(convert_to_tensor, init)
    nested_xs = tree.is_nested(xs)
    ys = []
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    for i in order:
        if xs is None:
            x = None
        elif nested_xs:
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
        # As Keras on torch: f returning no y gives a list of zeros shaped like the carry's
        # leaves, stacked.
        return carry, [
            torch.zeros((steps,) + tuple(c.shape), dtype=c.dtype, device=c.device)
            for c in tree.flatten(carry)
        ]
    return carry, _stack(ys)


def map(f, xs):
    """``f`` applied to each slice of ``xs`` along its leading axis, the results stacked."""
    _check_callable(f, "f", "map")

    def step(carry, x):
        return carry, f(x)

    _, ys = scan(step, (), xs)
    return ys


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` from ``lower`` to ``upper - 1``, from ``init_val``."""
    _check_callable(body_fun, "body_fun", "fori_loop")
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds, at most
    ``maximum_iterations`` times. A single (non-tuple) ``loop_vars`` is passed and returned
    as it is."""
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
    """``branches[index](*operands)``, with ``index`` clamped to ``[0, len(branches) - 1]``."""
    if not branches:
        raise ValueError("`switch` expects at least one branch. Received: branches=[]")
    index = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
    return branches[index](*operands)


def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` (a tensor or a structure of them)
    along the leading axis, the results stacked.

    Runs as one batched call through ``torch.vmap``; a function that vmap cannot batch (one
    that reads values, say) runs slice by slice instead.
    """
    _check_callable(function, "function", "vectorized_map")
    elements = tree.map_structure(convert_to_tensor, elements)
    try:
        return torch.vmap(function)(elements)
    except (RuntimeError, ValueError, NotImplementedError):
        pass
    flat = tree.flatten(elements)

    def element(i):
        if not tree.is_nested(elements):
            return flat[0][i]
        return tree.pack_sequence_as(elements, [x[i] for x in flat])

    outputs = [function(element(i)) for i in range(flat[0].shape[0])]
    return _stack(outputs)


def associative_scan(f, elems, reverse=False, axis=0):
    """The inclusive prefix scan of ``elems`` along ``axis`` with the associative ``f``
    (``f(a, b)`` combines two structures like ``elems``, elementwise).

    Computed as a parallel (Blelloch-style) scan: ``O(log n)`` calls of ``f`` on whole slices.
    """
    _check_callable(f, "f", "associative_scan")
    flat = [convert_to_tensor(x) for x in tree.flatten(elems)]
    if not flat:
        raise ValueError("`associative_scan` expects at least one array in `elems`.")
    size = flat[0].shape[axis]
    if any(x.shape[axis] != size for x in flat):
        raise ValueError(
            "`associative_scan` expects every array in `elems` to have the same size along "
            f"axis {axis}. Received shapes {[tuple(x.shape) for x in flat]}"
        )
    if reverse:
        flat = [torch.flip(x, (axis,)) for x in flat]

    def combine(a, b):
        out = f(tree.pack_sequence_as(elems, a), tree.pack_sequence_as(elems, b))
        return [convert_to_tensor(o) for o in tree.flatten(out)]

    def take(x, start, stop=None, step=1):
        index = [builtins.slice(None)] * x.ndim
        index[axis] = builtins.slice(start, stop, step)
        return x[tuple(index)]

    def interleave(even, odd):
        # [e0, o0, e1, o1, ...] along axis; even has as many items as odd, or one more.
        n = even.shape[axis] + odd.shape[axis]
        shape = list(even.shape)
        shape[axis] = n
        out = even.new_empty(shape)
        take(out, 0, None, 2).copy_(even)
        take(out, 1, None, 2).copy_(odd)
        return out

    def scan_level(xs):
        n = xs[0].shape[axis]
        if n < 2:
            return xs
        # Pairs combined, then scanned recursively: the odd prefix sums.
        pairs = combine([take(x, 0, -1, 2) for x in xs], [take(x, 1, None, 2) for x in xs])
        odd = scan_level(pairs)
        # Each remaining even position combines the previous odd result with itself.
        if n % 2 == 0:
            even = combine([take(o, 0, -1) for o in odd], [take(x, 2, None, 2) for x in xs])
        else:
            even = combine(odd, [take(x, 2, None, 2) for x in xs])
        even = [torch.cat([take(x, 0, 1), e], dim=axis) for x, e in zip(xs, even)]
        return [interleave(e, o) for e, o in zip(even, odd)]

    result = scan_level(flat)
    if reverse:
        result = [torch.flip(x, (axis,)) for x in result]
    return tree.pack_sequence_as(elems, result)


class custom_gradient:
    """Decorates ``f(*args)`` returning ``(output, grad_fn)`` so that the gradient of the
    output with respect to ``args`` is ``grad_fn``'s, not autograd's.

    ``grad_fn`` is called as Keras documents for each backend: with ``args`` positionally and
    ``upstream=`` as a keyword when ``upstream`` is a keyword-only or later parameter (Keras's
    torch form, ``grad(*args, upstream)``), otherwise with the upstream gradient as its only
    argument (the JAX/TensorFlow form, ``grad(upstream)``). A ``grad_fn`` that takes a
    ``variables`` keyword gets ``variables=[]`` and returns ``(input_grads, [])``, as in
    TensorFlow; variables read inside ``f`` get no gradient: pass them as arguments.
    It returns one gradient per argument (a single tensor for a single argument; None for an
    argument that takes none).
    """

    def __init__(self, f):
        if not callable(f):
            raise TypeError(f"`custom_gradient` expects a callable. Received: {f!r}")
        self.f = f
        self.__wrapped__ = f

    def __call__(self, *args, **kwargs):
        f = self.f

        def forward(*call_args):
            return f(*call_args, **kwargs)

        args = [
            convert_to_tensor(a) if isinstance(a, (np.ndarray, np.generic)) else a for a in args
        ]
        return _CustomGradientFunction.apply(forward, *args)


class _CustomGradientFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, forward, *args):
        result = forward(*args)
        if not (isinstance(result, (list, tuple)) and len(result) == 2 and callable(result[1])):
            raise ValueError(
                "A function decorated with `custom_gradient` must return `(output, grad_fn)`. "
                f"Received: {type(result).__name__}"
            )
        output, ctx.grad_fn = result
        ctx.args = args
        ctx.single_output = not isinstance(output, (list, tuple))
        return output

    @staticmethod
    def backward(ctx, *upstream):
        upstream = upstream[0] if ctx.single_output else tuple(upstream)
        grads = call_grad_fn(ctx.grad_fn, ctx.args, upstream)
        if len(grads) != len(ctx.args):
            raise ValueError(
                f"The `grad_fn` of a `custom_gradient` function returned {len(grads)} "
                f"gradients for {len(ctx.args)} arguments."
            )
        grads = tuple(
            convert_to_tensor(g) if g is not None and isinstance(a, torch.Tensor) else None
            for g, a in zip(grads, ctx.args)
        )
        return (None, *grads)
