"""What a Layer needs from the NumPy backend: input conversion and the call; no module system."""

import numpy as np

from cornu.backend.numpy.core import Variable, convert_to_tensor, maskable, to_numpy_dtype
from cornu.core import tree


class NumpyLayer:
    """The NumPy half of every cornu Layer.

    NumPy has no module system: variables are tracked by the generic Layer, and sub-layers
    registered by a key (list items, a graph model's layers) are kept in ``_modules``, which
    the saving walk reads as it reads torch's. Inputs become arrays, and floating arrays of another
    float dtype are cast to the layer's compute dtype (Keras's autocast).
    """

    def _backend_init(self):
        self._numpy_compute_dtype = None
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
        # Outputs can carry masks (``_keras_mask``), as torch tensors can.
        outputs = self.call(*args, **kwargs)
        if type(outputs) is np.ndarray:
            return maskable(outputs)
        if isinstance(outputs, (list, tuple, dict)):
            return tree.map_structure(maskable, outputs)
        return outputs

    def _set_backend_dtype(self, dtype):
        self._numpy_compute_dtype = to_numpy_dtype(dtype)

    def _convert_input(self, x):
        if isinstance(x, np.ndarray):
            if x.dtype.kind not in "biufc" and x.dtype.name != "bfloat16":
                return x  # strings and objects, for the layers that take them
            x = maskable(x)
            target = self._numpy_compute_dtype
            if (
                target is not None
                and x.dtype != target
                and _is_float(x.dtype)
                and _is_float(target)
                and self.autocast
            ):
                return x.astype(target)
            return x
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


def _is_float(dtype):
    """NumPy's float dtypes and ml_dtypes' bfloat16 (whose kind is "V")."""
    return dtype.kind == "f" or dtype.name == "bfloat16"
