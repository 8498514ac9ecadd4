"""Recurrent loops on NumPy arrays: the generic step loop. There are no fused LSTM/GRU
kernels: ``lstm`` and ``gru`` raise NotImplementedError, and the layers run the step loop."""

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor
from cornu.core import tree


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

    ``step_function(inputs_t, states) -> (output_t, new_states)``; ``inputs`` is ``(batch,
    time, ...)`` (``(time, batch, ...)`` when ``time_major``) or a nested structure of such
    arrays; at a step where the boolean ``mask`` ``(batch, time)`` is False the states are
    carried over and the output is the previous one (zeros when ``zero_output_for_mask``).
    Returns ``(last_output, outputs, new_states)``.
    """
    flat_inputs = [
        np.asarray(x) if time_major else np.swapaxes(np.asarray(x), 0, 1)
        for x in tree.flatten(inputs)
    ]
    if go_backwards:
        flat_inputs = [np.flip(x, 0) for x in flat_inputs]
    steps = flat_inputs[0].shape[0]
    if mask is not None:
        mask = convert_to_tensor(mask).astype(bool)
        if not time_major:
            mask = np.swapaxes(mask, 0, 1)
        if go_backwards:
            mask = np.flip(mask, 0)
    constants = tuple(constants or ())
    structure = list(initial_states)
    states = tuple(structure)
    outputs = []
    previous = None
    for t in range(steps):
        step_input = tree.pack_sequence_as(inputs, [x[t] for x in flat_inputs])
        output, new_states = step_function(step_input, states + constants)
        new_states = tree.pack_sequence_as(structure, tree.flatten(new_states))
        if mask is not None:
            mask_t = mask[t]
            flat_output = tree.flatten(output)
            if previous is None or zero_output_for_mask:
                previous = [np.zeros_like(o) for o in flat_output]
            flat_output = [
                np.where(_expand(mask_t, o), o, p) for o, p in zip(flat_output, previous)
            ]
            output = tree.pack_sequence_as(output, flat_output)
            previous = flat_output
            flat_new = [
                np.where(_expand(mask_t, n), n, s)
                for n, s in zip(tree.flatten(new_states), tree.flatten(states))
            ]
            new_states = tree.pack_sequence_as(new_states, flat_new)
        states = tuple(new_states)
        if return_all_outputs or not outputs:
            outputs.append(output)
        else:
            outputs[0] = output
    last_output = outputs[-1]
    axis = 0 if time_major else 1
    flat_outputs = [np.stack(group, axis=axis) for group in zip(*map(tree.flatten, outputs))]
    stacked = tree.pack_sequence_as(last_output, flat_outputs)
    return last_output, stacked, list(states)


def _expand(mask_t, x):
    return mask_t.reshape(mask_t.shape + (1,) * (np.ndim(x) - 1))


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
    """No fused LSTM on NumPy: raises NotImplementedError (the layer runs its step loop)."""
    raise NotImplementedError("The NumPy backend has no fused LSTM kernel.")


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
    """No fused GRU on NumPy: raises NotImplementedError (the layer runs its step loop)."""
    raise NotImplementedError("The NumPy backend has no fused GRU kernel.")
