"""Recurrent loops on TensorFlow tensors: the generic step loop (``tf.while_loop``, or a Python
loop when ``unroll``) and the LSTM/GRU layers' fused forms, written as that same loop."""

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor
from cornu.core import tree


def _expand(mask_t, x):
    """The ``(batch,)`` mask ``mask_t`` reshaped to broadcast against ``x``."""
    return tf.reshape(
        mask_t, tf.concat([tf.shape(mask_t), tf.ones([x.shape.rank - 1], tf.int32)], 0)
    )


def _swap01(x):
    order = list(range(x.shape.rank))
    order[0], order[1] = 1, 0
    return tf.transpose(x, order)


def _time_first(inputs, mask, time_major, go_backwards):
    flat = [convert_to_tensor(x) for x in tree.flatten(inputs)]
    flat = [x if time_major else _swap01(x) for x in flat]
    if go_backwards:
        flat = [tf.reverse(x, [0]) for x in flat]
    if mask is not None:
        mask = tf.cast(convert_to_tensor(mask), tf.bool)
        if not time_major:
            mask = _swap01(mask)
        if go_backwards:
            mask = tf.reverse(mask, [0])
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
        unroll: run a Python loop instead of ``tf.while_loop`` (needs a known time length).
        input_length: accepted for Keras's signature.
        return_all_outputs: stack every step's output, else only the last one.

    Returns:
        ``(last_output, outputs, new_states)``: ``outputs`` is ``(batch, time, ...)``
        (time 1 when not ``return_all_outputs``).
    """
    flat_inputs, mask = _time_first(inputs, mask, time_major, go_backwards)
    known_steps = flat_inputs[0].shape[0]
    steps = known_steps if known_steps is not None else tf.shape(flat_inputs[0])[0]
    constants = tuple(constants or ())
    structure = list(initial_states)

    def step(t_inputs, mask_t, states, previous):
        """One step: ``(output, flat_output, states)`` with the mask applied; ``previous`` is
        the flat previous output (None before the first step)."""
        step_input = tree.pack_sequence_as(inputs, t_inputs)
        output, new_states = step_function(step_input, tuple(states) + constants)
        new_states = tree.pack_sequence_as(structure, tree.flatten(new_states))
        flat_output = [convert_to_tensor(o) for o in tree.flatten(output)]
        if mask_t is not None:
            if previous is None or zero_output_for_mask:
                previous = [tf.zeros_like(o) for o in flat_output]
            flat_output = [
                tf.where(_expand(mask_t, o), o, p) for o, p in zip(flat_output, previous)
            ]
            flat_new = [
                tf.where(_expand(mask_t, n), n, s)
                for n, s in zip(tree.flatten(new_states), tree.flatten(states))
            ]
            new_states = tree.pack_sequence_as(new_states, flat_new)
        return output, flat_output, list(new_states)

    def mask_at(t):
        return None if mask is None else mask[t]

    # The first step runs outside the loop: it gives the output's structure, and what a cell
    # caches on its first call (dropout masks) is made outside the loop's trace.
    output, flat_output, states = step([x[0] for x in flat_inputs], mask_at(0), structure, None)
    if unroll and known_steps is not None and known_steps > 1:
        collected = [flat_output]
        for t in range(1, known_steps):
            t_inputs = [x[t] for x in flat_inputs]
            _, flat_output, states = step(t_inputs, mask_at(t), states, flat_output)
            collected.append(flat_output)
        flat_stacked = [tf.stack(group) for group in zip(*collected)]
    elif known_steps is None or known_steps > 1:
        state_structure = states
        arrays = [
            tf.TensorArray(o.dtype, size=steps - 1, element_shape=o.shape) for o in flat_output
        ]

        def body(t, flat_states, previous, arrays):
            states = tree.pack_sequence_as(state_structure, flat_states)
            t_inputs = [x[t] for x in flat_inputs]
            _, flat_out, new_states = step(t_inputs, mask_at(t), states, previous)
            # The loop variables keep their dtypes (and shapes) from step to step.
            flat_out = [tf.cast(o, p.dtype) for o, p in zip(flat_out, previous)]
            new_flat = [tf.cast(n, o.dtype) for n, o in zip(tree.flatten(new_states), flat_states)]
            if return_all_outputs:
                arrays = [a.write(t - 1, o) for a, o in zip(arrays, flat_out)]
            return t + 1, new_flat, flat_out, arrays

        _, flat_states, last, arrays = tf.while_loop(
            lambda t, *_: t < steps,
            body,
            (tf.constant(1), tree.flatten(states), flat_output, arrays),
            maximum_iterations=steps - 1,  # XLA's gradients need the loop's bound
        )
        states = list(tree.pack_sequence_as(state_structure, flat_states))
        if return_all_outputs:
            flat_stacked = [
                tf.concat([o[None], a.stack()], axis=0) for o, a in zip(flat_output, arrays)
            ]
        else:
            flat_stacked = [o[None] for o in last]
        flat_output = last
    else:
        flat_stacked = [o[None] for o in flat_output]
    if not return_all_outputs:
        flat_stacked = [o[-1:] for o in flat_stacked]
    if not time_major:
        flat_stacked = [_swap01(o) for o in flat_stacked]
    last_output = tree.pack_sequence_as(output, flat_output)
    return last_output, tree.pack_sequence_as(output, flat_stacked), list(states)


# ---- the LSTM and GRU layers' fused forms --------------------------------------------------


def _fused(step, inputs, states, mask, return_sequences, go_backwards, zero_output_for_mask):
    return rnn(
        step,
        inputs,
        [convert_to_tensor(s) for s in states],
        go_backwards=go_backwards,
        mask=mask,
        zero_output_for_mask=zero_output_for_mask,
        return_all_outputs=return_sequences,
    )


def _project(inputs, kernel):
    inputs = tf.cast(convert_to_tensor(inputs), kernel.dtype)
    return tf.tensordot(inputs, kernel, [[inputs.shape.rank - 1], [0]])


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
    """A Keras LSTM (tanh, sigmoid gates ``i, f, c, o``) in one ``tf.while_loop``; the input
    projection of every step is one matrix product before the loop.

    The weights keep Keras's layout (``kernel (in, 4u)``, ``recurrent_kernel (u, 4u)``,
    ``bias (4u,)`` or None). Any mask is handled, with Keras's masking rules. Returns
    ``(last_output, outputs, [h, c])``.
    """
    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    projected = _project(inputs, kernel)
    if bias is not None:
        projected = projected + convert_to_tensor(bias)

    def step(z_t, states):
        h, c = states[0], states[1]
        z = z_t + tf.matmul(h, recurrent_kernel)
        i, f, g, o = tf.split(z, 4, axis=-1)
        c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
        h = tf.sigmoid(o) * tf.tanh(c)
        return h, [h, c]

    states = [initial_state_h, initial_state_c]
    return _fused(
        step, projected, states, mask, return_sequences, go_backwards, zero_output_for_mask
    )


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
    ``tf.while_loop``. ``bias`` is Keras's ``(2, 3u)`` (input bias, recurrent bias) or None;
    any mask is handled, with Keras's masking rules. Returns ``(last_output, outputs, [h])``."""
    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    projected = _project(inputs, kernel)
    recurrent_bias = None
    if bias is not None:
        bias = convert_to_tensor(bias)
        projected = projected + bias[0]
        recurrent_bias = bias[1]

    def step(x_t, states):
        h = states[0]
        inner = tf.matmul(h, recurrent_kernel)
        if recurrent_bias is not None:
            inner = inner + recurrent_bias
        x_z, x_r, x_h = tf.split(x_t, 3, axis=-1)
        h_z, h_r, h_h = tf.split(inner, 3, axis=-1)
        z = tf.sigmoid(x_z + h_z)
        r = tf.sigmoid(x_r + h_r)
        candidate = tf.tanh(x_h + r * h_h)
        h = z * h + (1 - z) * candidate
        return h, [h]

    return _fused(
        step,
        projected,
        [initial_state],
        mask,
        return_sequences,
        go_backwards,
        zero_output_for_mask,
    )
