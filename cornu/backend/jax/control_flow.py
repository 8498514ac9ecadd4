"""Control flow on JAX: loops, scans, maps, switch and custom gradients on ``jax.lax``, so
that they compile inside ``jax.jit`` (the loop is one XLA loop, not unrolled Python).

The results match the torch backend's (the same argument checks, ``while_loop``'s
``maximum_iterations``, ``switch``'s clamped index), except where Keras's own JAX backend
differs from its torch one: ``scan`` with ``f`` returning no ``y`` gives None ys (torch:
zeros), and an empty scan stacks empty ys (torch: None).
"""

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import Variable, convert_to_tensor
from cornu.core import tree
from cornu.core.grad_fn_call import call_grad_fn

# What jax raises when a function reads a traced value (a Python branch on it): such a
# function cannot be batched by ``jax.vmap``.
_TRACER_READ_ERRORS = (
    jax.errors.ConcretizationTypeError,
    jax.errors.TracerArrayConversionError,
    jax.errors.TracerBoolConversionError,
    jax.errors.TracerIntegerConversionError,
)


def _check_callable(fn, name, op):
    if not callable(fn):
        raise TypeError(f"`{op}` expects a callable `{name}`. Received: {name}={fn!r}")


def _tensor(x):
    return x.value if isinstance(x, Variable) else convert_to_tensor(x)


def _stack(structures):
    leaves = zip(*(tree.flatten(s) for s in structures))
    stacked = [jnp.stack([convert_to_tensor(v) for v in group]) for group in leaves]
    return tree.pack_sequence_as(structures[0], stacked)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Carries ``init`` through ``carry, y = f(carry, x)`` for each ``x`` in ``xs`` (sliced on
    the leading axis; or ``length`` steps with ``x`` None) and returns ``(carry, stacked ys)``.

    ``reverse`` walks ``xs`` from the end (the ys keep ``xs``'s order); ``unroll`` (a positive
    int or bool) is how many steps each compiled loop iteration runs. An ``f`` returning
    None as its ``y`` gives None ys, as Keras on JAX.
    """
    _check_callable(f, "f", "scan")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(
            f"`scan` expects `unroll` to be a positive integer or a bool. Received: unroll={unroll}"
        )
    if xs is None and length is None:
        raise ValueError("`scan` got no `xs` to scan over and no `length`.")
    if xs is not None:
        xs = tree.map_structure(_tensor, xs)
    xs_flat = [] if xs is None else tree.flatten(xs)
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
    carry = tree.map_structure(_tensor, init)
    return jax.lax.scan(f, carry, xs, length=steps, reverse=reverse, unroll=unroll)


def map(f, xs):
    """``f`` applied to each slice of ``xs`` along its leading axis, the results stacked."""
    _check_callable(f, "f", "map")
    return jax.lax.map(f, tree.map_structure(_tensor, xs))


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` from ``lower`` to ``upper - 1``, from ``init_val``."""
    _check_callable(body_fun, "body_fun", "fori_loop")
    init_val = tree.map_structure(_tensor, init_val)

    def body(i, val):
        return _cast_like(body_fun(i, val), init_val)

    return jax.lax.fori_loop(lower, upper, body, init_val)


def _cast_like(values, structure):
    """``values`` with the structure of ``structure`` and, where the kind (float, int, ...)
    agrees, its leaf dtypes: a loop's carry keeps its dtypes under ``jax.lax``, so a body
    giving float64 NumPy values for a float32 carry still runs; a change of kind (an int
    counter becoming float) is left for ``jax.lax`` to refuse."""
    flat = []
    for value, like in zip(tree.flatten(values), tree.flatten(structure)):
        value = _tensor(value)
        if jnp.result_type(value).kind == like.dtype.kind:
            value = jnp.asarray(value, dtype=like.dtype)
        flat.append(value)
    return tree.pack_sequence_as(structure, flat)


def _predicate(value):
    value = jnp.asarray(_tensor(value))
    if value.size != 1:
        raise ValueError(
            "`while_loop` expects `cond` to return one boolean. Received a value of shape "
            f"{tuple(value.shape)}"
        )
    return value.reshape(()).astype(bool)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds, at most
    ``maximum_iterations`` times. A single (non-tuple) ``loop_vars`` is passed and returned
    as it is."""
    _check_callable(cond, "cond", "while_loop")
    _check_callable(body, "body", "while_loop")
    is_sequence = isinstance(loop_vars, (list, tuple))
    loop_vars = tuple(loop_vars) if is_sequence else (loop_vars,)
    loop_vars = tree.map_structure(_tensor, loop_vars)

    def keep(out):
        return _cast_like(tuple(out) if is_sequence else (out,), loop_vars)

    if maximum_iterations is None:
        outputs = jax.lax.while_loop(
            lambda v: _predicate(cond(*v)), lambda v: keep(body(*v)), loop_vars
        )
    else:
        limit = maximum_iterations

        def capped_cond(state):
            v, i = state
            return jnp.logical_and(i < limit, _predicate(cond(*v)))

        def capped_body(state):
            v, i = state
            return keep(body(*v)), i + 1

        outputs, _ = jax.lax.while_loop(capped_cond, capped_body, (loop_vars, jnp.int32(0)))
    return outputs if is_sequence else outputs[0]


def switch(index, branches, *operands):
    """``branches[index](*operands)``, with ``index`` clamped to ``[0, len(branches) - 1]``."""
    if not branches:
        raise ValueError("`switch` expects at least one branch. Received: branches=[]")
    if isinstance(index, (int, np.integer)):
        index = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
    return jax.lax.switch(_tensor(index), list(branches), *operands)


def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` (a tensor or a structure of them)
    along the leading axis, the results stacked.

    Runs as one batched call through ``jax.vmap``; a function that vmap cannot batch (one
    that reads values, say) runs slice by slice instead, outside a compiled function.
    """
    _check_callable(function, "function", "vectorized_map")
    elements = tree.map_structure(_tensor, elements)
    flat = tree.flatten(elements)
    try:
        return jax.vmap(function)(elements)
    except _TRACER_READ_ERRORS:
        if isinstance(flat[0], jax.core.Tracer):
            raise  # inside a compiled function, slices cannot be read either
    nested = tree.is_nested(elements)

    def element(i):
        return tree.pack_sequence_as(elements, [x[i] for x in flat]) if nested else flat[0][i]

    return _stack([function(element(i)) for i in range(flat[0].shape[0])])


def associative_scan(f, elems, reverse=False, axis=0):
    """The inclusive prefix scan of ``elems`` along ``axis`` with the associative ``f``
    (``f(a, b)`` combines two structures like ``elems``, elementwise), in ``O(log n)``
    calls of ``f`` on whole slices."""
    _check_callable(f, "f", "associative_scan")
    elems = tree.map_structure(_tensor, elems)
    flat = tree.flatten(elems)
    if not flat:
        raise ValueError("`associative_scan` expects at least one array in `elems`.")
    size = flat[0].shape[axis]
    if any(x.shape[axis] != size for x in flat):
        raise ValueError(
            "`associative_scan` expects every array in `elems` to have the same size along "
            f"axis {axis}. Received shapes {[tuple(x.shape) for x in flat]}"
        )
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


class custom_gradient:
    """Decorates ``f(*args)`` returning ``(output, grad_fn)`` so that the gradient of the
    output with respect to ``args`` is ``grad_fn``'s, not autodiff's.

    ``grad_fn`` is called as on the torch backend: with ``args`` positionally and
    ``upstream=`` as a keyword when ``upstream`` is a keyword-only or later parameter (Keras's
    torch form), otherwise with the upstream gradient alone (the JAX/TensorFlow form). A
    ``grad_fn`` that takes a ``variables`` keyword gets ``variables=[]`` and returns
    ``(input_grads, [])``. It returns one gradient per argument (a single one for a single
    argument; None for an argument that takes none).
    """

    def __init__(self, f):
        if not callable(f):
            raise TypeError(f"`custom_gradient` expects a callable. Received: {f!r}")
        self.f = f
        self.__wrapped__ = f

    def __call__(self, *args, **kwargs):
        f = self.f
        args = [a if isinstance(a, jax.Array) else _tensor(a) for a in args]

        def forward(*call_args):
            result = f(*call_args, **kwargs)
            if not (isinstance(result, (list, tuple)) and len(result) == 2 and callable(result[1])):
                raise ValueError(
                    "A function decorated with `custom_gradient` must return "
                    f"`(output, grad_fn)`. Received: {type(result).__name__}"
                )
            output, grad_fn = result

            def vjp(upstream):
                grads = call_grad_fn(grad_fn, call_args, upstream)
                if len(grads) != len(call_args):
                    raise ValueError(
                        f"The `grad_fn` of a `custom_gradient` function returned {len(grads)} "
                        f"gradients for {len(call_args)} arguments."
                    )
                return tuple(
                    jnp.zeros_like(a) if g is None else jnp.asarray(_tensor(g), dtype=a.dtype)
                    for g, a in zip(grads, call_args)
                )

            return output, vjp

        return jax.custom_gradient(forward)(*args)
