"""Neural-network operations (``relu``, ``softmax``, cross-entropies, ...) of the active backend."""

from cornu.backend import nn as _backend

binary_crossentropy = _backend.binary_crossentropy
categorical_crossentropy = _backend.categorical_crossentropy
elu = _backend.elu
gelu = _backend.gelu
hard_sigmoid = _backend.hard_sigmoid
hard_silu = _backend.hard_silu
leaky_relu = _backend.leaky_relu
log_sigmoid = _backend.log_sigmoid
log_softmax = _backend.log_softmax
mish = _backend.mish
one_hot = _backend.one_hot
relu = _backend.relu
relu6 = _backend.relu6
selu = _backend.selu
sigmoid = _backend.sigmoid
silu = _backend.silu
softmax = _backend.softmax
softplus = _backend.softplus
softsign = _backend.softsign
sparse_categorical_crossentropy = _backend.sparse_categorical_crossentropy
swish = _backend.swish
tanh = _backend.tanh
