"""Neural-network operations (``relu``, ``softmax``, cross-entropies, ...) of the active backend."""

from cornu.backend import nn as _backend

binary_crossentropy = _backend.binary_crossentropy
categorical_crossentropy = _backend.categorical_crossentropy
ctc_loss = _backend.ctc_loss
dense = _backend.dense
celu = _backend.celu
elu = _backend.elu
gelu = _backend.gelu
glu = _backend.glu
hard_shrink = _backend.hard_shrink
hard_sigmoid = _backend.hard_sigmoid
hard_silu = _backend.hard_silu
hard_tanh = _backend.hard_tanh
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
soft_shrink = _backend.soft_shrink
softplus = _backend.softplus
softsign = _backend.softsign
sparse_categorical_crossentropy = _backend.sparse_categorical_crossentropy
sparse_plus = _backend.sparse_plus
sparse_sigmoid = _backend.sparse_sigmoid
sparsemax = _backend.sparsemax
squareplus = _backend.squareplus
swish = _backend.swish
tanh = _backend.tanh
tanh_shrink = _backend.tanh_shrink
threshold = _backend.threshold
