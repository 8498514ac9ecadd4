"""CTC beam-search decoding on jax arrays, as Keras decodes (the same paths and scores).

The beams of each sequence are kept as rows of labels (-1 past their end); each step extends
every beam by every class, merges equal prefixes (adding their probabilities, kept apart by
whether they end in a blank) and keeps the ``beam_width`` most likely. Every shape is static,
so it runs under ``jax.jit``; sequences are decoded in parallel with ``jax.vmap``.
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

_PAD = -1
# The base of the polynomial row hash that brings equal prefixes together (uint32 arithmetic
# wraps around, as intended). Rows are ordered by this hash, which only decides between
# beams of exactly equal scores.
_HASH_BASE = 2654435769


def _unique_rows(paths, size):
    """The distinct rows of ``paths``, padded with -1 rows to ``size``, and for each input
    row the index of its distinct row."""
    rows, length = paths.shape
    powers = jnp.asarray(np.array([pow(_HASH_BASE, i, 2**32) for i in range(length)], np.uint32))
    hashes = jnp.sum((paths + 1).astype(jnp.uint32) * powers, axis=1, dtype=jnp.uint32)
    order = jnp.argsort(hashes, stable=True)
    ordered = paths[order]
    ordered_hashes = hashes[order]
    same = (ordered_hashes[1:] == ordered_hashes[:-1]) & jnp.all(
        ordered[1:] == ordered[:-1], axis=1
    )
    first = jnp.concatenate([jnp.ones((1,), bool), ~same])
    ids = jnp.cumsum(first.astype(jnp.int32)) - 1
    inverse = jnp.zeros((rows,), jnp.int32).at[order].set(ids)
    unique = jnp.full((size, length), _PAD, dtype=paths.dtype)
    unique = unique.at[jnp.where(first, ids, size)].set(ordered, mode="drop")
    return unique, inverse


def _log_sum_into(inverse, scores, size):
    """``log(sum(exp(scores)))`` of the scores that ``inverse`` sends to each of ``size`` rows."""
    peak = jnp.max(scores)
    peak = jnp.where(jnp.isfinite(peak), peak, 0.0)
    total = jnp.zeros((size,), scores.dtype).at[inverse].add(jnp.exp(scores - peak))
    return jnp.log(total) + peak


def _extend(paths, scores, blank_ended, step_scores, num_classes, blank):
    """Every beam followed by every class (the blank, or a repeat of the last label not
    separated by a blank, leaves the path as it is)."""
    rows = paths.shape[0]
    paths = jnp.repeat(paths, num_classes, axis=0)
    scores = jnp.repeat(scores, num_classes)
    previous_blank = jnp.repeat(blank_ended, num_classes)
    end = jnp.argmax(paths == _PAD, axis=1)
    every = jnp.arange(paths.shape[0])
    last = jnp.where(end == 0, _PAD, paths[every, end - 1])
    classes = jnp.arange(num_classes, dtype=paths.dtype).at[blank].set(_PAD)
    classes = jnp.tile(classes, rows)
    blank_ended = classes == _PAD
    classes = jnp.where(~previous_blank & (last == classes), _PAD, classes)
    paths = paths.at[every, end].set(classes)
    return paths, scores + jnp.tile(step_scores, rows), blank_ended


def _prune(paths, scores, blank_ended, num_classes, beam_width):
    """Merges equal prefixes and keeps the ``beam_width`` most likely, each twice: ending in
    a label, then in a blank."""
    size = 2 * num_classes * beam_width
    unique, inverse = _unique_rows(paths, size)
    label_scores = _log_sum_into(inverse, jnp.where(blank_ended, -jnp.inf, scores), size)
    blank_scores = _log_sum_into(inverse, jnp.where(blank_ended, scores, -jnp.inf), size)
    total = jnp.logaddexp(label_scores, blank_scores)
    best = jnp.argsort(total, stable=True)[-beam_width:]
    paths = jnp.tile(unique[best], (2, 1))
    scores = jnp.concatenate([label_scores[best], blank_scores[best]])
    blank_ended = jnp.arange(2 * beam_width) >= beam_width
    return paths, scores, blank_ended


def _decode_one(x, length, beam_width, top_paths, blank):
    steps, num_classes = x.shape
    first_beams = min(num_classes, beam_width)
    best = jnp.argsort(x[0], stable=True)[-first_beams:]
    paths = jnp.full((2 * beam_width, steps), _PAD, dtype=jnp.int32)
    paths = paths.at[:first_beams, 0].set(jnp.where(best == blank, _PAD, best.astype(jnp.int32)))
    scores = jnp.full((2 * beam_width,), -jnp.inf, dtype=x.dtype).at[:first_beams].set(x[0, best])
    blank_ended = paths[:, 0] == _PAD

    def body(t, state):
        paths, scores, blank_ended = state
        grown = _extend(paths, scores, blank_ended, x[t], num_classes, blank)
        new = _prune(*grown, num_classes, beam_width)
        return tuple(jnp.where(t < length, n, o) for n, o in zip(new, state))

    paths, scores, blank_ended = lax.fori_loop(1, steps, body, (paths, scores, blank_ended))
    size = 2 * num_classes * beam_width
    unique, inverse = _unique_rows(paths, size)
    scores = _log_sum_into(inverse, scores, size)
    top = jnp.argsort(scores, stable=True)[-top_paths:][::-1]
    return unique[top], scores[top]


def beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    """The ``top_paths`` most likely labellings of each sequence of ``inputs`` ``(batch,
    max_length, num_classes)``, by beam search over ``beam_width`` prefixes. Returns
    ``(paths, scores)``: ``(top_paths, batch, max_length)`` int32 (-1 after each path) and
    ``(batch, top_paths)`` log-probabilities."""
    batch, steps, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    # Classes are reversed so that the stable ascending sorts break ties as Keras does.
    inputs = jax.nn.log_softmax(inputs, axis=-1)[:, :, ::-1]
    blank = num_classes - mask_index - 1
    paths, scores = jax.vmap(
        lambda x, n: _decode_one(x, n, beam_width, top_paths, blank),
    )(inputs, sequence_lengths)
    paths = jnp.where(paths == _PAD, _PAD, num_classes - paths - 1).astype(jnp.int32)
    return jnp.transpose(paths, (1, 0, 2)), scores
