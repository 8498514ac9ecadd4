"""CTC on jax arrays: the loss (the forward algorithm in log space, one ``lax.scan`` over time,
differentiable) and decoding (greedy here, beam search in ``ctc_beam.py``)."""

import jax
import jax.numpy as jnp
from jax import lax

from cornu.backend.jax.core import convert_to_tensor
from cornu.backend.jax.ctc_beam import beam_search

_PAD = -1
# Log-probability of an unreachable state: finite, so that gradients through the recursion
# stay exact (0 for unreachable paths) where -inf would give NaN.
_IMPOSSIBLE = -1e30


def _float32_or_64(x):
    return x if x.dtype in (jnp.float32, jnp.float64) else x.astype(jnp.float32)


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
    target = convert_to_tensor(target).astype(jnp.int32)
    output = _float32_or_64(convert_to_tensor(output))
    target_length = convert_to_tensor(target_length).astype(jnp.int32).reshape(-1)
    output_length = convert_to_tensor(output_length).astype(jnp.int32).reshape(-1)
    batch, labels = target.shape
    steps = output.shape[1]
    log_probs = jax.nn.log_softmax(output, axis=-1)
    # The extended labels: blank, l1, blank, l2, ..., blank (labels past the length are
    # blanks, never reached by the final states).
    positions = jnp.arange(labels)[None, :]
    target = jnp.where(positions < target_length[:, None], target, mask_index)
    size = 2 * labels + 1
    extended = jnp.full((batch, size), mask_index, dtype=jnp.int32)
    extended = extended.at[:, 1::2].set(target)
    emissions = jnp.take_along_axis(log_probs, extended[:, None, :], axis=2)  # (B, T, S)
    previous = jnp.pad(extended[:, :-2], ((0, 0), (2, 0)), constant_values=mask_index)
    skip = (extended != mask_index) & (extended != previous)
    impossible = jnp.asarray(_IMPOSSIBLE, dtype=output.dtype)
    start = jnp.arange(size)[None, :] < 2
    alpha = jnp.where(start, emissions[:, 0], impossible)

    def step(alpha, inputs):
        emission, t = inputs
        shifted1 = jnp.pad(alpha[:, :-1], ((0, 0), (1, 0)), constant_values=_IMPOSSIBLE)
        shifted2 = jnp.pad(alpha[:, :-2], ((0, 0), (2, 0)), constant_values=_IMPOSSIBLE)
        shifted2 = jnp.where(skip, shifted2, impossible)
        new = jnp.logaddexp(jnp.logaddexp(alpha, shifted1), shifted2) + emission
        new = jnp.maximum(new, impossible)
        return jnp.where((t < output_length)[:, None], new, alpha), None

    if steps > 1:
        inputs = (jnp.swapaxes(emissions[:, 1:], 0, 1), jnp.arange(1, steps))
        alpha, _ = lax.scan(step, alpha, inputs)
    last = 2 * target_length
    final_blank = jnp.take_along_axis(alpha, last[:, None], axis=1)[:, 0]
    final_label = jnp.take_along_axis(alpha, jnp.maximum(last - 1, 0)[:, None], axis=1)[:, 0]
    final_label = jnp.where(target_length > 0, final_label, impossible)
    total = jnp.logaddexp(final_blank, final_label)
    return jnp.where(total > 0.5 * _IMPOSSIBLE, -total, jnp.inf).astype(output.dtype)


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
    if inputs.ndim != 3:
        raise ValueError(
            "`ctc_decode` expects `inputs` of shape (batch, max_length, num_classes). "
            f"Received: inputs.shape={tuple(inputs.shape)}"
        )
    inputs = _float32_or_64(inputs)
    lengths = convert_to_tensor(sequence_lengths).astype(jnp.int32).reshape(-1)
    if strategy == "greedy":
        return _greedy(inputs, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    raise ValueError(
        "`ctc_decode` supports the strategies 'greedy' and 'beam_search'. "
        f"Received: strategy={strategy!r}"
    )


def _greedy(inputs, lengths, merge_repeated, mask_index):
    batch, steps, num_classes = inputs.shape
    if mask_index is None:
        mask_index = num_classes - 1
    scores = jnp.max(inputs, axis=-1)
    indices = jnp.argmax(inputs, axis=-1).astype(jnp.int32)
    past_end = jnp.arange(steps)[None, :] >= lengths[:, None]
    indices = jnp.where(past_end, mask_index, indices)
    scores = jnp.where(past_end, 0.0, scores).astype(inputs.dtype)
    if merge_repeated:
        repeated = jnp.pad(indices[:, 1:] == indices[:, :-1], ((0, 0), (1, 0)))
        indices = jnp.where(repeated, mask_index, indices)
    dropped = indices == mask_index
    indices = jnp.where(dropped, _PAD, indices).astype(jnp.int32)
    order = jnp.where(dropped, steps, jnp.arange(steps)[None, :])
    indices = jnp.take_along_axis(indices, jnp.argsort(order, axis=-1, stable=True), axis=-1)
    return indices[None], -jnp.sum(scores, axis=1, keepdims=True)
