"""CTC beam-search decoding on TensorFlow tensors, as Keras decodes (the same paths and
scores).

The beams of each sequence are kept as rows of labels (-1 past their end); each step extends
every beam by every class, merges equal prefixes (adding their probabilities, kept apart by
whether they end in a blank) and keeps the ``beam_width`` most likely. The loop over time is a
``tf.while_loop`` and the sequences go through ``tf.map_fn``, so it runs inside a
``tf.function``.
"""

import numpy as np
import tensorflow as tf

_PAD = -1
# The base of the polynomial row hash that brings equal prefixes together (uint32 arithmetic
# wraps around, as intended). Rows are ordered by this hash, which only decides between
# beams of exactly equal scores.
_HASH_BASE = 2654435769


def _unique_rows(paths, size):
    """The distinct rows of ``paths``, padded with -1 rows to ``size``, and for each input
    row the index of its distinct row."""
    rows = tf.shape(paths)[0]
    length = tf.shape(paths)[1]
    powers = (
        tf.constant(np.array([pow(_HASH_BASE, i, 2**32) for i in range(paths.shape[1])], np.uint32))
        if paths.shape[1] is not None
        else _dynamic_powers(length)
    )
    hashes = tf.reduce_sum(tf.cast(paths + 1, tf.uint32) * powers, axis=1)
    order = tf.argsort(hashes, stable=True)
    ordered = tf.gather(paths, order)
    ordered_hashes = tf.gather(hashes, order)
    same = (ordered_hashes[1:] == ordered_hashes[:-1]) & tf.reduce_all(
        ordered[1:] == ordered[:-1], axis=1
    )
    first = tf.concat([tf.ones((1,), tf.bool), ~same], axis=0)
    ids = tf.cumsum(tf.cast(first, tf.int32)) - 1
    inverse = tf.scatter_nd(order[:, None], ids, tf.reshape(rows, (1,)))
    target = tf.where(first, ids, size)  # repeated rows land in a spare row, then dropped
    base = tf.fill(tf.stack([size + 1, length]), tf.constant(_PAD, paths.dtype))
    unique = tf.tensor_scatter_nd_update(base, target[:, None], ordered)[:size]
    return unique, inverse


def _dynamic_powers(length):
    def body(i, power, acc):
        return i + 1, power * tf.constant(_HASH_BASE, tf.uint32), acc.write(i, power)

    acc = tf.TensorArray(tf.uint32, size=length)
    _, _, acc = tf.while_loop(lambda i, *_: i < length, body, (0, tf.constant(1, tf.uint32), acc))
    return acc.stack()


def _log_sum_into(inverse, scores, size):
    """``log(sum(exp(scores)))`` of the scores that ``inverse`` sends to each of ``size`` rows."""
    peak = tf.reduce_max(scores)
    peak = tf.where(tf.math.is_finite(peak), peak, tf.zeros_like(peak))
    total = tf.math.unsorted_segment_sum(tf.exp(scores - peak), inverse, size)
    return tf.math.log(total) + peak


def _logaddexp(a, b):
    peak = tf.maximum(a, b)
    peak = tf.where(tf.math.is_finite(peak), peak, tf.zeros_like(peak))
    return tf.math.log(tf.exp(a - peak) + tf.exp(b - peak)) + peak


def _extend(paths, scores, blank_ended, step_scores, num_classes, blank):
    """Every beam followed by every class (the blank, or a repeat of the last label not
    separated by a blank, leaves the path as it is)."""
    rows = paths.shape[0]
    paths = tf.repeat(paths, num_classes, axis=0)
    scores = tf.repeat(scores, num_classes)
    previous_blank = tf.repeat(blank_ended, num_classes)
    end = tf.argmax(tf.cast(paths == _PAD, tf.int32), axis=1, output_type=tf.int32)
    every = tf.range(rows * num_classes)
    before = tf.gather(paths, tf.maximum(end - 1, 0)[:, None], axis=1, batch_dims=1)[:, 0]
    last = tf.where(end == 0, _PAD, before)
    classes = tf.range(num_classes, dtype=paths.dtype)
    classes = tf.where(classes == blank, tf.constant(_PAD, paths.dtype), classes)
    classes = tf.tile(classes, [rows])
    blank_ended = classes == _PAD
    classes = tf.where(~previous_blank & (last == classes), _PAD, classes)
    paths = tf.tensor_scatter_nd_update(paths, tf.stack([every, end], axis=1), classes)
    return paths, scores + tf.tile(step_scores, [rows]), blank_ended


def _prune(paths, scores, blank_ended, num_classes, beam_width):
    """Merges equal prefixes and keeps the ``beam_width`` most likely, each twice: ending in
    a label, then in a blank."""
    size = 2 * num_classes * beam_width
    unique, inverse = _unique_rows(paths, size)
    never = tf.fill(tf.shape(scores), tf.constant(-np.inf, scores.dtype))
    label_scores = _log_sum_into(inverse, tf.where(blank_ended, never, scores), size)
    blank_scores = _log_sum_into(inverse, tf.where(blank_ended, scores, never), size)
    total = _logaddexp(label_scores, blank_scores)
    best = tf.argsort(total, stable=True)[-beam_width:]
    paths = tf.tile(tf.gather(unique, best), [2, 1])
    scores = tf.concat([tf.gather(label_scores, best), tf.gather(blank_scores, best)], axis=0)
    blank_ended = tf.range(2 * beam_width) >= beam_width
    return paths, scores, blank_ended


def _decode_one(x, length, beam_width, top_paths, blank, num_classes):
    steps = tf.shape(x)[0]
    first_beams = min(num_classes, beam_width)
    best = tf.argsort(x[0], stable=True)[-first_beams:]
    rows = 2 * beam_width
    first_labels = tf.where(best == blank, _PAD, best)
    column = tf.concat([first_labels, tf.fill([rows - first_beams], _PAD)], axis=0)
    paths = tf.concat([column[:, None], tf.fill(tf.stack([rows, steps - 1]), _PAD)], axis=1)
    paths.set_shape((rows, x.shape[0]))
    filler = tf.fill([rows - first_beams], tf.constant(-np.inf, x.dtype))
    scores = tf.concat([tf.gather(x[0], best), filler], axis=0)
    blank_ended = paths[:, 0] == _PAD

    def body(t, paths, scores, blank_ended):
        state = (paths, scores, blank_ended)
        grown = _extend(paths, scores, blank_ended, x[t], num_classes, blank)
        new = _prune(*grown, num_classes, beam_width)
        kept = tuple(tf.where(t < length, n, o) for n, o in zip(new, state))
        return (t + 1,) + kept

    _, paths, scores, _ = tf.while_loop(
        lambda t, *_: t < steps, body, (tf.constant(1), paths, scores, blank_ended)
    )
    size = 2 * num_classes * beam_width
    unique, inverse = _unique_rows(paths, size)
    scores = _log_sum_into(inverse, scores, size)
    top = tf.reverse(tf.argsort(scores, stable=True)[-top_paths:], [0])
    return tf.gather(unique, top), tf.gather(scores, top)


def beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    """The ``top_paths`` most likely labellings of each sequence of ``inputs`` ``(batch,
    max_length, num_classes)``, by beam search over ``beam_width`` prefixes. Returns
    ``(paths, scores)``: ``(top_paths, batch, max_length)`` int32 (-1 after each path) and
    ``(batch, top_paths)`` log-probabilities."""
    num_classes = inputs.shape[2]
    if mask_index is None:
        mask_index = num_classes - 1
    # Classes are reversed so that the stable ascending sorts break ties as Keras does.
    inputs = tf.reverse(tf.nn.log_softmax(inputs, axis=-1), [2])
    blank = num_classes - mask_index - 1
    paths, scores = tf.map_fn(
        lambda args: _decode_one(*args, beam_width, top_paths, blank, num_classes),
        (inputs, sequence_lengths),
        fn_output_signature=(tf.int32, inputs.dtype),
    )
    paths = tf.where(paths == _PAD, _PAD, num_classes - paths - 1)
    return tf.transpose(paths, (1, 0, 2)), scores
