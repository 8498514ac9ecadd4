"""Adaptive pooling: the ops against keras.ops, the layers against Keras (both data formats),
run_layer_test, configs and errors."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.core.config import backend
from cornu.testing import run_layer_test

RNG = np.random.RandomState(0)
SHAPES = {1: (2, 11, 3), 2: (2, 7, 9, 3), 3: (1, 5, 6, 7, 2)}
SIZES = {1: [4, (3,)], 2: [3, (2, 4)], 3: [2, (2, 3, 4)]}


@pytest.mark.parametrize("op", ["adaptive_average_pool", "adaptive_max_pool"])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_ops_match_keras(oracle, op, rank, data_format):
    x = RNG.standard_normal(SHAPES[rank]).astype("float32")
    x64 = x.astype("float64")
    if backend() == "tensorflow":
        # Keras's TF adaptive pools read the input's TensorShape: they take tensors, not NumPy.
        x, x64 = ops.convert_to_tensor(x), ops.convert_to_tensor(x64, "float64")
    for size in SIZES[rank]:
        oracle.op(op, x, size, data_format=data_format, atol=1e-6)
    oracle.op(op, x64, SIZES[rank][0], data_format=data_format)


def test_op_windows():
    x = np.arange(5, dtype="float32").reshape(1, 5, 1)
    # Output cell i of 5 -> 3 covers [floor(5i/3), ceil(5(i+1)/3)): [0,2), [1,4), [3,5).
    avg = ops.convert_to_numpy(ops.adaptive_average_pool(x, 3, data_format="channels_last"))
    mx = ops.convert_to_numpy(ops.adaptive_max_pool(x, 3, data_format="channels_last"))
    np.testing.assert_allclose(avg.ravel(), [0.5, 2.0, 3.5])
    np.testing.assert_allclose(mx.ravel(), [1.0, 3.0, 4.0])


@pytest.mark.parametrize("kind", ["Average", "Max"])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_layers_match_keras(oracle, keras, kind, rank, data_format):
    name = f"Adaptive{kind}Pooling{rank}D"
    x = RNG.standard_normal(SHAPES[rank]).astype("float32")
    size = SIZES[rank][1]
    kwargs = {"output_size": size, "data_format": data_format}
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    out = oracle.layer(ours, theirs, x)
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    expected = (
        (x.shape[0], *size, channels)
        if data_format == "channels_last"
        else (x.shape[0], channels, *size)
    )
    run_layer_test(
        getattr(layers, name),
        kwargs,
        input_data=x,
        expected_output=out,
        expected_output_shape=expected,
        expected_num_trainable_weights=0,
    )
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    assert sorted(ours_config) == sorted(theirs_config)
    assert ours_config["output_size"] == theirs_config["output_size"]
    assert ours_config["data_format"] == theirs_config["data_format"]


def test_int_output_size_and_symbolic_shape():
    from cornu import Input

    y = layers.AdaptiveMaxPooling2D(5)(Input((None, None, 3)))
    assert tuple(y.shape) == (None, 5, 5, 3)
    assert layers.AdaptiveAveragePooling3D(2).output_size == (2, 2, 2)


def test_errors():
    with pytest.raises(TypeError, match="output_size"):
        layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(TypeError, match="output_size"):
        layers.AdaptiveMaxPooling1D("3")
    with pytest.raises(ValueError, match="data_format"):
        layers.AdaptiveMaxPooling1D(3, data_format="channels_middle")
    with pytest.raises(ValueError, match="rank 4"):
        layers.AdaptiveAveragePooling2D(2)(np.ones((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match="adaptive_max_pool.*rank 3, 4 or 5"):
        ops.adaptive_max_pool(np.ones((2, 3), "float32"), 2)
    with pytest.raises(ValueError, match="output_size"):
        ops.adaptive_average_pool(np.ones((1, 4, 4, 1), "float32"), (2, 2, 2))
