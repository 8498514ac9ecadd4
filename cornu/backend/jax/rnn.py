"""Recurrent loops on jax arrays: the generic step loop (``lax.scan``, or a Python loop when
``unroll``) and the LSTM/GRU layers' fused forms, written as that same loop."""

import jax
import jax.numpy as jnp
from jax import lax

from cornu.backend.jax.core import convert_to_tensor
from cornu.core import tree


def _expand(mask_t, x):
    """The ``(batch,)`` mask ``mask_t`` reshaped to broadcast against ``x``."""
    return mask_t.reshape(mask_t.shape + (1,) * (jnp.ndim(x) - 1))


def _time_first(inputs, mask, time_major, go_backwards):
    flat = [convert_to_tensor(x) for x in tree.flatten(inputs)]
    flat = [x if time_major else jnp.swapaxes(x, 0, 1) for x in flat]
    if go_backwards:
        flat = [jnp.flip(x, 0) for x in flat]
    if mask is not None:
        mask = convert_to_tensor(mask).astype(bool)
        if not time_major:
            mask = jnp.swapaxes(mask, 0, 1)
        if go_backwards:
            mask = jnp.flip(mask, 0)
    return flat, mask


def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    constants=None,
    unroll=False,
    input_length=None,
    time_major=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Runs ``step_function`` over the time axis of ``inputs`` (Keras's ``backend.rnn``).

    Args:
        step_function: ``(inputs_t, states) -> (output_t, new_states)``.
        inputs: a tensor ``(batch, time, ...)`` (``(time, batch, ...)`` when ``time_major``),
            or a nested structure of such tensors.
        initial_states: the list of state tensors at the first step.
        go_backwards: iterate from the last step to the first (outputs stay in that order).
        mask: a boolean ``(batch, time)`` tensor; at a masked step the states are carried over
            unchanged and the output is the previous step's output (zeros before the first
            one), or zeros when ``zero_output_for_mask``.
        constants: extra tensors passed to every step after the states.
        unroll: run a Python loop instead of ``lax.scan`` (each step traced on its own).
        input_length: accepted for Keras's signature.
        return_all_outputs: stack every step's output, else only the last one.

    Returns:
        ``(last_output, outputs, new_states)``: ``outputs`` is ``(batch, time, ...)``
        (time 1 when not ``return_all_outputs``).
    """
    flat_inputs, mask = _time_first(inputs, mask, time_major, go_backwards)
    steps = flat_inputs[0].shape[0]
    constants = tuple(constants or ())
    structure = list(initial_states)

    def step(t_inputs, mask_t, states, previous):
        """One step: ``(output, flat_output, states)`` with the mask applied; ``previous`` is
        the flat previous output (None before the first step)."""
        step_input = tree.pack_sequence_as(inputs, t_inputs)
        output, new_states = step_function(step_input, tuple(states) + constants)
        new_states = tree.pack_sequence_as(structure, tree.flatten(new_states))
        flat_output = tree.flatten(output)
        if mask_t is not None:
            if previous is None or zero_output_for_mask:
                previous = [jnp.zeros_like(o) for o in flat_output]
            flat_output = [
                jnp.where(_expand(mask_t, o), o, p) for o, p in zip(flat_output, previous)
            ]
            flat_new = [
                jnp.where(_expand(mask_t, n), n, s)
                for n, s in zip(tree.flatten(new_states), tree.flatten(states))
            ]
            new_states = tree.pack_sequence_as(new_states, flat_new)
        return output, flat_output, list(new_states)

    def mask_at(t):
        return None if mask is None else mask[t]

    # The first step runs outside the loop: it gives the output's structure, and what a cell
    # caches on its first call (dropout masks) is made outside the scan's trace.
    output, flat_output, states = step([x[0] for x in flat_inputs], mask_at(0), structure, None)
    if steps > 1 and unroll:
        collected = [flat_output]
        for t in range(1, steps):
            t_inputs = [x[t] for x in flat_inputs]
            _, flat_output, states = step(t_inputs, mask_at(t), states, flat_output)
            collected.append(flat_output)
        flat_stacked = [jnp.stack(group) for group in zip(*collected)]
    elif steps > 1:

        def body(carry, xs):
            states, previous = carry
            t_inputs, mask_t = xs
            _, flat_out, new_states = step(t_inputs, mask_t, states, previous)
            # The carry keeps its dtypes from step to step (as lax.scan requires).
            flat_out = [o.astype(p.dtype) for o, p in zip(flat_out, previous)]
            flat_states = [
                n.astype(o.dtype) for n, o in zip(tree.flatten(new_states), tree.flatten(states))
            ]
            states = list(tree.pack_sequence_as(new_states, flat_states))
            return (states, flat_out), (flat_out if return_all_outputs else None)

        xs = ([x[1:] for x in flat_inputs], None if mask is None else mask[1:])
        (states, last), rest = lax.scan(body, (states, flat_output), xs)
        if return_all_outputs:
            flat_stacked = [jnp.concatenate([o[None], r]) for o, r in zip(flat_output, rest)]
        else:
            flat_stacked = [o[None] for o in last]
        flat_output = last
    else:
        flat_stacked = [o[None] for o in flat_output]
    if not return_all_outputs:
        flat_stacked = [o[-1:] for o in flat_stacked]
    if not time_major:
        flat_stacked = [jnp.swapaxes(o, 0, 1) for o in flat_stacked]
    last_output = tree.pack_sequence_as(output, flat_output)
    return last_output, tree.pack_sequence_as(output, flat_stacked), list(states)


# ---- the LSTM and GRU layers' fused forms --------------------------------------------------


def _fused(step, inputs, states, mask, return_sequences, go_backwards, zero_output_for_mask):
    """Runs ``step(x_t, states) -> (h, new_states)`` (``h`` the output, ``new_states[0]``)
    over every time step in one ``lax.scan``, with ``rnn``'s masking rules.

    Every step is in the scan (the step caches nothing, so none needs to run outside it), and
    the input projection stays in the step, as Keras's cells compute it: on CPU that is faster
    than one projection of the whole sequence before the loop, whose time-major copy and
    stacked gradient cost more than the per-step products they save.
    """
    xs = jnp.swapaxes(convert_to_tensor(inputs), 0, 1)
    states = [convert_to_tensor(s) for s in states]
    if go_backwards:
        xs = jnp.flip(xs, 0)
    if mask is not None:
        mask = jnp.swapaxes(convert_to_tensor(mask).astype(bool), 0, 1)
        if go_backwards:
            mask = jnp.flip(mask, 0)
    # The previous output at a masked step: the last unmasked step's (zeros before the first).
    keep_output = mask is not None and not zero_output_for_mask
    previous = jnp.zeros_like(states[0]) if keep_output else None

    def body(carry, scanned):
        states, previous = carry
        x_t, mask_t = scanned if mask is not None else (scanned, None)
        output, new_states = step(x_t, states)
        output = output.astype(states[0].dtype)
        new_states = [n.astype(s.dtype) for n, s in zip(new_states, states)]
        if mask_t is not None:
            kept = mask_t[:, None]
            new_states = [jnp.where(kept, n, s) for n, s in zip(new_states, states)]
            output = jnp.where(kept, output, previous if keep_output else 0)
            if keep_output:
                previous = output
        return (new_states, previous), (output if return_sequences else None)

    scanned = xs if mask is None else (xs, mask)
    (states, previous), outputs = lax.scan(body, (states, previous), scanned)
    if mask is None:
        last_output = states[0]
    elif keep_output:
        last_output = previous
    else:
        # zero_output_for_mask: the last step's output, zeros where it is masked.
        last_output = jnp.where(mask[-1][:, None], states[0], 0).astype(states[0].dtype)
    if return_sequences:
        outputs = jnp.swapaxes(outputs, 0, 1)
    else:
        outputs = last_output[:, None]
    return last_output, outputs, states


def lstm(
    inputs,
    initial_state_h,
    initial_state_c,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    return_sequences=False,
    go_backwards=False,
    zero_output_for_mask=False,
):
    """A Keras LSTM (tanh, sigmoid gates ``i, f, c, o``) in one ``lax.scan``, each step
    computed as Keras's cell computes it: ``z = x_t @ kernel + h @ recurrent_kernel + bias``.

    The weights keep Keras's layout (``kernel (in, 4u)``, ``recurrent_kernel (u, 4u)``,
    ``bias (4u,)`` or None). Any mask is handled, with Keras's masking rules. Returns
    ``(last_output, outputs, [h, c])``.
    """
    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    inputs = convert_to_tensor(inputs).astype(kernel.dtype)
    bias = None if bias is None else convert_to_tensor(bias)

    def step(x_t, states):
        h, c = states
        z = jnp.matmul(x_t, kernel) + jnp.matmul(h, recurrent_kernel)
        if bias is not None:
            z = z + bias
        i, f, g, o = jnp.split(z, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return h, [h, c]

    states = [initial_state_h, initial_state_c]
    return _fused(step, inputs, states, mask, return_sequences, go_backwards, zero_output_for_mask)


def gru(
    inputs,
    initial_state,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    return_sequences=False,
    go_backwards=False,
    zero_output_for_mask=False,
):
    """A Keras GRU with ``reset_after=True`` (tanh, sigmoid, gates ``z, r, h``) in one
    ``lax.scan``, each step computed as Keras's cell computes it. ``bias`` is Keras's
    ``(2, 3u)`` (input bias, recurrent bias) or None; any mask is handled, with Keras's
    masking rules. Returns ``(last_output, outputs, [h])``."""
    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    inputs = convert_to_tensor(inputs).astype(kernel.dtype)
    input_bias = recurrent_bias = None
    if bias is not None:
        bias = convert_to_tensor(bias)
        input_bias, recurrent_bias = bias[0], bias[1]

    def step(x_t, states):
        (h,) = states
        matrix_x = jnp.matmul(x_t, kernel)
        if input_bias is not None:
            matrix_x = matrix_x + input_bias
        inner = jnp.matmul(h, recurrent_kernel)
        if recurrent_bias is not None:
            inner = inner + recurrent_bias
        x_z, x_r, x_h = jnp.split(matrix_x, 3, axis=-1)
        h_z, h_r, h_h = jnp.split(inner, 3, axis=-1)
        z = jax.nn.sigmoid(x_z + h_z)
        r = jax.nn.sigmoid(x_r + h_r)
        candidate = jnp.tanh(x_h + r * h_h)
        h = z * h + (1 - z) * candidate
        return h, [h]

    return _fused(
        step,
        inputs,
        [initial_state],
        mask,
        return_sequences,
        go_backwards,
        zero_output_for_mask,
    )
