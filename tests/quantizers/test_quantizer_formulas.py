"""The quantizer formulas of ``cornu.quantizers`` against Keras's: abs-max int8, grouped int4
with zero points, int4 packing, float8 scaling and quantize-dequantize, fake quantization."""

import numpy as np
import pytest

import cornu
from cornu import ops, quantizers

RNG = np.random.RandomState(0)
X = RNG.randn(6, 10).astype("float32") * 3


def _np(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("axis", [0, -1, (0, 1), [0]])
@pytest.mark.parametrize("to_numpy", [False, True])
def test_abs_max_quantize_matches_keras(oracle, keras, axis, to_numpy):
    ours = quantizers.abs_max_quantize(ops.convert_to_tensor(X), axis, to_numpy=to_numpy)
    theirs = keras.quantizers.abs_max_quantize(
        keras.ops.convert_to_tensor(X), axis, to_numpy=to_numpy
    )
    oracle.values(ours, theirs, atol=0, rtol=0)
    assert _np(ours[0]).dtype == np.int8 and _np(ours[1]).dtype == np.float32


def test_abs_max_quantizer_axis_range_and_config(oracle, keras):
    ours = quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7))
    theirs = keras.quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7))
    oracle.values(ours(X), theirs(X), atol=0, rtol=0)
    oracle.values(ours(X, axis=1), theirs(X, axis=1), atol=0, rtol=0)
    assert ours.get_config() == theirs.get_config()
    assert quantizers.AbsMaxQuantizer.from_config(ours.get_config()).axis == (0,)
    values, _ = quantizers.AbsMaxQuantizer()(X)  # the default axis is -1, range +-127
    assert np.abs(_np(values)).max(axis=-1).tolist() == [127] * 6
    with pytest.raises(ValueError, match="within the interval \\[-128, 127\\]"):
        quantizers.AbsMaxQuantizer(value_range=(-200, 200))


@pytest.mark.parametrize("block_size", [4, 6, 128])
@pytest.mark.parametrize("to_numpy", [True, False])
def test_grouped_quantization_with_zero_point_matches_keras(oracle, keras, block_size, to_numpy):
    x = RNG.randn(10, 5).astype("float32")
    x[4:8, 0] = 0.5  # a constant group for the block size 4
    ours = quantizers.abs_max_quantize_grouped_with_zero_point(
        ops.convert_to_tensor(x), block_size, to_numpy=to_numpy
    )
    theirs = keras.quantizers.abs_max_quantize_grouped_with_zero_point(
        keras.ops.convert_to_tensor(x), block_size, to_numpy=to_numpy
    )
    oracle.values(ours, theirs, atol=1e-7, rtol=1e-6)
    groups = -(-10 // block_size)
    assert [tuple(ops.shape(t)) for t in ours] == [(10, 5), (groups, 5), (groups, 5)]
    assert _np(ours[0]).min() >= -8 and _np(ours[0]).max() <= 7


@pytest.mark.parametrize("shape,axis", [((3, 2), 0), ((2, 3), 1), ((4, 5, 3), -1), ((5, 2, 2), 0)])
def test_pack_and_unpack_int4_match_keras(oracle, keras, shape, axis):
    values = RNG.randint(-8, 8, shape).astype("int8")
    ours = quantizers.pack_int4(ops.convert_to_tensor(values), axis=axis)
    theirs = keras.quantizers.pack_int4(keras.ops.convert_to_tensor(values), axis=axis)
    oracle.values(ours[0], theirs[0])
    assert ours[1:] == theirs[1:]
    unpacked = quantizers.unpack_int4(ours[0], ours[2], axis=axis)
    np.testing.assert_array_equal(_np(unpacked), values)
    oracle.values(unpacked, keras.quantizers.unpack_int4(theirs[0], theirs[2], axis=axis))


def test_pack_int4_documented_example_and_errors():
    packed, shape, length = quantizers.pack_int4(
        ops.convert_to_tensor(np.array([[-3, 7], [2, -8], [1, 0]], "int8"))
    )
    assert _np(packed).tolist() == [[45, -121], [1, 0]] and shape == (2, 2) and length == 3
    unsigned = np.array([[3, 15], [9, 0]], "uint8")
    packed, _, length = quantizers.pack_int4(ops.convert_to_tensor(unsigned), dtype="uint8")
    unpacked = quantizers.unpack_int4(packed, length, dtype="uint8")
    np.testing.assert_array_equal(_np(unpacked), unsigned)
    with pytest.raises(ValueError, match="Expected dtype to be 'int8' or 'uint8'"):
        quantizers.pack_int4(ops.convert_to_tensor(unsigned), dtype="int16")
    with pytest.raises(TypeError, match="Expected int8 tensor for packing, got uint8"):
        quantizers.pack_int4(ops.convert_to_tensor(unsigned))
    with pytest.raises(TypeError, match="Expected int8 or uint8 tensor for unpacking"):
        quantizers.unpack_int4(ops.convert_to_tensor(np.ones((2, 2), "float32")), 4)


def test_float8_scale_and_amax_history_match_keras(oracle, keras):
    amax = np.array([0.0, 2.5, np.inf, 1000.0], "float32")
    for value in amax:
        for margin in (0, 2):
            ours = quantizers.compute_float8_scale(ops.convert_to_tensor(value), 0.5, 448.0, margin)
            theirs = keras.quantizers.compute_float8_scale(
                keras.ops.convert_to_tensor(value), 0.5, 448.0, margin
            )
            oracle.values(ours, theirs, atol=0, rtol=0)
    history = np.arange(5, dtype="float32")
    oracle.values(
        quantizers.compute_float8_amax_history(X, ops.convert_to_tensor(history)),
        keras.quantizers.compute_float8_amax_history(X, keras.ops.convert_to_tensor(history)),
    )


@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "float8_e5m2"])
@pytest.mark.parametrize("compute_dtype", ["float32", "bfloat16"])
def test_quantize_and_dequantize_matches_keras(oracle, keras, dtype, compute_dtype):
    # Normal and subnormal float8 values, ties, values past the largest float8, and signs.
    x = np.concatenate(
        [
            RNG.randn(200) * 10,
            RNG.randn(50) * 1e-3,
            [0.0, -0.0, 1e6, -1e6, 1.0625, 1.1875, 3e-3, 2.0**-9, 2.0**-10 * 3],
        ]
    ).astype("float32")
    ours = quantizers.quantize_and_dequantize(
        ops.cast(ops.convert_to_tensor(x), compute_dtype), 0.25, dtype, compute_dtype
    )
    theirs = keras.quantizers.quantize_and_dequantize(
        keras.ops.cast(keras.ops.convert_to_tensor(x), compute_dtype), 0.25, dtype, compute_dtype
    )
    oracle.values(ours, theirs, atol=0, rtol=0)
    with pytest.raises(ValueError, match="quantized_dtype"):
        quantizers.quantize_and_dequantize(x, 1.0, "int8", "float32")


@pytest.mark.parametrize("axis", [None, 1])
@pytest.mark.parametrize("narrow_range", [False, True])
def test_fake_quant_values_match_keras(oracle, keras, axis, narrow_range):
    x = RNG.randn(4, 3).astype("float32") * 2
    low, high = (-1.0, 1.5) if axis is None else (np.array([-1, -2, -0.5]), np.array([1, 2, 3]))
    low, high = np.asarray(low, "float32"), np.asarray(high, "float32")
    ours = quantizers.fake_quant_with_min_max_vars(x, low, high, 4, narrow_range, axis)
    theirs = keras.quantizers.fake_quant_with_min_max_vars(x, low, high, 4, narrow_range, axis)
    oracle.values(ours, theirs, atol=1e-6)
    symbolic = quantizers.fake_quant_with_min_max_vars(cornu.Input((3,)), low, high)
    assert symbolic.shape == (None, 3) and symbolic.dtype == "float32"


@pytest.mark.backends("torch")
@pytest.mark.parametrize("axis", [None, 1])
def test_fake_quant_gradients_match_keras(keras, axis):
    import torch

    x = RNG.randn(4, 3).astype("float32") * 2
    low, high = (-1.0, 1.5) if axis is None else ([-1.0, -2.0, -0.5], [1.0, 2.0, 3.0])

    def grads(fn):
        args = [torch.tensor(np.asarray(v, "float32"), requires_grad=True) for v in (x, low, high)]
        fn(*args, num_bits=8, axis=axis).pow(2).sum().backward()
        return [a.grad.numpy() for a in args]

    for ours, theirs in zip(
        grads(quantizers.fake_quant_with_min_max_vars),
        grads(keras.quantizers.fake_quant_with_min_max_vars),
    ):
        np.testing.assert_allclose(ours, theirs, atol=1e-6)


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_host_quantization_of_half_precision_weights_matches_keras(oracle, keras, dtype):
    # Keras quantizes on the host in the weight's own dtype; cornu rounds to it step by step.
    ours_w = ops.cast(ops.convert_to_tensor(X), dtype)
    theirs_w = keras.ops.cast(keras.ops.convert_to_tensor(X), dtype)
    oracle.values(
        quantizers.abs_max_quantize(ours_w, 0, to_numpy=True),
        keras.quantizers.abs_max_quantize(theirs_w, 0, to_numpy=True),
        atol=0,
        rtol=0,
    )
    oracle.values(
        quantizers.abs_max_quantize_grouped_with_zero_point(ours_w, 4, to_numpy=True),
        keras.quantizers.abs_max_quantize_grouped_with_zero_point(theirs_w, 4, to_numpy=True),
        atol=0,
        rtol=0,
    )


def test_round_to_bfloat16_ties_to_even():
    from cornu.quantizers.host_math import round_to_bfloat16

    values = np.array([1.0 + 2.0**-8, 1.0 + 3 * 2.0**-8, 1.0 + 2.0**-9, np.nan, -2.5], "float32")
    rounded = round_to_bfloat16(values)
    assert rounded[:3].tolist() == [1.0, 1.0 + 2.0**-6, 1.0] and np.isnan(rounded[3])
    assert rounded[4] == -2.5
