"""Layers under mixed policies: variable, compute and output dtypes against Keras's."""

import numpy as np
import pytest

import cornu

POLICIES = ["float32", "mixed_bfloat16", "mixed_float16"]


def _cases(lib):
    L = lib.layers
    return {
        "dense": (lambda p: L.Dense(3, dtype=p), (2, 4)),
        "conv2d": (lambda p: L.Conv2D(2, 3, dtype=p), (1, 6, 6, 2)),
        "lstm": (lambda p: L.LSTM(3, dtype=p), (2, 4, 3)),
        "batch_norm": (lambda p: L.BatchNormalization(dtype=p), (4, 3)),
        "embedding": (lambda p: L.Embedding(5, 3, dtype=p), None),
        "softmax": (lambda p: L.Softmax(dtype=p), (2, 4)),
        "activation_softmax": (lambda p: L.Activation("softmax", dtype=p), (2, 4)),
        "layer_norm": (lambda p: L.LayerNormalization(dtype=p), (2, 4)),
        "mha": (lambda p: L.MultiHeadAttention(2, 2, dtype=p), (2, 3, 4)),
        "group_norm": (lambda p: L.GroupNormalization(2, dtype=p), (2, 4, 4)),
        "unit_norm": (lambda p: L.UnitNormalization(dtype=p), (2, 4)),
        "gru": (lambda p: L.GRU(3, dtype=p), (2, 4, 3)),
        "einsum_dense": (
            lambda p: L.EinsumDense("ab,bc->ac", (3,), bias_axes="c", dtype=p),
            (2, 4),
        ),
        "bidirectional": (lambda p: L.Bidirectional(L.LSTM(2), dtype=p), (2, 4, 3)),
    }


def _inputs(name, shape):
    if shape is None:
        return np.array([[0, 1, 4]], dtype="int32")
    return np.random.default_rng(0).normal(size=shape).astype("float32")


def _call(layer, x, name):
    if name == "mha":
        return layer(x, x)
    if name == "batch_norm":
        return layer(x, training=True)
    return layer(x)


def _dtypes(layer, out):
    name = cornu.backend.standardize_dtype
    return (
        layer.dtype_policy.name,
        layer.compute_dtype,
        layer.variable_dtype,
        sorted((v.path, name(v.dtype)) for v in layer.weights),
        name(out.dtype),
    )


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("case", sorted(_cases(cornu)))
def test_layer_dtypes_match_keras(keras, case, policy):
    make, shape = _cases(cornu)[case]
    make_keras, _ = _cases(keras)[case]
    x = _inputs(case, shape)
    ours, theirs = make(policy), make_keras(policy)
    ours_out = _call(ours, x, case)
    theirs_out = _call(theirs, keras.ops.convert_to_tensor(x), case)
    ours_d, theirs_d = _dtypes(ours, ours_out), _dtypes(theirs, theirs_out)
    assert ours_d[:3] == theirs_d[:3]
    assert [d for _, d in ours_d[3]] == [d for _, d in theirs_d[3]]
    assert ours_d[4] == theirs_d[4]


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("case", sorted(_cases(cornu)))
def test_symbolic_output_dtype_matches_eager(keras, case, policy):
    make, shape = _cases(cornu)[case]
    make_keras, _ = _cases(keras)[case]
    x = _inputs(case, shape)
    ours, theirs = make(policy), make_keras(policy)
    lib_inputs = []
    for lib, layer in ((cornu, ours), (keras, theirs)):
        sym = lib.Input(x.shape[1:], batch_size=x.shape[0], dtype=str(x.dtype))
        lib_inputs.append(_call(layer, sym, case).dtype)
    assert cornu.backend.standardize_dtype(lib_inputs[0]) == keras.backend.standardize_dtype(
        lib_inputs[1]
    )
    eager = _call(ours, x, case)
    assert cornu.backend.standardize_dtype(eager.dtype) == lib_inputs[0]
