"""CTC decoding on torch tensors: greedy (best path) and beam search, as Keras decodes.

Both return ``(paths, scores)``: ``paths`` of shape ``(top_paths, batch, max_length)`` (int32,
-1 after each decoded sequence) and ``scores`` of shape ``(batch, top_paths)``.
"""

import torch
import torch.nn.functional as F

from cornu.backend.torch.core import convert_to_tensor

_PAD = -1


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decodes the per-step class scores ``inputs`` ``(batch, max_length, num_classes)``.

    ``strategy="greedy"`` takes the best class of each step, merges repeats (with
    ``merge_repeated``) and drops ``mask_index`` (the blank); its score is minus the sum of
    the chosen scores. ``strategy="beam_search"`` keeps the ``beam_width`` most likely
    prefixes (inputs are log-softmaxed first) and returns the ``top_paths`` best, with
    their log-probabilities. Steps past ``sequence_lengths[b]`` are ignored.
    """
    inputs = convert_to_tensor(inputs)
    if inputs.ndim != 3:
        raise ValueError(
            "`ctc_decode` expects `inputs` of shape (batch, max_length, num_classes). "
            f"Received: inputs.shape={tuple(inputs.shape)}"
        )
    if inputs.dtype != torch.float64:
        inputs = inputs.to(torch.float32)
    sequence_lengths = convert_to_tensor(sequence_lengths).to(torch.int32)
    if strategy == "greedy":
        return _greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index)
    raise ValueError(
        "`ctc_decode` supports the strategies 'greedy' and 'beam_search'. "
        f"Received: strategy={strategy!r}"
    )


def _greedy(inputs, sequence_lengths, merge_repeated, mask_index):
    batch, steps, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    scores, indices = torch.max(inputs, dim=-1)
    indices = indices.to(torch.int32)
    positions = torch.arange(steps, device=inputs.device)
    past_end = positions[None, :] >= sequence_lengths[:, None]
    indices = torch.where(past_end, mask_index, indices)
    scores = torch.where(past_end, 0.0, scores)
    if merge_repeated:
        repeated = F.pad(indices[:, 1:] == indices[:, :-1], (1, 0))
        indices = torch.where(repeated, mask_index, indices)
    dropped = indices == mask_index
    indices = torch.where(dropped, _PAD, indices)
    # Kept labels move to the front, in order; the -1s go to the end.
    order = torch.where(dropped, steps, positions[None, :].expand(batch, steps))
    indices = torch.take_along_dim(indices, torch.argsort(order, dim=-1), dim=-1)
    return indices[None], -torch.sum(scores, dim=1, keepdim=True)


# The base of the polynomial row hash that finds duplicate prefixes; int64 overflow is
# intended. Rows are ordered by this hash, which is also how ties between equal scores
# are broken (as in Keras, so the same paths come out).
_HASH_BASE = 2654435769


def _unique_rows(paths, size):
    """The distinct rows of ``paths``, padded with -1 rows to ``size``, and for each input
    row the index of its distinct row."""
    rows, length = paths.shape
    powers = _HASH_BASE ** torch.arange(length, dtype=torch.int64, device=paths.device)
    hashes = ((paths.to(torch.int64) + 1) * powers).sum(dim=1)
    order = torch.argsort(hashes, stable=True)
    ordered = paths[order]
    ordered_hashes = hashes[order]
    same = (ordered_hashes[1:] == ordered_hashes[:-1]) & (ordered[1:] == ordered[:-1]).all(dim=1)
    first = torch.cat([torch.ones(1, dtype=torch.bool, device=paths.device), ~same])
    inverse = torch.empty(rows, dtype=torch.int64, device=paths.device)
    inverse[order] = torch.cumsum(first.to(torch.int64), dim=0) - 1
    unique = ordered[first]
    if unique.shape[0] < size:
        filler = torch.full((size - unique.shape[0], length), _PAD, dtype=unique.dtype)
        unique = torch.cat([unique, filler.to(unique.device)])
    return unique, inverse


def _log_sum_into(inverse, scores, size):
    """``log(sum(exp(scores)))`` of the scores that ``inverse`` sends to each of ``size`` rows."""
    peak = scores.max()
    total = torch.zeros(size, dtype=scores.dtype, device=scores.device)
    total.scatter_add_(0, inverse, torch.exp(scores - peak))
    return torch.log(total) + peak


def _extend(paths, scores, blank_ended, step_scores, num_classes, blank):
    """Every beam followed by every class (the blank, or a repeat of the last label not
    separated by a blank, leaves the path as it is)."""
    rows = paths.shape[0]
    paths = paths.repeat_interleave(num_classes, dim=0)
    scores = scores.repeat_interleave(num_classes)
    previous_blank = blank_ended.repeat_interleave(num_classes)
    end = (paths == _PAD).to(torch.int32).argmax(dim=1)
    every = torch.arange(paths.shape[0], device=paths.device)
    last = torch.where(end == 0, _PAD, paths[every, end - 1])
    classes = torch.arange(num_classes, dtype=paths.dtype, device=paths.device)
    classes[blank] = _PAD
    classes = classes.repeat(rows)
    blank_ended = classes == _PAD
    classes = torch.where(~previous_blank & (last == classes), _PAD, classes)
    paths[every, end] = classes
    return paths, scores + step_scores.repeat(rows), blank_ended


def _prune(paths, scores, blank_ended, num_classes, beam_width):
    """Merges equal prefixes (their probabilities add up, kept apart by whether they end in a
    blank) and keeps the ``beam_width`` most likely, each twice: ending in a label, then in
    a blank."""
    unique, inverse = _unique_rows(paths, 2 * num_classes * beam_width)
    minus_inf = torch.tensor(float("-inf"), dtype=scores.dtype, device=scores.device)
    label_scores = _log_sum_into(inverse, torch.where(blank_ended, minus_inf, scores), len(unique))
    blank_scores = _log_sum_into(inverse, torch.where(blank_ended, scores, minus_inf), len(unique))
    best = torch.argsort(torch.logaddexp(label_scores, blank_scores), stable=True)[-beam_width:]
    paths = unique[best].repeat(2, 1)
    scores = torch.cat([label_scores[best], blank_scores[best]])
    blank_ended = torch.arange(2 * beam_width, device=paths.device) >= beam_width
    return paths, scores, blank_ended


def _beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    batch, steps, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    # Classes are reversed so that the stable ascending sorts break ties as Keras does.
    inputs = torch.flip(F.log_softmax(inputs, dim=-1), dims=[2])
    blank = num_classes - mask_index - 1
    lengths = sequence_lengths.cpu().tolist()
    first_beams = min(num_classes, beam_width)
    all_paths, all_scores = [], []
    for b in range(batch):
        x = inputs[b]
        paths = torch.full((2 * beam_width, steps), _PAD, dtype=torch.int32, device=x.device)
        best = torch.argsort(x[0], stable=True)[-first_beams:]
        paths[:first_beams, 0] = torch.where(best == blank, _PAD, best.to(torch.int32))
        scores = torch.full((2 * beam_width,), float("-inf"), dtype=x.dtype, device=x.device)
        scores[:first_beams] = x[0, best]
        blank_ended = paths[:, 0] == _PAD
        for t in range(1, int(lengths[b])):
            paths, scores, blank_ended = _extend(
                paths, scores, blank_ended, x[t], num_classes, blank
            )
            paths, scores, blank_ended = _prune(paths, scores, blank_ended, num_classes, beam_width)
        unique, inverse = _unique_rows(paths, 2 * num_classes * beam_width)
        scores = _log_sum_into(inverse, scores, len(unique))
        top = torch.argsort(scores, stable=True)[-top_paths:].flip(0)
        all_paths.append(unique[top])
        all_scores.append(scores[top])
    paths = torch.stack(all_paths)
    paths = torch.where(paths == _PAD, _PAD, num_classes - paths - 1)
    return paths.permute(1, 0, 2), torch.stack(all_scores)
