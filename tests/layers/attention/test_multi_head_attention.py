"""MultiHeadAttention against Keras: self- and cross-attention, masks (given, carried by the
inputs, causal), scores, attention axes, dropout, weights, Functional models, files, errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops

RNG = np.random.RandomState(0)
QUERY = RNG.standard_normal((2, 4, 6)).astype("float32")
VALUE = RNG.standard_normal((2, 5, 6)).astype("float32")
KEY = RNG.standard_normal((2, 5, 3)).astype("float32")
IDS = np.array([[3, 5, 2, 0, 0], [1, 2, 3, 4, 0]])


def _pair(keras, build_args, **kwargs):
    """Keras's layer and cornu's, built on ``build_args``, with Keras's weights in both."""
    ref = keras.layers.MultiHeadAttention(**kwargs)
    mine = layers.MultiHeadAttention(**kwargs)
    # Keras's layer is built from the shapes: Keras-JAX cannot call it when value_dim differs
    # from key_dim (its jax.nn.dot_product_attention path reshapes the values to key_dim).
    ref.build(*[tuple(a.shape) for a in build_args])
    mine(*build_args)
    weights = ref.get_weights()
    weights = [w + 0.1 * RNG.standard_normal(w.shape).astype("float32") for w in weights]
    ref.set_weights(weights)
    mine.set_weights(weights)
    return ref, mine


def _assert_same(keras, expected, got, atol=1e-5):
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    assert len(expected) == len(got)
    for e, g in zip(expected, got):
        np.testing.assert_allclose(
            ops.convert_to_numpy(g), keras.ops.convert_to_numpy(e), atol=atol
        )


ATTENTION_MASK = RNG.uniform(size=(2, 4, 5)) > 0.3
ATTENTION_MASK[0, 1] = False  # a query step that may attend to nothing


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_heads": 2, "key_dim": 3},
        {"num_heads": 3, "key_dim": 2, "value_dim": 4, "output_shape": (7,)},
        {"num_heads": 2, "key_dim": 3, "use_bias": False, "output_shape": (2, 3)},
        {"num_heads": 2, "key_dim": 3, "dropout": 0.5},  # inference: the explicit path
        {"num_heads": 2, "key_dim": 3, "use_gate": True},
        {"num_heads": 2, "key_dim": 3, "sliding_window": 2},
    ],
)
def test_cross_attention_matches_keras(keras, kwargs):
    if (
        cornu.backend.backend() == "jax"
        and kwargs.get("value_dim", kwargs["key_dim"]) != kwargs["key_dim"]
    ):
        pytest.skip(
            "Keras-JAX's MultiHeadAttention fails when value_dim differs from key_dim (its "
            "jax.nn.dot_product_attention path reshapes the values to key_dim)"
        )
    ref, mine = _pair(keras, (QUERY, VALUE, KEY), **kwargs)
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    for call in (
        {},
        {"attention_mask": ATTENTION_MASK},
        {"return_attention_scores": True},
        {"attention_mask": ATTENTION_MASK, "return_attention_scores": True},
        {"use_causal_mask": True},
        {"use_causal_mask": True, "attention_mask": ATTENTION_MASK},
        {"use_causal_mask": True, "return_attention_scores": True},
    ):
        _assert_same(keras, ref(QUERY, VALUE, KEY, **call), mine(QUERY, VALUE, KEY, **call))


def test_self_attention_and_value_as_key(keras):
    ref, mine = _pair(keras, (VALUE, VALUE), num_heads=2, key_dim=4)
    for call in ({}, {"use_causal_mask": True}, {"return_attention_scores": True}):
        _assert_same(keras, ref(VALUE, VALUE, **call), mine(VALUE, VALUE, **call))
        _assert_same(keras, ref(VALUE, value=VALUE, **call), mine(VALUE, value=VALUE, **call))


def test_weights_shapes_and_order_as_keras(keras):
    ref, mine = _pair(keras, (QUERY, VALUE, KEY), num_heads=3, key_dim=2, value_dim=4)
    shapes = [(6, 3, 2), (3, 2), (3, 3, 2), (3, 2), (6, 3, 4), (3, 4), (3, 4, 6), (6,)]
    assert [tuple(w.shape) for w in mine.weights] == shapes
    assert [w.path for w in ref.weights][0].endswith("query/kernel")
    assert [w.name for w in mine.weights] == ["kernel", "bias"] * 4
    assert [layer.name for layer in mine._layers if layer.weights] == [
        "query",
        "key",
        "value",
        "attention_output",
    ]
    assert mine.query_dense is mine._query_dense and mine.count_params() == ref.count_params()


def _masked_inputs(library):
    embedding = library.layers.Embedding(10, 6, mask_zero=True)
    embedding.build((None, 5))
    embedding.set_weights([RNG.standard_normal((10, 6)).astype("float32")])
    return embedding


def test_masks_carried_by_the_inputs(keras):
    """Masks from Embedding(mask_zero=True) reach the layer as Keras's Layer passes them."""
    ref_embedding = _masked_inputs(keras)
    mine_embedding = layers.Embedding(10, 6, mask_zero=True)
    mine_embedding.build((None, 5))
    mine_embedding.set_weights(ref_embedding.get_weights())
    ref_x, mine_x = ref_embedding(IDS), mine_embedding(IDS)
    ref, mine = _pair(keras, (ref_x, ref_x), num_heads=2, key_dim=3)
    for call in (
        {},
        {"use_causal_mask": True},
        {"return_attention_scores": True},
        {"attention_mask": RNG.uniform(size=(2, 5, 5)) > 0.3},
    ):
        ref_x, mine_x = ref_embedding(IDS), mine_embedding(IDS)
        expected, got = ref(ref_x, ref_x, **call), mine(mine_x, mine_x, **call)
        _assert_same(keras, expected, got)
        out = got[0] if isinstance(got, tuple) else got
        np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), IDS != 0)
    # A mask on the query only, on the value only, and an explicit key with its own mask.
    q = ops.convert_to_tensor(VALUE)
    q._keras_mask = ops.convert_to_tensor(IDS != 0)
    ref_q = keras.ops.convert_to_tensor(VALUE)
    ref_q._keras_mask = keras.ops.convert_to_tensor(IDS != 0)
    _assert_same(keras, ref(ref_q, VALUE), mine(q, VALUE))
    q._keras_mask = ops.convert_to_tensor(IDS != 0)
    ref_q._keras_mask = keras.ops.convert_to_tensor(IDS != 0)
    _assert_same(keras, ref(VALUE, ref_q), mine(VALUE, q))
    key_mask = np.array([[1, 1, 1, 1, 0], [1, 0, 1, 1, 1]], bool)
    _assert_same(
        keras,
        ref(VALUE, VALUE, VALUE, value_mask=IDS != 0, key_mask=key_mask),
        mine(VALUE, VALUE, VALUE, value_mask=IDS != 0, key_mask=key_mask),
    )


def test_functional_model_with_masks_matches_keras(keras, tmp_path):
    def build(library):
        inputs = library.Input((5,), dtype="int32")
        x = library.layers.Embedding(10, 8, mask_zero=True)(inputs)
        y = library.layers.MultiHeadAttention(2, 4)(x, x, use_causal_mask=True)
        y = library.layers.Add()([x, y])
        y = library.layers.GlobalAveragePooling1D()(y)
        return library.Model(inputs, library.layers.Dense(1)(y))

    ref, mine = build(keras), build(cornu)
    ref.save_weights(tmp_path / "keras.weights.h5")  # Keras's file layout reads back here
    mine.load_weights(tmp_path / "keras.weights.h5")
    _assert_same(keras, ref(IDS), mine(IDS))
    mine.save(tmp_path / "cornu.keras")
    again = keras.saving.load_model(tmp_path / "cornu.keras")
    _assert_same(keras, again(IDS), mine(IDS))
    assert mine.layers[2].get_build_config() == {
        "shapes_dict": {"query_shape": [None, 5, 8], "value_shape": [None, 5, 8]}
    }


def test_attention_axes_on_higher_rank_inputs(keras):
    query = RNG.standard_normal((2, 3, 4, 6)).astype("float32")
    value = RNG.standard_normal((2, 3, 5, 6)).astype("float32")
    for axes in (None, 2, (1, 2), -2):
        ref, mine = _pair(keras, (query, value), num_heads=2, key_dim=3, attention_axes=axes)
        assert mine.attention_axes == ref.attention_axes
        for call in ({}, {"return_attention_scores": True}):
            _assert_same(keras, ref(query, value, **call), mine(query, value, **call))
    mask = RNG.uniform(size=(2, 3, 4, 5)) > 0.3  # attention over axis 2 only
    _assert_same(
        keras, ref(query, value, attention_mask=mask), mine(query, value, attention_mask=mask)
    )


@pytest.mark.requires_training
def test_dropout_in_training_and_gradients():
    layer = layers.MultiHeadAttention(2, 3, dropout=0.5, seed=2)
    inference = ops.convert_to_numpy(layer(QUERY, VALUE))
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(QUERY, VALUE)), inference)
    _, scores = layer(QUERY, VALUE, training=True, return_attention_scores=True)
    np.testing.assert_allclose(ops.convert_to_numpy(scores).sum(-1), 1.0, atol=1e-5)
    assert not np.allclose(ops.convert_to_numpy(layer(QUERY, VALUE, training=True)), inference)
    frozen = [ops.convert_to_numpy(v) for v in layer.non_trainable_variables]

    def loss(*weights):
        return ops.sum(layer.stateless_call(list(weights), frozen, QUERY, VALUE)[0] ** 2)

    weights = [ops.convert_to_numpy(w) for w in layer.trainable_variables]
    _, grads = cornu.backend.value_and_gradients(loss, weights)
    assert len(grads) == 8
    assert all(np.abs(ops.convert_to_numpy(g)).sum() > 0 for g in grads)


def test_symbolic_shapes_and_config(keras):
    query, value = layers.Input((4, 6)), layers.Input((5, 3))
    layer = layers.MultiHeadAttention(2, 3, output_shape=8)
    out, scores = layer(query, value, return_attention_scores=True)
    assert tuple(out.shape) == (None, 4, 8) and tuple(scores.shape) == (None, 2, 4, 5)
    config = layer.get_config()
    assert config["output_shape"] == (8,) and config["value_dim"] == 3
    clone = layers.MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    theirs = keras.layers.MultiHeadAttention(4, 2, dropout=0.1, kernel_regularizer="l2")
    clone = layers.MultiHeadAttention.from_config(theirs.get_config())
    assert clone.num_heads == 4 and clone.dropout == 0.1
    assert keras.layers.MultiHeadAttention.from_config(config).key_dim == 3


def test_regularizers_reach_the_projections():
    layer = layers.MultiHeadAttention(2, 3, kernel_regularizer="l2", bias_regularizer="l1")
    layer(QUERY, VALUE)
    assert len(layer.losses) == 8


def test_dot_product_attention_op(keras):
    q = RNG.standard_normal((2, 4, 4, 3)).astype("float32")
    k = RNG.standard_normal((2, 5, 2, 3)).astype("float32")  # grouped: 2 key heads
    v = RNG.standard_normal((2, 5, 2, 3)).astype("float32")
    mask = RNG.uniform(size=(2, 1, 4, 5)) > 0.4
    bias = RNG.standard_normal((1, 4, 4, 5)).astype("float32")
    for kwargs in ({}, {"mask": mask}, {"bias": bias, "scale": 0.3}, {"is_causal": True}):
        _assert_same(
            keras,
            keras.ops.dot_product_attention(q, k, v, **kwargs),
            ops.dot_product_attention(q, k, v, **kwargs),
        )
    with pytest.raises(ValueError, match="only supports 4D inputs"):
        ops.dot_product_attention(q[0], k[0], v[0])
    with pytest.raises(ValueError, match="Only one of `bias` and `mask`"):
        ops.dot_product_attention(q, k, v, bias=bias, mask=mask)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"'multi_head_attention'.*`num_heads`.*0"):
        layers.MultiHeadAttention(0, 2)
    with pytest.raises(ValueError, match=r"`key_dim`.*2.5"):
        layers.MultiHeadAttention(2, 2.5)
    with pytest.raises(ValueError, match=r"'mha'.*dropout is not supported.*flash"):
        layers.MultiHeadAttention(2, 2, dropout=0.1, flash_attention=True, name="mha")
    layer = layers.MultiHeadAttention(2, 3, name="mha")
    with pytest.raises(ValueError, match=r"'mha'.*`value` and `key`.*must be equal"):
        layer(QUERY, VALUE, KEY[:, :3])
    layer(QUERY, VALUE)
    with pytest.raises(ValueError, match=r"'mha' was built for `query` with 6.*\(2, 4, 5\)"):
        layer(QUERY[..., :5], VALUE)
