"""How a ``custom_gradient`` function's ``grad_fn`` is called, the same on every backend."""

import inspect


def call_grad_fn(grad_fn, args, upstream):
    """Calls ``grad_fn`` as Keras documents for each backend and returns its input gradients
    as a tuple.

    ``grad_fn`` gets ``args`` positionally and ``upstream=`` as a keyword when ``upstream`` is
    a keyword-only or later parameter (Keras's torch form), otherwise the upstream gradient
    alone (the JAX/TensorFlow form). One that takes a ``variables`` keyword gets
    ``variables=[]`` and returns ``(input_grads, variable_grads)``.
    """
    try:
        params = inspect.signature(grad_fn).parameters
    except (TypeError, ValueError):
        params = {}
    kwargs = {"variables": []} if "variables" in params else {}
    names = list(params)
    keras_torch_form = "upstream" in params and (
        params["upstream"].kind == inspect.Parameter.KEYWORD_ONLY or names.index("upstream") > 0
    )
    if keras_torch_form:
        grads = grad_fn(*args, upstream=upstream, **kwargs)
    else:
        grads = grad_fn(upstream, **kwargs)
    if kwargs:
        grads = grads[0]  # (input_grads, variable_grads)
    return grads if isinstance(grads, (list, tuple)) else (grads,)
