"""What a Layer needs from torch: being a ``torch.nn.Module`` whose weights are Parameters."""

import numpy as np
import torch

from cornu.backend.torch.core import Variable, convert_to_tensor, to_torch_dtype


class TorchLayer(torch.nn.Module):
    """The torch half of every cornu Layer.

    Each Variable the layer creates is registered as a ``torch.nn.Parameter`` (and each sub-layer
    as a sub-module), so ``parameters()``, ``state_dict()``, ``.to(device)`` and torch's tools see
    them. Calling the module runs the Layer's ``__call__``; ``forward`` runs ``call``.
    """

    def _backend_init(self):
        torch.nn.Module.__init__(self)

    @property
    def torch_params(self):
        """The parameters of every variable of the layer (its sub-layers' too), keyed by the
        variable's path, as Keras's torch layers give them; a read-only view: cornu registers
        each parameter on the module that owns it."""
        return {variable.path: variable.value for variable in self.weights}

    def _register_variable(self, variable):
        key = variable.name
        n = 1
        while key in self._parameters and self._parameters[key] is not variable.value:
            key = f"{variable.name}_{n}"
            n += 1
        self._parameters[key] = variable.value

    def _register_sublayer(self, name, layer):
        self._modules[name] = layer

    def _unregister_sublayer(self, layer):
        for key, module in list(self._modules.items()):
            if module is layer:
                del self._modules[key]

    def forward(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def _run_call(self, *args, **kwargs):
        # Torch's forward hooks run when someone registered one; otherwise call directly.
        if self._forward_hooks or self._forward_pre_hooks:
            return torch.nn.Module.__call__(self, *args, **kwargs)
        return self.call(*args, **kwargs)

    def _set_backend_dtype(self, dtype):
        self._torch_compute_dtype = to_torch_dtype(dtype)

    def _convert_input(self, x):
        """NumPy arrays and Python numbers become tensors; floating tensors of another float
        dtype are cast to the layer's compute dtype (Keras's autocast)."""
        if isinstance(x, torch.Tensor):
            if x.dtype is not self._torch_compute_dtype and x.is_floating_point() and self.autocast:
                return x.to(self._torch_compute_dtype)
            return x
        if isinstance(x, (np.ndarray, np.generic, float, int)):
            x = convert_to_tensor(x)
            return self._convert_input(x)
        if isinstance(x, Variable):
            return x.value
        if isinstance(x, (list, tuple)):
            return type(x)(self._convert_input(v) for v in x)
        if isinstance(x, dict):
            return {k: self._convert_input(v) for k, v in x.items()}
        return x

    def _set_attribute(self, name, value):
        # Bypass torch's attribute bookkeeping for cornu objects (they are registered above).
        object.__setattr__(self, name, value)

    @staticmethod
    def _is_variable(value):
        return isinstance(value, Variable)
