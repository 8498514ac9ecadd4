"""EinsumDense.quantize against Keras's, over equations whose scales need transposing,
expanding or squeezing: the same variables, dtype policy and outputs in every mode."""

import numpy as np
import pytest

import cornu
from cornu.layers.core.quantized_einsum_dense import analyze_quantization_info

RNG = np.random.RandomState(0)
EQUATIONS = [
    ("ab,bc->ac", (6,), "c", (3, 8)),
    ("abc,cde->abde", (3, 4, 5), "de", (2, 3, 6)),
    ("abc,dc->abd", (3, 4), None, (2, 3, 5)),
    ("abcd,cde->abe", (3, 4), "e", (2, 3, 4, 5)),
    ("abc,cd->abd", (3, 4), "d", (2, 3, 5)),
]
CONFIGS = {
    "int8": lambda q: q.Int8QuantizationConfig(),
    "int8-weights-only": lambda q: q.Int8QuantizationConfig(activation_quantizer=None),
    "int4": lambda q: q.Int4QuantizationConfig(),
    "int4-per-channel": lambda q: q.Int4QuantizationConfig(block_size=None),
    "int4-blocks-of-2": lambda q: q.Int4QuantizationConfig(block_size=2),
    "float8": lambda q: q.Float8QuantizationConfig(),
}


@pytest.mark.parametrize("equation,output_shape,bias_axes,input_shape", EQUATIONS)
@pytest.mark.parametrize("name", list(CONFIGS))
def test_quantized_einsum_dense_matches_keras(
    oracle, keras, equation, output_shape, bias_axes, input_shape, name
):
    x = RNG.randn(*input_shape).astype("float32")
    theirs = keras.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    ours = cornu.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    theirs(x)
    ours(x)
    ours.set_weights([oracle.numpy(w) for w in theirs.get_weights()])
    float_out = oracle.numpy(ours(x))
    theirs.quantize(config=CONFIGS[name](keras.quantizers))
    ours.quantize(config=CONFIGS[name](cornu.quantizers))
    assert ours.dtype_policy.name == theirs.dtype_policy.name
    assert [(v.name, str(v.dtype), tuple(v.shape)) for v in ours.weights] == [
        (v.name, v.dtype, tuple(v.shape)) for v in theirs.weights
    ]
    oracle.values(ours.get_weights(), [oracle.numpy(w) for w in theirs.get_weights()], atol=0)
    oracle.values(ours(x), theirs(x), atol=1e-6, rtol=1e-6)
    if "blocks" not in name:  # see test_quantized_embedding for small blocks
        bound = {"int8": 0.05, "int4": 0.4, "float8": 0.15}[name.split("-")[0]]
        assert np.abs(oracle.numpy(ours(x)) - float_out).max() <= bound * np.abs(float_out).max()


def test_quantization_info_of_a_transposed_kernel():
    info = analyze_quantization_info("abc,dc->abd", 3)
    assert info["input_reduced_axes"] == [2] and info["kernel_reduced_axes"] == [1]
    assert info["kernel_transpose_axes"] == [1, 0] and info["kernel_expand_axes"] == [1]
    assert info["gradient_equation"] == "abd,dc->abc"
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        analyze_quantization_info("ab->b", 2)


def test_int4_kernel_property_gives_the_unpacked_kernel(keras):
    layer = cornu.layers.EinsumDense("abc,cde->abde", (3, 4, 5), bias_axes="de")
    layer.build((None, 3, 6))
    layer.quantize("int4")
    assert tuple(layer._kernel.shape) == (6, 10)
    assert (
        tuple(layer.kernel.shape) == (6, 4, 5)
        and cornu.backend.standardize_dtype(layer.kernel.dtype) == "int8"
    )
