"""Core layers: Input, Dense, Identity, Lambda, and the wrappers of operations and torch modules."""

from cornu.layers.core.dense import Dense
from cornu.layers.core.identity import Identity
from cornu.layers.core.input_layer import Input, InputLayer
from cornu.layers.core.lambda_layer import Lambda
from cornu.layers.core.operation import Operation
from cornu.layers.core.torch_module_wrapper import TorchModuleWrapper

__all__ = [
    "Dense",
    "Identity",
    "Input",
    "InputLayer",
    "Lambda",
    "Operation",
    "TorchModuleWrapper",
]
