"""Recurrent loops on torch tensors: the generic step loop and the fused LSTM/GRU kernels."""

import warnings

import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from cornu.backend.torch.core import convert_to_tensor
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
        unroll, input_length: accepted for Keras's signature (torch runs eagerly anyway).
        return_all_outputs: stack every step's output, else only the last one.

    Returns:
        ``(last_output, outputs, new_states)``: ``outputs`` is ``(batch, time, ...)``
        (time 1 when not ``return_all_outputs``).
    """
    flat_inputs = [x if time_major else x.transpose(0, 1) for x in tree.flatten(inputs)]
    if go_backwards:
        flat_inputs = [torch.flip(x, (0,)) for x in flat_inputs]
    steps = flat_inputs[0].shape[0]
    if mask is not None:
        mask = convert_to_tensor(mask)
        if mask.dtype != torch.bool:
            mask = mask.bool()
        if not time_major:
            mask = mask.transpose(0, 1)
        if go_backwards:
            mask = torch.flip(mask, (0,))
    constants = tuple(constants or ())
    structure = list(initial_states)
    states = tuple(structure)
    outputs = []
    previous = None
    for t in range(steps):
        step_input = tree.pack_sequence_as(inputs, [x[t] for x in flat_inputs])
        output, new_states = step_function(step_input, states + constants)
        # Keep the structure of the initial states (a cell may flatten or unwrap its own).
        new_states = tree.pack_sequence_as(structure, tree.flatten(new_states))
        if mask is not None:
            mask_t = mask[t]
            flat_output = tree.flatten(output)
            if previous is None or zero_output_for_mask:
                previous = [torch.zeros_like(o) for o in flat_output]
            flat_output = [
                torch.where(_expand(mask_t, o), o, p) for o, p in zip(flat_output, previous)
            ]
            output = tree.pack_sequence_as(output, flat_output)
            previous = flat_output
            flat_new = [
                torch.where(_expand(mask_t, n), n, s)
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
    flat_outputs = [torch.stack(group, dim=axis) for group in zip(*map(tree.flatten, outputs))]
    stacked = tree.pack_sequence_as(last_output, flat_outputs)
    return last_output, stacked, list(states)


def _expand(mask_t, x):
    """The ``(batch,)`` mask ``mask_t`` reshaped to broadcast against ``x``."""
    return mask_t.reshape(mask_t.shape + (1,) * (x.ndim - 1))


# ---- fused kernels -------------------------------------------------------------------------


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
    """A Keras LSTM (tanh, sigmoid gates ``i, f, c, o``) on torch's fused LSTM kernel.

    The weights keep Keras's layout (``kernel (in, 4u)``, ``recurrent_kernel (u, 4u)``,
    ``bias (4u,)`` or None); they are transposed inside the autograd graph. ``mask`` must be
    None or have each sequence's unmasked steps in one contiguous block (e.g. right- or
    left-padding); otherwise NotImplementedError is raised, and the caller runs the step loop.

    Returns ``(last_output, outputs, [h, c])`` with Keras's masking rules.
    """
    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    params = [kernel.t(), recurrent_kernel.t()]
    if bias is not None:
        bias = convert_to_tensor(bias)
        params += [bias, torch.zeros_like(bias)]
    return _run_fused(
        torch._VF.lstm,
        inputs,
        [initial_state_h, initial_state_c],
        mask,
        params,
        return_sequences,
        go_backwards,
        zero_output_for_mask,
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
    """A Keras GRU with ``reset_after=True`` (tanh, sigmoid, gates ``z, r, h``) on torch's fused
    GRU kernel, whose gates are ``r, z, n``: the weights are reordered and transposed inside the
    autograd graph. ``bias`` is Keras's ``(2, 3u)`` (input bias, recurrent bias) or None.
    ``mask`` as for ``lstm``. Returns ``(last_output, outputs, [h])``.
    """

    def reorder(w):  # Keras's z, r, h blocks -> torch's r, z, n
        z, r, h = torch.chunk(w, 3, dim=-1)
        return torch.cat([r, z, h], dim=-1)

    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    params = [reorder(kernel).t(), reorder(recurrent_kernel).t()]
    if bias is not None:
        bias = reorder(convert_to_tensor(bias))
        params += [bias[0], bias[1]]
    return _run_fused(
        torch._VF.gru,
        inputs,
        [initial_state],
        mask,
        params,
        return_sequences,
        go_backwards,
        zero_output_for_mask,
    )


def _run_fused(kernel_fn, inputs, states, mask, params, return_sequences, go_backwards, zero_out):
    inputs = convert_to_tensor(inputs)
    dtype = params[0].dtype
    if inputs.dtype != dtype:
        inputs = inputs.to(dtype)
    states = [convert_to_tensor(s).to(dtype) for s in states]
    if go_backwards:
        inputs = torch.flip(inputs, (1,))
    has_biases = len(params) == 4
    train = torch.is_grad_enabled()
    block = None
    if mask is not None:
        mask = convert_to_tensor(mask)
        if go_backwards:
            mask = torch.flip(mask, (1,))
        block = _contiguous_block(mask)
        if block is None:
            raise NotImplementedError("the mask is not one contiguous block per sequence")
        if block[2]:  # every step of every sequence is unmasked
            block = None
    hx = [s.unsqueeze(0) for s in states]
    hx = hx[0] if len(hx) == 1 else tuple(hx)
    if block is None:
        result = _call(kernel_fn, inputs, hx, params, has_biases, 1, 0.0, train, False, True)
        outputs, final = result[0], [s.squeeze(0) for s in result[1:]]
        last_output = final[0]
        if not return_sequences:
            outputs = last_output.unsqueeze(1)
        return last_output, outputs, final
    return _run_packed(
        kernel_fn, inputs, states, hx, params, has_biases, train, block, return_sequences, zero_out
    )


def _call(kernel_fn, *args):
    if args[0].device.type != "cuda":
        return kernel_fn(*args)
    # cuDNN copies weights that are not one flat buffer (ours are views of Keras's layout,
    # as in Keras itself) and warns that it does; the copy is part of the design here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*contiguous chunk of memory.*")
        return kernel_fn(*args)


def _contiguous_block(mask):
    """``(start, lengths, full)`` when each row of the ``(batch, time)`` mask has its True steps
    in one contiguous block (``start``/``lengths`` as int64 CPU tensors), else None."""
    host = mask.detach().to("cpu", torch.bool)
    steps = host.shape[1]
    lengths = host.sum(1)
    start = host.to(torch.uint8).argmax(1)  # the first True step (0 for an all-False row)
    t = torch.arange(steps)
    block = (t >= start[:, None]) & (t < (start + lengths)[:, None])
    if not torch.equal(block, host):
        return None
    return start, lengths, bool((lengths == steps).all())


def _run_packed(
    kernel_fn, inputs, states, hx, params, has_biases, train, block, return_sequences, zero_out
):
    start, lengths, _ = block
    steps = inputs.shape[1]
    device = inputs.device
    if bool(start.any()):  # move each sequence's block to the front
        index = (start[:, None] + torch.arange(steps)).clamp(max=steps - 1).to(device)
        inputs = torch.take_along_dim(inputs, index[:, :, None], dim=1)
    packed = pack_padded_sequence(
        inputs, lengths.clamp(min=1), batch_first=True, enforce_sorted=False
    )
    order, unorder = packed.sorted_indices, packed.unsorted_indices
    if isinstance(hx, tuple):
        hx = tuple(h.index_select(1, order) for h in hx)
    else:
        hx = hx.index_select(1, order)
    result = _call(
        kernel_fn, packed.data, packed.batch_sizes, hx, params, has_biases, 1, 0.0, train, False
    )
    outputs, _ = pad_packed_sequence(
        PackedSequence(result[0], packed.batch_sizes, order, unorder),
        batch_first=True,
        total_length=steps,
    )
    start_d, lengths_d = start.to(device), lengths.to(device)
    nonempty = lengths_d > 0
    final = [
        torch.where(nonempty[:, None], s.squeeze(0).index_select(0, unorder), s0)
        for s, s0 in zip(result[1:], states)
    ]
    # Back to Keras's time positions: zeros before the block, the block, then the last
    # output carried over (or zeros when zero_out).
    relative = torch.arange(steps, device=device)[None, :] - start_d[:, None]
    source = torch.minimum(relative.clamp(min=0), (lengths_d - 1).clamp(min=0)[:, None])
    keep = (relative >= 0) & nonempty[:, None]
    if zero_out:
        keep = keep & (relative < lengths_d[:, None])
    if not return_sequences:
        source, keep = source[:, -1:], keep[:, -1:]
    outputs = torch.take_along_dim(outputs, source[:, :, None], dim=1)
    outputs = torch.where(keep[:, :, None], outputs, outputs.new_zeros(()))
    return outputs[:, -1], outputs, final
