"""AdditiveAttention: Bahdanau-style attention over a query and a value sequence."""

from cornu import ops
from cornu.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    As ``Attention``, but the score of query step ``i`` and key step ``j`` is
    ``sum(scale * tanh(query[i] + key[j]))`` over the feature axis, with a learned ``scale``
    vector of shape ``(dim,)`` (or 1 when ``use_scale=False``).

    Args:
        use_scale: whether to learn the ``scale`` vector (glorot-uniform initialized).
        dropout: the fraction of the attention weights to drop during training.

    Call arguments, input and output shapes: as ``Attention``.
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            dim = input_shape[0][-1]
            self.scale = self.add_weight(name="scale", shape=(dim,), initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        pairs = ops.tanh(ops.expand_dims(query, -2) + ops.expand_dims(key, -3))
        if self.use_scale:
            pairs = self.scale * pairs
        return ops.sum(pairs, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
