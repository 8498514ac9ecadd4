"""to_categorical and normalize, against Keras's values."""

import numpy as np
import pytest

from cornu.backend import convert_to_numpy, convert_to_tensor, is_tensor
from cornu.utils import normalize, to_categorical


def test_to_categorical_basic_and_dtype():
    out = to_categorical([0, 1, 2, 3], num_classes=4)
    np.testing.assert_array_equal(out, np.eye(4))
    assert out.dtype == np.float32


def test_to_categorical_infers_classes_and_drops_trailing_1(keras):
    labels = np.array([[1], [2], [0]])
    out = to_categorical(labels)
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out, keras.utils.to_categorical(labels))
    assert to_categorical(np.zeros((2, 5), "int32"), 3).shape == (2, 5, 3)
    assert to_categorical(2, 4).tolist() == [0, 0, 1, 0]


def test_to_categorical_accepts_integral_floats_and_tensors():
    np.testing.assert_array_equal(to_categorical(np.array([1.0, 0.0])), [[0, 1], [1, 0]])
    out = to_categorical(convert_to_tensor(np.array([2, 0])), 3)
    assert is_tensor(out)
    np.testing.assert_array_equal(convert_to_numpy(out), [[0, 0, 1], [1, 0, 0]])


def test_to_categorical_errors():
    with pytest.raises(ValueError, match="label 3.*num_classes=3"):
        to_categorical([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="negative"):
        to_categorical([0, -1])
    with pytest.raises(ValueError, match="non-integer"):
        to_categorical([0.5, 1.0])
    with pytest.raises(TypeError, match="integer class labels"):
        to_categorical(["a", "b"])


def test_normalize_matches_keras(keras):
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    for order in (1, 2, np.inf):
        np.testing.assert_allclose(normalize(x, order=order), keras.utils.normalize(x, order=order))
    one_d = np.array([3.0, 4.0])
    np.testing.assert_allclose(normalize(one_d), keras.utils.normalize(one_d))
    assert normalize(one_d).shape == (1, 2)


def test_normalize_axis_0_and_tensors():
    x = np.array([[3.0, 0.0], [4.0, 0.0]])
    np.testing.assert_allclose(normalize(x, axis=0), [[0.6, 0.0], [0.8, 0.0]])
    out = normalize(convert_to_tensor(x.astype("float32")), axis=0)
    assert is_tensor(out)
    np.testing.assert_allclose(convert_to_numpy(out), [[0.6, 0.0], [0.8, 0.0]], rtol=1e-6)
