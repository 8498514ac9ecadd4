"""CTC on TensorFlow tensors: the loss (the forward algorithm in log space, one ``tf.scan``
over time, differentiable) and decoding (greedy here, beam search in ``ctc_beam.py``)."""

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor
from cornu.backend.tensorflow.ctc_beam import beam_search

_PAD = -1
# Log-probability of an unreachable state: finite, so that gradients through the recursion
# stay exact (0 for unreachable paths) where -inf would give NaN.
_IMPOSSIBLE = -1e30


def _float32_or_64(x):
    return x if x.dtype in (tf.float32, tf.float64) else tf.cast(x, tf.float32)


def _int_vector(x):
    return tf.reshape(tf.cast(convert_to_tensor(x), tf.int32), (-1,))


def _logaddexp(a, b):
    peak = tf.maximum(a, b)
    return peak + tf.math.log1p(tf.exp(-tf.abs(a - b)))


def _shift(alpha, by, fill):
    """``alpha`` moved ``by`` states to the right along its last axis, ``fill`` coming in."""
    return tf.pad(alpha[:, :-by], [[0, 0], [by, 0]], constant_values=fill)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss of every sequence, as Keras computes it.

    Args:
        target: integer labels, shape ``(batch, max_label_length)``.
        output: logits (not softmax-normalized), shape ``(batch, max_time, num_classes)``.
        target_length: the true length of each label sequence, shape ``(batch,)``.
        output_length: the true length of each logit sequence, shape ``(batch,)``.
        mask_index: the class index of the blank.

    Returns:
        The negative log-likelihoods, shape ``(batch,)`` (``inf`` where no alignment exists).
    """
    target = tf.cast(convert_to_tensor(target), tf.int32)
    output = _float32_or_64(convert_to_tensor(output))
    target_length = _int_vector(target_length)
    output_length = _int_vector(output_length)
    labels = target.shape[1]
    log_probs = tf.nn.log_softmax(output, axis=-1)
    # The extended labels: blank, l1, blank, l2, ..., blank (labels past the length are
    # blanks, never reached by the final states).
    positions = tf.range(labels)[None, :]
    target = tf.where(positions < target_length[:, None], target, mask_index)
    size = 2 * labels + 1
    blanks = tf.fill(tf.shape(target), mask_index)
    interleaved = tf.reshape(tf.stack([blanks, target], axis=-1), (-1, 2 * labels))
    extended = tf.pad(interleaved, [[0, 0], [0, 1]], constant_values=mask_index)
    emissions = tf.gather(log_probs, extended, axis=2, batch_dims=1)  # (B, T, S)
    previous = tf.pad(extended[:, :-2], [[0, 0], [2, 0]], constant_values=mask_index)
    skip = (extended != mask_index) & (extended != previous)
    impossible = tf.constant(_IMPOSSIBLE, dtype=output.dtype)
    start = tf.range(size)[None, :] < 2
    alpha = tf.where(start, emissions[:, 0], impossible)

    def step(alpha, inputs):
        emission, t = inputs
        shifted1 = _shift(alpha, 1, _IMPOSSIBLE)
        shifted2 = tf.where(skip, _shift(alpha, 2, _IMPOSSIBLE), impossible)
        new = _logaddexp(_logaddexp(alpha, shifted1), shifted2) + emission
        new = tf.maximum(new, impossible)
        return tf.where((t < output_length)[:, None], new, alpha)

    steps = tf.shape(output)[1]
    rest = tf.transpose(emissions[:, 1:], (1, 0, 2))
    alpha = tf.foldl(step, (rest, tf.range(1, steps)), initializer=alpha)
    last = 2 * target_length
    final_blank = tf.gather(alpha, last[:, None], axis=1, batch_dims=1)[:, 0]
    final_label = tf.gather(alpha, tf.maximum(last - 1, 0)[:, None], axis=1, batch_dims=1)[:, 0]
    final_label = tf.where(target_length > 0, final_label, impossible)
    total = _logaddexp(final_blank, final_label)
    infinity = tf.constant(float("inf"), output.dtype)
    return tf.where(total > 0.5 * _IMPOSSIBLE, -total, infinity)


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
    prefixes (inputs are log-softmaxed first) and returns the ``top_paths`` best with their
    log-probabilities. Returns ``(paths, scores)``: ``(top_paths, batch, max_length)`` int32
    (-1 after each sequence) and ``(batch, top_paths)``.
    """
    inputs = convert_to_tensor(inputs)
    if inputs.shape.rank != 3:
        raise ValueError(
            "`ctc_decode` expects `inputs` of shape (batch, max_length, num_classes). "
            f"Received: inputs.shape={tuple(inputs.shape)}"
        )
    inputs = _float32_or_64(inputs)
    lengths = _int_vector(sequence_lengths)
    if strategy == "greedy":
        return _greedy(inputs, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    raise ValueError(
        "`ctc_decode` supports the strategies 'greedy' and 'beam_search'. "
        f"Received: strategy={strategy!r}"
    )


def _greedy(inputs, lengths, merge_repeated, mask_index):
    num_classes = inputs.shape[2]
    steps = tf.shape(inputs)[1]
    if mask_index is None:
        mask_index = num_classes - 1
    scores = tf.reduce_max(inputs, axis=-1)
    indices = tf.argmax(inputs, axis=-1, output_type=tf.int32)
    time = tf.range(steps)[None, :]
    past_end = time >= lengths[:, None]
    indices = tf.where(past_end, mask_index, indices)
    scores = tf.where(past_end, tf.zeros_like(scores), scores)
    if merge_repeated:
        repeated = tf.pad(indices[:, 1:] == indices[:, :-1], [[0, 0], [1, 0]])
        indices = tf.where(repeated, mask_index, indices)
    dropped = indices == mask_index
    indices = tf.where(dropped, _PAD, indices)
    order = tf.where(dropped, steps, time)
    indices = tf.gather(indices, tf.argsort(order, axis=-1, stable=True), axis=1, batch_dims=1)
    return indices[None], -tf.reduce_sum(scores, axis=1, keepdims=True)
