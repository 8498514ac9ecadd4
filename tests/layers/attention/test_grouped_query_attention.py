"""GroupQueryAttention (GroupedQueryAttention) against Keras: grouped heads, masks (given,
carried by the inputs, causal, sliding window), scores, dropout's explicit path, weights,
configs, files and errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops

RNG = np.random.RandomState(0)
QUERY = RNG.standard_normal((2, 4, 6)).astype("float32")
VALUE = RNG.standard_normal((2, 5, 6)).astype("float32")
KEY = RNG.standard_normal((2, 5, 3)).astype("float32")
MASK = RNG.uniform(size=(2, 4, 5)) > 0.3
MASK[0, 1] = False  # a query step that may attend to nothing

# Keras warns that its projections drop the masks of the inputs it hands them.
pytestmark = pytest.mark.filterwarnings("ignore:.*does not support masking:UserWarning")


def _pair(keras, build_args, **kwargs):
    ref = keras.layers.GroupQueryAttention(**kwargs)
    mine = layers.GroupQueryAttention(**kwargs)
    ref(*build_args)
    mine(*build_args)
    weights = [w + 0.1 * RNG.standard_normal(w.shape).astype("float32") for w in ref.get_weights()]
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


@pytest.mark.parametrize(
    "kwargs",
    [
        {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2},
        {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1, "dropout": 0.3},
        {"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 3, "use_gate": True},
        {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 2, "sliding_window": 2},
    ],
)
def test_same_numbers_as_keras(keras, kwargs):
    ref, mine = _pair(keras, (QUERY, VALUE, KEY), **kwargs)
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    for call in (
        {},
        {"use_causal_mask": True},
        {"return_attention_scores": True},
        {"attention_mask": MASK},
        {"attention_mask": MASK, "use_causal_mask": True, "return_attention_scores": True},
    ):
        _assert_same(keras, ref(QUERY, VALUE, KEY, **call), mine(QUERY, VALUE, KEY, **call))


def test_masks_carried_by_the_inputs(keras):
    ref, mine = _pair(keras, (VALUE, VALUE), head_dim=2, num_query_heads=4, num_key_value_heads=2)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)
    for call in ({}, {"use_causal_mask": True}):
        x = ops.convert_to_tensor(VALUE)
        x._keras_mask = ops.convert_to_tensor(mask)
        ref_x = keras.ops.convert_to_tensor(VALUE)
        ref_x._keras_mask = keras.ops.convert_to_tensor(mask)
        out = mine(x, x, **call)
        _assert_same(keras, ref(ref_x, ref_x, **call), out)
        np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), mask)


def test_weights_config_and_files(keras, tmp_path):
    layer = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    layer(QUERY, VALUE)
    assert [tuple(w.shape) for w in layer.weights] == [
        (6, 4, 3),
        (4, 3),
        (6, 2, 3),
        (2, 3),
        (6, 2, 3),
        (2, 3),
        (4, 3, 6),
        (6,),
    ]
    config = layer.get_config()
    assert layers.GroupedQueryAttention.from_config(config).get_config() == config
    assert keras.layers.GroupQueryAttention.from_config(config).num_repeats == 2

    # Keras's file (config name GroupQueryAttention, weights under grouped_query_attention).
    inputs = keras.Input((5, 6))
    model = keras.Model(inputs, keras.layers.GroupQueryAttention(2, 2, 1)(inputs, inputs))
    model.save(tmp_path / "gqa.keras")
    again = cornu.saving.load_model(tmp_path / "gqa.keras")
    _assert_same(keras, model(VALUE), again(VALUE))
    again.save_weights(tmp_path / "gqa.weights.h5")
    model.load_weights(tmp_path / "gqa.weights.h5")
    _assert_same(keras, model(VALUE), again(VALUE))


def test_errors():
    with pytest.raises(ValueError, match=r"`num_query_heads` must be divisible.*3.*2"):
        layers.GroupQueryAttention(head_dim=2, num_query_heads=3, num_key_value_heads=2)
    layer = layers.GroupQueryAttention(2, 2, 1, name="gqa")
    with pytest.raises(ValueError, match=r"'gqa'.*last dimension of `query_shape`"):
        layer.compute_output_shape((2, 4, 6), (2, 5, 3))
