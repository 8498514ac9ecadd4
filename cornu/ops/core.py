"""Core operations: conversion, casting, shapes, gradients' control, bound to the active backend."""

from cornu.backend import (  # noqa: F401
    cast,
    cond,
    convert_to_numpy,
    convert_to_tensor,
    is_tensor,
    shape,
    stop_gradient,
)
from cornu.backend import core as _core

remat = _core.remat  # keras.remat: gradient checkpointing of a function
scatter_update = _core.scatter_update


def dtype(x):
    """The Keras dtype name of a tensor, variable or array."""
    from cornu.backend import standardize_dtype

    return standardize_dtype(x.dtype)


saturate_cast = _core.saturate_cast
scatter = _core.scatter
slice = _core.slice
slice_update = _core.slice_update
unstack = _core.unstack
