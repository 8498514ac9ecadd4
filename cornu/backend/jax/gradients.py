"""value_and_gradients: the gradient of a scalar function of tensors, by ``jax.value_and_grad``."""

import jax
import jax.numpy as jnp

from cornu.backend.jax.core import convert_to_tensor


def value_and_gradients(fn, inputs):
    """Evaluates ``fn(*inputs)`` (a scalar) and its gradient with respect to each input.

    Args:
        fn: a function of ``len(inputs)`` tensors returning a scalar tensor (a tensor of
            more elements is summed first).
        inputs: a list of floating-point arrays or tensors.

    Returns:
        ``(value, gradients)``: the scalar and a list of tensors shaped like ``inputs``
        (zeros for an input that ``fn`` does not use). Nothing is changed in the inputs or
        in any variable.
    """
    tensors = []
    for x in inputs:
        t = convert_to_tensor(x)
        if not (
            jnp.issubdtype(t.dtype, jnp.floating) or jnp.issubdtype(t.dtype, jnp.complexfloating)
        ):
            raise TypeError(
                "value_and_gradients: only floating-point inputs can be differentiated. "
                f"Received an input of dtype {t.dtype}."
            )
        tensors.append(t)

    def scalar(*args):
        value = convert_to_tensor(fn(*args))
        return jnp.sum(value) if value.ndim else value

    value, grads = jax.value_and_grad(scalar, argnums=tuple(range(len(tensors))))(*tensors)
    return value, list(grads)
