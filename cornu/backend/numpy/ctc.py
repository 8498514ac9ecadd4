"""CTC on NumPy arrays: the loss (the forward algorithm in log space) and greedy decoding."""

import numpy as np

from cornu.backend.numpy.core import convert_to_tensor
from cornu.backend.numpy.ctc_beam import beam_search

_PAD = -1


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss of every sequence, as Keras computes it.

    ``target`` ``(batch, max_label_length)`` integer labels, ``output`` ``(batch, max_time,
    num_classes)`` logits, the two lengths ``(batch,)``, ``mask_index`` the blank. Returns the
    negative log-likelihoods ``(batch,)`` (``inf`` where no alignment exists).
    """
    target = np.asarray(convert_to_tensor(target), dtype=np.int64)
    output = convert_to_tensor(output)
    dtype = output.dtype if output.dtype in (np.float32, np.float64) else np.dtype(np.float32)
    log_probs = _log_softmax(output.astype(np.float64))
    target_length = np.asarray(convert_to_tensor(target_length)).reshape(-1)
    output_length = np.asarray(convert_to_tensor(output_length)).reshape(-1)
    losses = []
    for b in range(target.shape[0]):
        labels = target[b, : int(target_length[b])]
        extended = np.full(2 * len(labels) + 1, mask_index, dtype=np.int64)
        extended[1::2] = labels
        steps = int(output_length[b])
        n = len(extended)
        alpha = np.full(n, -np.inf)
        alpha[0] = log_probs[b, 0, extended[0]]
        if n > 1:
            alpha[1] = log_probs[b, 0, extended[1]]
        skip = np.zeros(n, dtype=bool)
        skip[2:] = (extended[2:] != mask_index) & (extended[2:] != extended[:-2])
        for t in range(1, steps):
            shifted1 = np.concatenate([[-np.inf], alpha[:-1]])
            shifted2 = np.concatenate([[-np.inf, -np.inf], alpha[:-2]])
            shifted2 = np.where(skip, shifted2, -np.inf)
            with np.errstate(invalid="ignore"):
                alpha = np.logaddexp(np.logaddexp(alpha, shifted1), shifted2)
            alpha = alpha + log_probs[b, t, extended]
        final = alpha[-1] if n == 1 else np.logaddexp(alpha[-1], alpha[-2])
        losses.append(-final)
    return np.asarray(losses, dtype=dtype)


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decodes the per-step class scores ``inputs`` ``(batch, max_length, num_classes)``
    greedily: the best class of each step, repeats merged (``merge_repeated``), the blank
    ``mask_index`` dropped. Returns ``(paths, scores)``: ``paths`` ``(1, batch, max_length)``
    (int32, -1 after each sequence), ``scores`` ``(batch, 1)`` (minus the sum of the chosen
    scores). ``strategy="beam_search"`` keeps the ``beam_width`` most likely prefixes and
    returns the ``top_paths`` best with their log-probabilities (``ctc_beam.py``)."""
    inputs = convert_to_tensor(inputs)
    if inputs.ndim != 3:
        raise ValueError(
            "`ctc_decode` expects `inputs` of shape (batch, max_length, num_classes). "
            f"Received: inputs.shape={tuple(inputs.shape)}"
        )
    if strategy == "beam_search":
        if inputs.dtype != np.float64:
            inputs = inputs.astype(np.float32)
        lengths = np.asarray(convert_to_tensor(sequence_lengths)).reshape(-1)
        return beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    if strategy != "greedy":
        raise ValueError(
            "`ctc_decode` supports the strategies 'greedy' and 'beam_search'. "
            f"Received: strategy={strategy!r}"
        )
    if inputs.dtype != np.float64:
        inputs = inputs.astype(np.float32)
    batch, steps, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    lengths = np.asarray(convert_to_tensor(sequence_lengths)).reshape(-1)
    scores = inputs.max(axis=-1)
    indices = inputs.argmax(axis=-1).astype(np.int32)
    past_end = np.arange(steps)[None, :] >= lengths[:, None]
    indices = np.where(past_end, mask_index, indices)
    scores = np.where(past_end, 0.0, scores).astype(inputs.dtype)
    if merge_repeated:
        repeated = np.pad(indices[:, 1:] == indices[:, :-1], ((0, 0), (1, 0)))
        indices = np.where(repeated, mask_index, indices)
    dropped = indices == mask_index
    indices = np.where(dropped, _PAD, indices).astype(np.int32)
    order = np.where(dropped, steps, np.arange(steps)[None, :])
    indices = np.take_along_axis(indices, np.argsort(order, axis=-1, kind="stable"), axis=-1)
    return indices[None], -np.sum(scores, axis=1, keepdims=True)
