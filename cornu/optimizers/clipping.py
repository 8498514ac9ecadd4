"""Gradient clipping over lists of tensors, as Keras 3's ``clipnorm``, ``clipvalue`` and
``global_clipnorm`` do it. Each function returns new tensors; the gradients passed in are kept.
"""

from cornu import ops
from cornu.ops import foreach


def clip_by_norm(grads, clipnorm):
    """Scales each gradient so its L2 norm is at most ``clipnorm``.

    Computes ``g * clipnorm / max(norm(g), clipnorm)`` for every ``g``: gradients whose norm is
    already below ``clipnorm`` (and zero gradients) come back unchanged.
    """
    norms = foreach.norm(grads)
    foreach.clamp_min_(norms, clipnorm)
    clipped = foreach.mul(grads, clipnorm)
    foreach.div_(clipped, norms)
    return clipped


def global_norm(grads):
    """The L2 norm of all the gradients taken together, as a scalar tensor."""
    return ops.sqrt(ops.sum(ops.square(ops.stack(foreach.norm(grads)))))


def clip_by_global_norm(grads, clipnorm):
    """Scales all gradients by one factor so that their global norm is at most ``clipnorm``.

    As in Keras, a non-finite global norm turns every gradient into NaN rather than hiding it.
    """
    norm = global_norm(grads)
    # clipnorm / max(norm, clipnorm); adding (norm - norm) makes it NaN when norm is not finite.
    scale = clipnorm / ops.clip(norm, clipnorm, float("inf")) + (norm - norm)
    return foreach.mul(grads, scale)


def clip_by_value(grads, clipvalue):
    """Limits every gradient element to ``[-clipvalue, clipvalue]``."""
    clipped = foreach.clamp_min(grads, -clipvalue)
    foreach.clamp_max_(clipped, clipvalue)
    return clipped
