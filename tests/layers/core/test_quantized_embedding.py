"""Embedding.quantize against Keras's: int8 and int4 (per row and per block) tables give the
same variables, dtype policy and outputs; float8 is refused as in Keras."""

import numpy as np
import pytest

import cornu

IDS = np.random.RandomState(0).randint(0, 20, (4, 6))
CONFIGS = {
    "int8": lambda q: q.Int8QuantizationConfig(),
    "int4": lambda q: q.Int4QuantizationConfig(),
    "int4-per-row": lambda q: q.Int4QuantizationConfig(block_size=None),
    "int4-blocks-of-3": lambda q: q.Int4QuantizationConfig(block_size=3),
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_quantized_embedding_matches_keras(oracle, keras, name):
    theirs = keras.layers.Embedding(20, 7)
    ours = cornu.layers.Embedding(20, 7)
    theirs.build()
    ours.build()
    ours.set_weights([oracle.numpy(w) for w in theirs.get_weights()])
    float_out = oracle.numpy(ours(IDS))
    theirs.quantize(config=CONFIGS[name](keras.quantizers))
    ours.quantize(config=CONFIGS[name](cornu.quantizers))
    assert ours.dtype_policy.name == theirs.dtype_policy.name
    assert [(v.name, str(v.dtype), tuple(v.shape)) for v in ours.weights] == [
        (v.name, v.dtype, tuple(v.shape)) for v in theirs.weights
    ]
    oracle.values(ours.get_weights(), [oracle.numpy(w) for w in theirs.get_weights()], atol=0)
    oracle.values(ours(IDS), theirs(IDS), atol=1e-7, rtol=1e-6)
    # Small blocks are exact to Keras but not close to the float table: Keras clips the zero
    # point to [-8, 7], so a block whose values are all of one sign (or a single value)
    # loses most of its range. cornu does the same, to load and compute Keras's files.
    if "blocks" not in name:
        bound = 0.01 if name == "int8" else 0.15
        assert np.abs(oracle.numpy(ours(IDS)) - float_out).max() <= bound * np.abs(float_out).max()
    assert oracle.numpy(ours.embeddings).shape == (20, 7)


def test_float8_and_mask_zero(keras):
    for lib in (cornu, keras):
        layer = lib.layers.Embedding(5, 2)
        layer.build()
        with pytest.raises(NotImplementedError, match="Expected one of \\('int8', 'int4'\\)"):
            layer.quantize("float8")
        assert layer.quantization_mode is None
    layer = cornu.layers.Embedding(5, 4, mask_zero=True)
    layer.build()
    layer.quantize("int8")
    mask = cornu.ops.convert_to_numpy(layer.compute_mask(np.array([[0, 3]])))
    assert mask.tolist() == [[False, True]]
