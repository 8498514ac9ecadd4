"""convert_to_tensor on the arrays Keras hands out."""

import numpy as np
import pytest
import torch

import cornu
from cornu import ops

pytestmark = pytest.mark.backends("torch")  # conversion to torch tensors


def test_bfloat16_numpy_arrays_from_keras_become_tensors(keras):
    layer = keras.layers.Dense(2, dtype="bfloat16")
    layer.build((None, 3))
    kernel, bias = layer.get_weights()  # ml_dtypes bfloat16 arrays
    tensor = ops.convert_to_tensor(kernel)
    assert tensor.dtype == torch.bfloat16
    np.testing.assert_array_equal(ops.convert_to_numpy(tensor), kernel.astype("float32"))
    assert ops.convert_to_tensor(kernel[0, 0]).shape == ()
    ours = cornu.layers.Dense(2, dtype="bfloat16")
    ours.build((None, 3))
    ours.set_weights([kernel, bias])
    np.testing.assert_array_equal(ours.get_weights()[0], kernel.astype("float32"))
