"""What a Layer needs from JAX: input conversion and autocast; no module system."""

import jax
import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import Variable, convert_to_tensor, to_jax_dtype


def _is_float(dtype):
    return jnp.issubdtype(dtype, jnp.floating)


class JaxLayer:
    """The JAX half of every cornu Layer.

    JAX has no module system: variables are tracked by the generic Layer, and sub-layers
    registered by a key (list items, a graph model's layers) are kept in ``_modules``, which
    the saving walk reads as it reads torch's. NumPy arrays and Python numbers become jax
    arrays, and floating arrays of another float dtype are cast to the layer's compute dtype
    (Keras's autocast).
    """

    def _backend_init(self):
        self._jax_compute_dtype = None
        self._modules = {}

    def _register_variable(self, variable):
        pass

    def _register_sublayer(self, name, layer):
        self._modules[name] = layer

    def _unregister_sublayer(self, layer):
        for key, module in list(self._modules.items()):
            if module is layer:
                del self._modules[key]

    def _run_call(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def _set_backend_dtype(self, dtype):
        self._jax_compute_dtype = to_jax_dtype(dtype)

    def _convert_input(self, x):
        if isinstance(x, jax.Array):
            target = self._jax_compute_dtype
            if (
                target is not None
                and x.dtype != target
                and _is_float(x.dtype)
                and _is_float(target)
                and self.autocast
            ):
                return x.astype(target)
            return x
        if isinstance(x, np.ndarray):
            if x.dtype.kind not in "biufc" and x.dtype.name != "bfloat16":
                return x  # strings and objects, for the layers that take them
            return self._convert_input(convert_to_tensor(x))
        if isinstance(x, (np.generic, float, int)):
            return self._convert_input(convert_to_tensor(x))
        if isinstance(x, Variable):
            return x.value
        if isinstance(x, (list, tuple)):
            return type(x)(self._convert_input(v) for v in x)
        if isinstance(x, dict):
            return {k: self._convert_input(v) for k, v in x.items()}
        return x

    def _set_attribute(self, name, value):
        object.__setattr__(self, name, value)

    @staticmethod
    def _is_variable(value):
        return isinstance(value, Variable)
