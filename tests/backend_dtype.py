"""The dtype the active backend gives for a requested one, as Keras's backend of that name does.

Keras's JAX backend runs with jax's x64 mode off (its default): a request for a 64-bit dtype
gets the 32-bit one. Tests that ask for ``"float64"`` or ``"int64"`` compare with
``backend_dtype("float64")`` so that they hold on every backend.
"""

from cornu.core.config import backend

_NARROWED = {
    "float64": "float32",
    "int64": "int32",
    "uint64": "uint32",
    "complex128": "complex64",
}


def _x64_enabled():
    import jax

    return bool(jax.config.jax_enable_x64)


def backend_dtype(dtype):
    """``dtype`` as the active backend stores it: 64-bit narrowed on jax without x64."""
    if backend() == "jax" and not _x64_enabled():
        return _NARROWED.get(dtype, dtype)
    return dtype
