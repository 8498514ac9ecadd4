"""JaxLayer and FlaxLayer: layers that wrap JAX functions and Flax modules.

They run JAX code, so they exist only where the backend runs JAX (or traces it to TensorFlow):
on the torch backend constructing one raises a ValueError that names the backends it needs.
"""

from cornu import backend
from cornu.layers.layer import Layer

_BACKENDS = ("jax", "tensorflow")


def _require_jax_backend(cls_name):
    if backend.backend() not in _BACKENDS:
        raise ValueError(
            f"{cls_name} is only supported with the JAX or Tensorflow backend: it runs JAX "
            "functions, which cannot run on this backend. Set CORNU_BACKEND=jax (or "
            f"CORNU_BACKEND=tensorflow) before importing cornu. Current backend: "
            f"{backend.backend()}"
        )


class JaxLayer(Layer):
    """Wraps a stateless JAX function ``call_fn(params, state, rng, inputs, training)`` (each
    argument but ``inputs`` optional) as a layer, with ``init_fn`` creating its parameters.

    Args:
        call_fn: the function computing the outputs.
        init_fn: the function returning ``params`` (or ``(params, state)``) from
            ``(rng, inputs, training)``; needed when ``params`` is not given.
        params: the trainable parameters, a pytree of arrays.
        state: the non-trainable state, a pytree of arrays.
        seed: the seed of the ``rng`` passed to the functions.
        native_serialization_platforms: the platforms a TensorFlow export targets.

    Only the JAX and TensorFlow backends run it; on torch the constructor raises ValueError.
    """

    def __init__(
        self,
        call_fn,
        init_fn=None,
        params=None,
        state=None,
        seed=None,
        native_serialization_platforms=None,
        **kwargs,
    ):
        _require_jax_backend(type(self).__name__)
        super().__init__(**kwargs)
        self.call_fn = call_fn
        self.init_fn = init_fn
        self.params = params
        self.state = state
        self.seed = seed
        self.native_serialization_platforms = native_serialization_platforms


class FlaxLayer(JaxLayer):
    """Wraps a Flax ``module`` (``flax.linen.Module``) as a layer, calling ``method`` (the
    module's ``__call__`` when None) with ``variables`` as its initial weights.

    Args:
        module: the Flax module.
        method: the method of the module to call, or None for ``__call__``.
        variables: the module's initial variables (from ``module.init``), or None to
            initialize them at build time.

    Only the JAX and TensorFlow backends run it; on torch the constructor raises ValueError.
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        _require_jax_backend(type(self).__name__)
        super().__init__(call_fn=module, params=variables, **kwargs)
        self.module = module
        self.method = method
