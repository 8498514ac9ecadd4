"""Attention and AdditiveAttention against Keras: scores, masks, causal masks, dropout,
weights, configs, symbolic shapes and errors."""

import numpy as np
import pytest

from cornu import layers, ops

RNG = np.random.RandomState(0)
QUERY = RNG.standard_normal((2, 4, 6)).astype("float32")
VALUE = RNG.standard_normal((2, 5, 6)).astype("float32")
KEY = RNG.standard_normal((2, 5, 6)).astype("float32")
QUERY_MASK = np.array([[1, 1, 0, 1], [1, 1, 1, 1]], bool)
VALUE_MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], bool)


def _pair(keras, name, **kwargs):
    """The Keras layer and cornu's, built, with the same (non-trivial) weights."""
    ref = getattr(keras.layers, name)(**kwargs)
    mine = getattr(layers, name)(**kwargs)
    ref([QUERY, VALUE])
    mine([QUERY, VALUE])
    weights = [w + 0.25 * RNG.standard_normal(w.shape).astype("float32") for w in ref.get_weights()]
    ref.set_weights(weights)
    mine.set_weights(weights)
    return ref, mine


def _assert_same(keras, expected, got):
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    assert len(expected) == len(got)
    for e, g in zip(expected, got):
        np.testing.assert_allclose(
            ops.convert_to_numpy(g), keras.ops.convert_to_numpy(e), atol=1e-5
        )


CALLS = [
    ({}, {}),
    ({"mask": [QUERY_MASK, VALUE_MASK]}, {}),
    ({"mask": [None, VALUE_MASK], "return_attention_scores": True}, {}),
    ({"use_causal_mask": True, "return_attention_scores": True}, {}),
    ({"mask": [QUERY_MASK, VALUE_MASK], "use_causal_mask": True}, {}),
]


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("Attention", {}),
        ("Attention", {"use_scale": True}),
        ("Attention", {"score_mode": "concat"}),
        ("Attention", {"score_mode": "concat", "use_scale": True}),
        ("AdditiveAttention", {}),
        ("AdditiveAttention", {"use_scale": False}),
    ],
)
def test_same_numbers_as_keras(keras, name, kwargs):
    ref, mine = _pair(keras, name, **kwargs)
    for call_kwargs, _ in CALLS:
        _assert_same(keras, ref([QUERY, VALUE], **call_kwargs), mine([QUERY, VALUE], **call_kwargs))
    # A separate key, and three masks (Keras accepts a list of 2 or 3).
    masks = [QUERY_MASK, VALUE_MASK, VALUE_MASK]
    _assert_same(keras, ref([QUERY, VALUE, KEY], mask=masks), mine([QUERY, VALUE, KEY], mask=masks))


def test_weights_match_keras(keras):
    for name, kwargs in [
        ("Attention", {"use_scale": True, "score_mode": "concat"}),
        ("AdditiveAttention", {}),
    ]:
        ref, mine = _pair(keras, name, **kwargs)
        assert [w.name for w in mine.weights] == [w.name for w in ref.weights]
        assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    assert layers.Attention().get_config()["score_mode"] == "dot"
    additive = layers.AdditiveAttention()
    additive([QUERY, VALUE])
    assert [tuple(w.shape) for w in additive.weights] == [(6,)]
    assert layers.AdditiveAttention(use_scale=False).weights == []


def test_masks_from_the_inputs(keras):
    ref, mine = _pair(keras, "Attention", use_scale=True)
    q, v = ops.convert_to_tensor(QUERY), ops.convert_to_tensor(VALUE)
    q._keras_mask = ops.convert_to_tensor(QUERY_MASK)
    v._keras_mask = ops.convert_to_tensor(VALUE_MASK)
    out = mine([q, v])
    expected = ref([QUERY, VALUE], mask=[QUERY_MASK, VALUE_MASK])
    _assert_same(keras, expected, out)
    # The output carries the query's mask; masked query steps are 0.
    np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), QUERY_MASK)
    assert np.all(ops.convert_to_numpy(out)[0, 2] == 0)


def test_dropout_only_in_training():
    layer = layers.Attention(dropout=0.5, seed=1)
    plain = ops.convert_to_numpy(layer([QUERY, VALUE]))
    again = ops.convert_to_numpy(layer([QUERY, VALUE], training=False))
    np.testing.assert_array_equal(plain, again)
    _, weights = layer([QUERY, VALUE], training=True, return_attention_scores=True)
    weights = ops.convert_to_numpy(weights)
    assert (weights == 0).mean() > 0.2  # dropped, and the rest scaled by 2
    assert weights.sum(-1).max() > 1.2


def test_symbolic_call_and_config(keras):
    q = layers.Input((4, 6))
    v = layers.Input((5, 6))
    out, scores = layers.Attention()([q, v], return_attention_scores=True)
    assert tuple(out.shape) == (None, 4, 6) and tuple(scores.shape) == (None, 4, 5)
    config = layers.AdditiveAttention(dropout=0.1, seed=3).get_config()
    assert "score_mode" not in config and config["seed"] == 3 and config["use_scale"] is True
    assert keras.layers.AdditiveAttention.from_config(config).dropout == 0.1
    theirs = keras.layers.Attention(use_scale=True, score_mode="concat").get_config()
    clone = layers.Attention.from_config(theirs)
    assert clone.use_scale and clone.score_mode == "concat"


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Attention 'attention.*score_mode.*'mult'"):
        layers.Attention(score_mode="mult")
    layer = layers.Attention(name="att")
    with pytest.raises(ValueError, match=r"'att' must be called on a list of inputs"):
        layer(QUERY)
    with pytest.raises(ValueError, match=r"'att' accepts inputs list of length 2 or 3.*4"):
        layer([QUERY, VALUE, VALUE, VALUE])
    with pytest.raises(ValueError, match=r"'att' mask must be a list"):
        layer([QUERY, VALUE], mask=VALUE_MASK)
    with pytest.raises(ValueError, match=r"'att' accepts mask list of length 2 or 3"):
        layer([QUERY, VALUE], mask=[VALUE_MASK])
