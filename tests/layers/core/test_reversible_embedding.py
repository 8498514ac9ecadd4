"""ReversibleEmbedding: forward and reverse calls against Keras (tied and untied weights, soft
cap, reverse dtype), masks, symbolic shapes, configs, .keras files, errors."""

import numpy as np
import pytest
from oracle import keras_difference

import cornu
from cornu import Input, layers, ops
from cornu.testing import run_layer_test

RNG = np.random.RandomState(0)
IDS = np.array([[1, 4, 0], [7, 2, 9]])
HIDDEN = RNG.standard_normal((2, 3, 6)).astype("float32")


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"tie_weights": False},
        {"logit_soft_cap": 2.0},
        {"tie_weights": False, "reverse_dtype": "float64", "logit_soft_cap": 0.5},
    ],
)
def test_matches_keras(oracle, keras, kwargs):
    ours = layers.ReversibleEmbedding(10, 6, **kwargs)
    theirs = keras.layers.ReversibleEmbedding(10, 6, **kwargs)
    oracle.layer(ours, theirs, IDS)
    theirs_logits = oracle.numpy(theirs(HIDDEN, reverse=True))
    logits_dtype = kwargs.get("reverse_dtype", "float32")
    known = keras_difference("matmul", (HIDDEN.astype(logits_dtype),) * 2)
    if known is not None:  # Keras-TF's float64 matmul stays float64; torch's gives float32
        theirs_logits = known[1](theirs_logits)
    oracle.values(ours(HIDDEN, reverse=True), theirs_logits, atol=1e-5)
    names = ["embeddings"] + ([] if kwargs.get("tie_weights", True) else ["reverse_embeddings"])
    assert [w.name for w in ours.weights] == names
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


def test_tied_reverse_is_the_transposed_table():
    layer = layers.ReversibleEmbedding(5, 3)
    layer.build()
    table = ops.convert_to_numpy(layer.embeddings)
    logits = ops.convert_to_numpy(layer(HIDDEN[..., :3], reverse=True))
    np.testing.assert_allclose(logits, HIDDEN[..., :3] @ table.T, atol=1e-6)


def test_mask_and_symbolic_shapes():
    layer = layers.ReversibleEmbedding(10, 6, mask_zero=True)
    out = layer(IDS)
    np.testing.assert_array_equal(ops.convert_to_numpy(out._keras_mask), IDS != 0)
    assert getattr(layer(HIDDEN, reverse=True), "_keras_mask", None) is None
    ids = Input((3,), dtype="int32")
    embedded = layer(ids)
    assert tuple(embedded.shape) == (None, 3, 6)
    assert tuple(embedded._keras_mask.shape) == (None, 3)
    logits = layer(embedded, reverse=True)
    assert tuple(logits.shape) == (None, 3, 10)
    model = cornu.Model(ids, logits)
    assert tuple(ops.convert_to_numpy(model(IDS)).shape) == (2, 3, 10)


def test_layer_test_and_config(keras):
    run_layer_test(
        layers.ReversibleEmbedding,
        {"input_dim": 10, "output_dim": 4, "tie_weights": False},
        input_data=IDS,
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=2,
    )
    kwargs = {"tie_weights": False, "reverse_dtype": "float32", "logit_soft_cap": 3.0}
    ours = layers.ReversibleEmbedding(10, 4, **kwargs).get_config()
    theirs = keras.layers.ReversibleEmbedding(10, 4, **kwargs).get_config()
    for key in ("tie_weights", "reverse_dtype", "logit_soft_cap", "input_dim", "output_dim"):
        assert ours[key] == theirs[key]
    again = keras.layers.ReversibleEmbedding.from_config(ours)
    assert again.tie_weights is False and again.logit_soft_cap == 3.0


def test_keras_files_both_ways(keras, tmp_path):
    ids = keras.Input((3,), dtype="int32")
    layer = keras.layers.ReversibleEmbedding(10, 4, tie_weights=False)
    model = keras.Model(ids, layer(layer(ids), reverse=True))
    model.save(tmp_path / "theirs.keras")
    ours = cornu.saving.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(
        ops.convert_to_numpy(ours(IDS)), keras.ops.convert_to_numpy(model(IDS)), atol=1e-6
    )
    ours.save(tmp_path / "ours.keras")
    back = keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(back(IDS)), ops.convert_to_numpy(ours(IDS)), atol=1e-6
    )


def test_initial_weights_and_errors():
    table = RNG.standard_normal((5, 3)).astype("float32")
    reverse = RNG.standard_normal((3, 5)).astype("float32")
    layer = layers.ReversibleEmbedding(5, 3, tie_weights=False, weights=[table, reverse])
    np.testing.assert_allclose(layer.get_weights()[1], reverse)
    with pytest.raises(ValueError, match="output_dim"):
        layers.ReversibleEmbedding(5, 0)
