"""Core layers: Input, Dense, Embedding, Masking, Identity, Lambda, and the wrappers of operations,
torch modules, JAX functions and SavedModels."""

from cornu.layers.core.dense import Dense
from cornu.layers.core.einsum_dense import EinsumDense
from cornu.layers.core.embedding import Embedding
from cornu.layers.core.identity import Identity
from cornu.layers.core.input_layer import Input, InputLayer
from cornu.layers.core.jax_layer import FlaxLayer, JaxLayer
from cornu.layers.core.lambda_layer import Lambda
from cornu.layers.core.masking import Masking
from cornu.layers.core.operation import Operation
from cornu.layers.core.reversible_embedding import ReversibleEmbedding
from cornu.layers.core.tfsm_layer import TFSMLayer
from cornu.layers.core.torch_module_wrapper import TorchModuleWrapper

__all__ = [
    "Dense",
    "EinsumDense",
    "Embedding",
    "FlaxLayer",
    "Identity",
    "Input",
    "InputLayer",
    "JaxLayer",
    "Lambda",
    "Masking",
    "Operation",
    "ReversibleEmbedding",
    "TFSMLayer",
    "TorchModuleWrapper",
]
