"""Core layers: Input, Dense, Embedding, Masking, Identity, Lambda, and the wrappers of operations
and torch modules."""

from cornu.layers.core.dense import Dense
from cornu.layers.core.einsum_dense import EinsumDense
from cornu.layers.core.embedding import Embedding
from cornu.layers.core.identity import Identity
from cornu.layers.core.input_layer import Input, InputLayer
from cornu.layers.core.lambda_layer import Lambda
from cornu.layers.core.masking import Masking
from cornu.layers.core.operation import Operation
from cornu.layers.core.torch_module_wrapper import TorchModuleWrapper

__all__ = [
    "Dense",
    "EinsumDense",
    "Embedding",
    "Identity",
    "Input",
    "InputLayer",
    "Lambda",
    "Masking",
    "Operation",
    "TorchModuleWrapper",
]
