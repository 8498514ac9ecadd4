"""What a Layer needs from TensorFlow: input conversion and autocast; no module system."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import Variable, convert_to_tensor, to_tf_dtype


class TensorflowLayer:
    """The TensorFlow half of every cornu Layer.

    Variables are tracked by the generic Layer (cornu does not use ``tf.Module``), and
    sub-layers registered by a key (list items, a graph model's layers) are kept in
    ``_modules``, which the saving walk reads. NumPy arrays and Python numbers become tensors,
    and floating tensors of another float dtype are cast to the layer's compute dtype (Keras's
    autocast).
    """

    def _backend_init(self):
        self._tf_compute_dtype = None
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
        self._tf_compute_dtype = to_tf_dtype(dtype)

    def _convert_input(self, x):
        if isinstance(x, tf.Tensor):
            target = self._tf_compute_dtype
            if (
                target is not None
                and x.dtype != target
                and x.dtype.is_floating
                and target.is_floating
                and self.autocast
            ):
                return tf.cast(x, target)
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
