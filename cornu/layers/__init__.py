"""Layers: ``from cornu.layers import Dense, Dropout, Input, ...``."""

from cornu.layers.activations.activation import Activation
from cornu.layers.core.dense import Dense
from cornu.layers.core.identity import Identity
from cornu.layers.core.input_layer import Input, InputLayer
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer
from cornu.layers.regularization.dropout import Dropout
from cornu.layers.reshaping.flatten import Flatten
from cornu.layers.reshaping.reshape import Reshape

__all__ = [
    "Activation",
    "Dense",
    "Dropout",
    "Flatten",
    "Identity",
    "Input",
    "InputLayer",
    "InputSpec",
    "Layer",
    "Reshape",
]
