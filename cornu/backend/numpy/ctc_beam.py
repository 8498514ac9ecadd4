"""CTC beam-search decoding on NumPy arrays, as Keras decodes (the same paths, scores and ties).

The beams of each sequence are kept as rows of labels (-1 past their end); each step extends
every beam by every class, merges equal prefixes (adding their probabilities, kept apart by
whether they end in a blank) and keeps the ``beam_width`` most likely.
"""

import numpy as np

_PAD = -1

# The base of the polynomial row hash that finds duplicate prefixes; int64 overflow is
# intended. Rows are ordered by this hash, which is also how ties between equal scores are
# broken (as in Keras, so the same paths come out).
_HASH_BASE = 2654435769


def _unique_rows(paths, size):
    """The distinct rows of ``paths``, padded with -1 rows to ``size``, and for each input
    row the index of its distinct row."""
    rows, length = paths.shape
    with np.errstate(over="ignore"):
        powers = np.power(np.int64(_HASH_BASE), np.arange(length, dtype=np.int64))
        hashes = ((paths.astype(np.int64) + 1) * powers).sum(axis=1)
    order = np.argsort(hashes, kind="stable")
    ordered = paths[order]
    ordered_hashes = hashes[order]
    same = (ordered_hashes[1:] == ordered_hashes[:-1]) & (ordered[1:] == ordered[:-1]).all(axis=1)
    first = np.concatenate([[True], ~same])
    inverse = np.empty(rows, dtype=np.int64)
    inverse[order] = np.cumsum(first.astype(np.int64)) - 1
    unique = ordered[first]
    if unique.shape[0] < size:
        filler = np.full((size - unique.shape[0], length), _PAD, dtype=unique.dtype)
        unique = np.concatenate([unique, filler])
    return unique, inverse


def _log_sum_into(inverse, scores, size):
    """``log(sum(exp(scores)))`` of the scores that ``inverse`` sends to each of ``size`` rows."""
    peak = scores.max()
    total = np.zeros(size, dtype=scores.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.add.at(total, inverse, np.exp(scores - peak))
        return np.log(total) + peak


def _extend(paths, scores, blank_ended, step_scores, num_classes, blank):
    """Every beam followed by every class (the blank, or a repeat of the last label not
    separated by a blank, leaves the path as it is)."""
    rows = paths.shape[0]
    paths = np.repeat(paths, num_classes, axis=0)
    scores = np.repeat(scores, num_classes)
    previous_blank = np.repeat(blank_ended, num_classes)
    end = (paths == _PAD).astype(np.int32).argmax(axis=1)
    every = np.arange(paths.shape[0])
    last = np.where(end == 0, _PAD, paths[every, end - 1])
    classes = np.arange(num_classes, dtype=paths.dtype)
    classes[blank] = _PAD
    classes = np.tile(classes, rows)
    blank_ended = classes == _PAD
    classes = np.where(~previous_blank & (last == classes), _PAD, classes)
    paths[every, end] = classes
    return paths, scores + np.tile(step_scores, rows), blank_ended


def _prune(paths, scores, blank_ended, num_classes, beam_width):
    """Merges equal prefixes and keeps the ``beam_width`` most likely, each twice: ending in
    a label, then in a blank."""
    unique, inverse = _unique_rows(paths, 2 * num_classes * beam_width)
    label_scores = _log_sum_into(inverse, np.where(blank_ended, -np.inf, scores), len(unique))
    blank_scores = _log_sum_into(inverse, np.where(blank_ended, scores, -np.inf), len(unique))
    total = np.logaddexp(label_scores, blank_scores)
    best = np.argsort(total, kind="stable")[-beam_width:]
    paths = np.tile(unique[best], (2, 1))
    scores = np.concatenate([label_scores[best], blank_scores[best]])
    blank_ended = np.arange(2 * beam_width) >= beam_width
    return paths, scores, blank_ended


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    """The ``top_paths`` most likely labellings of each sequence of ``inputs`` ``(batch,
    max_length, num_classes)``, by beam search over ``beam_width`` prefixes. Returns
    ``(paths, scores)``: ``(top_paths, batch, max_length)`` int32 (-1 after each path) and
    ``(batch, top_paths)`` log-probabilities."""
    batch, steps, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    # Classes are reversed so that the stable ascending sorts break ties as Keras does.
    inputs = _log_softmax(inputs)[:, :, ::-1]
    blank = num_classes - mask_index - 1
    first_beams = min(num_classes, beam_width)
    all_paths, all_scores = [], []
    for b in range(batch):
        x = inputs[b]
        paths = np.full((2 * beam_width, steps), _PAD, dtype=np.int32)
        best = np.argsort(x[0], kind="stable")[-first_beams:]
        paths[:first_beams, 0] = np.where(best == blank, _PAD, best.astype(np.int32))
        scores = np.full((2 * beam_width,), -np.inf, dtype=x.dtype)
        scores[:first_beams] = x[0, best]
        blank_ended = paths[:, 0] == _PAD
        for t in range(1, int(sequence_lengths[b])):
            paths, scores, blank_ended = _extend(
                paths, scores, blank_ended, x[t], num_classes, blank
            )
            paths, scores, blank_ended = _prune(paths, scores, blank_ended, num_classes, beam_width)
        unique, inverse = _unique_rows(paths, 2 * num_classes * beam_width)
        scores = _log_sum_into(inverse, scores, len(unique))
        top = np.argsort(scores, kind="stable")[-top_paths:][::-1]
        all_paths.append(unique[top])
        all_scores.append(scores[top])
    paths = np.stack(all_paths)
    paths = np.where(paths == _PAD, _PAD, num_classes - paths - 1).astype(np.int32)
    return np.transpose(paths, (1, 0, 2)), np.stack(all_scores)
