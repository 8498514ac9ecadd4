"""value_and_gradients: the gradient of a scalar function of tensors, by ``tf.GradientTape``."""

import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor


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
        if not (t.dtype.is_floating or t.dtype.is_complex):
            raise TypeError(
                "value_and_gradients: only floating-point inputs can be differentiated. "
                f"Received an input of dtype {t.dtype.name}."
            )
        tensors.append(t)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        for t in tensors:
            tape.watch(t)
        value = convert_to_tensor(fn(*tensors))
        if value.shape.rank:
            value = tf.reduce_sum(value)
    grads = tape.gradient(value, tensors, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return value, list(grads)
