"""Keras masks travel on tensors: ``set_keras_mask(x, mask)`` attaches one, ``get_keras_mask(x)``
reads it back.

A tensor that takes attributes (torch tensors, concrete jax arrays, NumPy-backend arrays,
KerasTensors) carries its mask as ``x._keras_mask``, as in Keras. A tensor that refuses them
(a jax tracer inside ``jax.jit``/``jax.grad``) gets it in a side table, keyed by the tensor's
identity and dropped with the tensor (a weak reference), so masks survive compiled steps.
"""

import weakref

_SIDE_TABLE = {}


def _forget(key, ref):
    entry = _SIDE_TABLE.get(key)
    if entry is not None and entry[0] is ref:
        del _SIDE_TABLE[key]


def set_keras_mask(x, mask):
    """Attaches ``mask`` to tensor ``x`` (``None`` removes it), so that later layers, losses
    and metrics skip the masked entries."""
    try:
        x._keras_mask = mask
        return
    except AttributeError:
        pass
    key = id(x)
    if mask is None:
        _SIDE_TABLE.pop(key, None)
        return
    try:
        ref = weakref.ref(x, lambda r, key=key: _forget(key, r))
    except TypeError as error:
        raise TypeError(
            f"Cannot attach a Keras mask to a {type(x).__name__}: it takes neither attributes "
            "nor weak references. Pass the mask explicitly (`mask=`) instead."
        ) from error
    _SIDE_TABLE[key] = (ref, mask)


def get_keras_mask(x):
    """The mask attached to tensor ``x`` (None when there is none)."""
    mask = getattr(x, "_keras_mask", None)
    if mask is not None or not _SIDE_TABLE:
        return mask
    entry = _SIDE_TABLE.get(id(x))
    if entry is not None and entry[0]() is x:
        return entry[1]
    return None
