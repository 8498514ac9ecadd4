"""Control flow on TensorFlow: loops, scans, maps, switch and custom gradients on
``tf.while_loop``, ``tf.switch_case``, ``tf.vectorized_map`` and ``tf.custom_gradient``, so that
they compile inside a ``tf.function`` (one graph loop, not unrolled Python).

The results match the torch backend's: the same argument checks, ``while_loop``'s
``maximum_iterations``, ``switch``'s clamped index, and ``scan`` with ``f`` returning no ``y``
giving zeros shaped like the carry (an empty scan gives None ys).
"""

import builtins

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import VALUE_READ_ERRORS, Variable, convert_to_tensor
from cornu.core import tree
from cornu.core.grad_fn_call import call_grad_fn


def _check_callable(fn, name, op):
    if not callable(fn):
        raise TypeError(f"`{op}` expects a callable `{name}`. Received: {name}={fn!r}")


def _tensor(x):
    return convert_to_tensor(x.value if isinstance(x, Variable) else x)


def _cast_like(values, structure):
    """``values`` with the structure of ``structure`` and, where the kind (float, int, ...)
    agrees, its leaf dtypes: a loop's carry keeps its dtypes, so a body giving float64 NumPy
    values for a float32 carry still runs; a change of kind is left for TensorFlow to refuse."""
    flat = []
    for value, like in zip(tree.flatten(values), tree.flatten(structure)):
        value = _tensor(value)
        same_kind = (value.dtype.is_floating and like.dtype.is_floating) or (
            value.dtype.is_integer and like.dtype.is_integer
        )
        if same_kind and value.dtype != like.dtype:
            value = tf.cast(value, like.dtype)
        flat.append(value)
    return tree.pack_sequence_as(structure, flat)


def _leading(x):
    size = x.shape[0] if x.shape.rank else None
    return size if size is not None else tf.shape(x)[0]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Carries ``init`` through ``carry, y = f(carry, x)`` for each ``x`` in ``xs`` (sliced on
    the leading axis; or ``length`` steps with ``x`` None) and returns ``(carry, stacked ys)``.

    ``reverse`` walks ``xs`` from the end (the ys keep ``xs``'s order). ``unroll`` (a positive
    int or bool) is accepted for Keras compatibility: the loop is one ``tf.while_loop``.
    """
    _check_callable(f, "f", "scan")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(
            f"`scan` expects `unroll` to be a positive integer or a bool. Received: unroll={unroll}"
        )
    if xs is None and length is None:
        raise ValueError("`scan` got no `xs` to scan over and no `length`.")
    xs_flat = [] if xs is None else [_tensor(x) for x in tree.flatten(xs)]
    if length is not None:
        steps = int(length)
    else:
        steps = _leading(xs_flat[0]) if xs_flat else 0
    for x in xs_flat:
        if x.shape.rank == 0 or (
            isinstance(steps, int) and x.shape[0] is not None and x.shape[0] != steps
        ):
            raise ValueError(
                f"`scan` expects every array in `xs` to have a leading axis of {steps}. "
                f"Received one of shape {tuple(x.shape.as_list())}"
            )
    carry = tree.map_structure(_tensor, init)
    if isinstance(steps, int) and steps == 0:
        return carry, None
    nested_xs = tree.is_nested(xs)

    def x_at(i):
        if xs is None:
            return None
        index = steps - 1 - i if reverse else i
        if nested_xs:
            return tree.pack_sequence_as(xs, [v[index] for v in xs_flat])
        return xs_flat[0][index]

    # The first step runs outside the loop: it gives the structure, shapes and dtypes of the
    # carry and of the ys that the loop then keeps.
    carry, y = f(carry, x_at(0))
    carry = tree.map_structure(_tensor, carry)
    no_y = y is None
    y_flat = [] if no_y else [_tensor(v) for v in tree.flatten(y)]
    arrays = [
        tf.TensorArray(v.dtype, size=steps, element_shape=v.shape).write(0, v) for v in y_flat
    ]

    def body(i, carry, arrays):
        new_carry, new_y = f(carry, x_at(i))
        new_carry = _cast_like(new_carry, carry)
        if not no_y:
            values = _cast_like(new_y, y_flat)
            arrays = [a.write(i, v) for a, v in zip(arrays, values)]
        return i + 1, new_carry, arrays

    _, carry, arrays = tf.while_loop(lambda i, *_: i < steps, body, (tf.constant(1), carry, arrays))
    if no_y:
        # As Keras on torch: zeros shaped like the carry's leaves, stacked.
        return carry, [
            tf.zeros(tf.concat([[steps], tf.shape(c)], 0), c.dtype) for c in tree.flatten(carry)
        ]
    stacked = [a.stack() for a in arrays]
    if reverse:
        stacked = [tf.reverse(s, [0]) for s in stacked]
    return carry, tree.pack_sequence_as(y, stacked)


def map(f, xs):
    """``f`` applied to each slice of ``xs`` along its leading axis, the results stacked."""
    _check_callable(f, "f", "map")

    def step(carry, x):
        return carry, f(x)

    return scan(step, (), xs)[1]


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` from ``lower`` to ``upper - 1``, from ``init_val``."""
    _check_callable(body_fun, "body_fun", "fori_loop")
    init_val = tree.map_structure(_tensor, init_val)

    if tf.executing_eagerly() and all(isinstance(b, (int, np.integer)) for b in (lower, upper)):
        # Eagerly the counter is a Python int, as on torch.
        val = init_val
        for i in range(int(lower), int(upper)):
            val = _cast_like(body_fun(i, val), init_val)
        return val

    def body(i, val):
        return i + 1, _cast_like(body_fun(i, val), init_val)

    start = tf.cast(_tensor(lower), tf.int32)
    stop = tf.cast(_tensor(upper), tf.int32)
    return tf.while_loop(lambda i, _: i < stop, body, (start, init_val))[1]


def _predicate(value):
    value = _tensor(value)
    if value.shape.num_elements() not in (1, None):
        raise ValueError(
            "`while_loop` expects `cond` to return one boolean. Received a value of shape "
            f"{tuple(value.shape.as_list())}"
        )
    return tf.cast(tf.reshape(value, ()), tf.bool)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds, at most
    ``maximum_iterations`` times. A single (non-tuple) ``loop_vars`` is passed and returned
    as it is."""
    _check_callable(cond, "cond", "while_loop")
    _check_callable(body, "body", "while_loop")
    is_sequence = isinstance(loop_vars, (list, tuple))
    loop_vars = tuple(loop_vars) if is_sequence else (loop_vars,)
    loop_vars = tree.map_structure(_tensor, loop_vars)

    def step(*v):
        out = body(*v)
        return _cast_like(tuple(out) if is_sequence else (out,), loop_vars)

    outputs = tf.while_loop(
        lambda *v: _predicate(cond(*v)),
        step,
        loop_vars,
        maximum_iterations=maximum_iterations,
    )
    outputs = tuple(outputs)
    return outputs if is_sequence else outputs[0]


def switch(index, branches, *operands):
    """``branches[index](*operands)``, with ``index`` clamped to ``[0, len(branches) - 1]``."""
    if not branches:
        raise ValueError("`switch` expects at least one branch. Received: branches=[]")
    if isinstance(index, (int, np.integer)):
        index = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
        return branches[index](*operands)
    index = tf.clip_by_value(tf.cast(_tensor(index), tf.int32), 0, len(branches) - 1)
    return tf.switch_case(index, [lambda b=b: b(*operands) for b in branches])


def _stack(structures):
    leaves = zip(*(tree.flatten(s) for s in structures))
    stacked = [tf.stack([_tensor(v) for v in group]) for group in leaves]
    return tree.pack_sequence_as(structures[0], stacked)


def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` (a tensor or a structure of them)
    along the leading axis, the results stacked.

    Runs as one batched computation (``tf.vectorized_map``, which loops where an op cannot be
    batched); a function that reads values (a Python branch on one) runs slice by slice
    instead, when called eagerly.
    """
    _check_callable(function, "function", "vectorized_map")
    elements = tree.map_structure(_tensor, elements)
    try:
        batched = tf.autograph.experimental.do_not_convert(function)
        return tf.vectorized_map(batched, elements, fallback_to_while_loop=True)
    except Exception as error:
        # inside a traced function, slices cannot be read either
        if not (_reads_values(error) and tf.executing_eagerly()):
            raise
    flat = tree.flatten(elements)
    nested = tree.is_nested(elements)

    def element(i):
        return tree.pack_sequence_as(elements, [x[i] for x in flat]) if nested else flat[0][i]

    return _stack([function(element(i)) for i in range(flat[0].shape[0])])


def _reads_values(error):
    """Whether ``error`` says a traced value was read (autograph re-raises that as a
    ``StagingError`` naming the original error in its message)."""
    if isinstance(error, VALUE_READ_ERRORS):
        return True
    message = str(error)
    return type(error).__name__ == "StagingError" and any(
        kind.__name__ in message for kind in VALUE_READ_ERRORS
    )


def _take(x, axis, start, stop, step=1):
    index = [builtins.slice(None)] * x.shape.rank
    index[axis] = builtins.slice(start, stop, step)
    return x[tuple(index)]


def _interleave(even, odd, axis):
    """``even[0], odd[0], even[1], odd[1], ...`` along ``axis`` (``even`` may be one longer)."""
    n_odd = tf.shape(odd)[axis]
    pairs = tf.stack([_take(even, axis, 0, n_odd), odd], axis=axis + 1)
    shape = tf.concat([tf.shape(odd)[:axis], [2 * n_odd], tf.shape(odd)[axis + 1 :]], 0)
    merged = tf.reshape(pairs, shape)
    if even.shape[axis] is not None and odd.shape[axis] is not None:
        if even.shape[axis] > odd.shape[axis]:
            merged = tf.concat([merged, _take(even, axis, -1, None)], axis=axis)
    return merged


def associative_scan(f, elems, reverse=False, axis=0):
    """The inclusive prefix scan of ``elems`` along ``axis`` with the associative ``f``
    (``f(a, b)`` combines two structures like ``elems``, elementwise), in ``O(log n)``
    calls of ``f`` on whole slices."""
    _check_callable(f, "f", "associative_scan")
    elems = tree.map_structure(_tensor, elems)
    flat = tree.flatten(elems)
    if not flat:
        raise ValueError("`associative_scan` expects at least one array in `elems`.")
    axis = axis % flat[0].shape.rank
    size = flat[0].shape[axis]
    if any(x.shape[axis] != size for x in flat):
        raise ValueError(
            "`associative_scan` expects every array in `elems` to have the same size along "
            f"axis {axis}. Received shapes {[tuple(x.shape.as_list()) for x in flat]}"
        )
    if reverse:
        flat = [tf.reverse(x, [axis]) for x in flat]

    def combine(a, b):
        out = f(tree.pack_sequence_as(elems, a), tree.pack_sequence_as(elems, b))
        return [_tensor(v) for v in tree.flatten(out)]

    def scan_level(xs):
        n = xs[0].shape[axis]
        if n < 2:
            return xs
        # Pairs combined, then scanned recursively: the odd prefix results.
        odd = scan_level(
            combine(
                [_take(x, axis, 0, -1, 2) for x in xs], [_take(x, axis, 1, None, 2) for x in xs]
            )
        )
        # Each later even position combines the previous odd result with itself.
        if n % 2 == 0:
            rest = combine(
                [_take(o, axis, 0, -1) for o in odd], [_take(x, axis, 2, None, 2) for x in xs]
            )
        else:
            rest = combine(odd, [_take(x, axis, 2, None, 2) for x in xs])
        even = [tf.concat([_take(x, axis, 0, 1), e], axis=axis) for x, e in zip(xs, rest)]
        return [_interleave(e, o, axis) for e, o in zip(even, odd)]

    result = scan_level(flat)
    if reverse:
        result = [tf.reverse(x, [axis]) for x in result]
    return tree.pack_sequence_as(elems, result)


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
        args = [_tensor(a) for a in args]

        @tf.custom_gradient
        def forward(*call_args):
            result = f(*call_args, **kwargs)
            if not (isinstance(result, (list, tuple)) and len(result) == 2 and callable(result[1])):
                raise ValueError(
                    "A function decorated with `custom_gradient` must return "
                    f"`(output, grad_fn)`. Received: {type(result).__name__}"
                )
            output, grad_fn = result

            def backward(*upstreams, variables=None):
                upstream = upstreams[0] if len(upstreams) == 1 else list(upstreams)
                grads = call_grad_fn(grad_fn, call_args, upstream)
                if len(grads) != len(call_args):
                    raise ValueError(
                        f"The `grad_fn` of a `custom_gradient` function returned {len(grads)} "
                        f"gradients for {len(call_args)} arguments."
                    )
                input_grads = [
                    tf.zeros_like(a) if g is None else tf.cast(_tensor(g), a.dtype)
                    for g, a in zip(grads, call_args)
                ]
                if variables:
                    return input_grads, [None] * len(variables)
                return input_grads

            return output, backward

        return forward(*args)
