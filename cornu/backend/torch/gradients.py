"""value_and_gradients: the gradient of a scalar function of tensors, by torch's autograd."""

import torch

from cornu.backend.torch.core import convert_to_tensor


def value_and_gradients(fn, inputs):
    """Evaluates ``fn(*inputs)`` (a scalar) and its gradient with respect to each input.

    Args:
        fn: a function of ``len(inputs)`` tensors returning a scalar tensor.
        inputs: a list of floating-point arrays or tensors.

    Returns:
        ``(value, gradients)``: the scalar (detached) and a list of tensors shaped like
        ``inputs`` (zeros for an input that ``fn`` does not use). The inputs are copied, so
        the caller's tensors are left as they are; the variables' gradients are not touched.
    """
    tensors = []
    for x in inputs:
        t = convert_to_tensor(x)
        if not (t.is_floating_point() or t.is_complex()):
            raise TypeError(
                "value_and_gradients: only floating-point inputs can be differentiated. "
                f"Received an input of dtype {t.dtype}."
            )
        tensors.append(t.detach().clone().requires_grad_(True))
    with torch.enable_grad():
        value = fn(*tensors)
        if value.ndim:
            value = value.sum()
        grads = torch.autograd.grad(value, tensors, allow_unused=True)
    grads = [torch.zeros_like(t) if g is None else g for g, t in zip(grads, tensors)]
    return value.detach(), grads
