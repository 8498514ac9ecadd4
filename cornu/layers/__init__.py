"""Layers: ``from cornu.layers import Dense, Conv2D, LSTM, ...``.

Each subpackage exports its layers; this module gathers them under one name space.
"""

from cornu.layers.activations import *  # noqa: F401,F403
from cornu.layers.attention import *  # noqa: F401,F403
from cornu.layers.convolutional import *  # noqa: F401,F403
from cornu.layers.core import *  # noqa: F401,F403
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer
from cornu.layers.layer_serialization import deserialize, serialize
from cornu.layers.merging import *  # noqa: F401,F403
from cornu.layers.normalization import *  # noqa: F401,F403
from cornu.layers.pooling import *  # noqa: F401,F403
from cornu.layers.preprocessing import *  # noqa: F401,F403
from cornu.layers.regularization import *  # noqa: F401,F403
from cornu.layers.reshaping import *  # noqa: F401,F403
from cornu.layers.rnn import *  # noqa: F401,F403

__all__ = ["InputSpec", "Layer", "deserialize", "serialize"]
for _package in (
    activations,  # noqa: F405
    attention,  # noqa: F405
    convolutional,  # noqa: F405
    core,  # noqa: F405
    merging,  # noqa: F405
    normalization,  # noqa: F405
    pooling,  # noqa: F405
    preprocessing,  # noqa: F405
    regularization,  # noqa: F405
    reshaping,  # noqa: F405
    rnn,  # noqa: F405
):
    __all__ += _package.__all__
