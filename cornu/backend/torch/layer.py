"""What a Layer needs from torch: being a ``torch.nn.Module`` whose weights are Parameters."""

import torch

from cornu.backend.torch.core import Variable


class TorchLayer(torch.nn.Module):
    """The torch half of every cornu Layer.

    Each Variable the layer creates is registered as a ``torch.nn.Parameter`` (and each sub-layer
    as a sub-module), so ``parameters()``, ``state_dict()``, ``.to(device)`` and torch's tools see
    them. Calling the module runs the Layer's ``__call__``; ``forward`` runs ``call``.
    """

    def _torch_init(self):
        torch.nn.Module.__init__(self)

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

    def _set_attribute(self, name, value):
        # Bypass torch's attribute bookkeeping for cornu objects (they are registered above).
        object.__setattr__(self, name, value)

    @staticmethod
    def _is_variable(value):
        return isinstance(value, Variable)
