"""pad_sequences against Keras's: values, dtypes, strings, item shapes and errors."""

import numpy as np
import pytest

from cornu.utils import pad_sequences

SEQUENCES = [[1], [2, 3], [4, 5, 6], [], [7, 8, 9, 10]]


def _same(keras, *args, **kwargs):
    expected = keras.utils.pad_sequences(*args, **kwargs)
    got = pad_sequences(*args, **kwargs)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    return got


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 2, 6])
def test_same_as_keras(keras, padding, truncating, maxlen):
    _same(keras, SEQUENCES, maxlen=maxlen, padding=padding, truncating=truncating)
    _same(keras, SEQUENCES, maxlen=maxlen, padding=padding, truncating=truncating, value=-1)


def test_documented_examples():
    sequences = [[1], [2, 3], [4, 5, 6]]
    np.testing.assert_array_equal(pad_sequences(sequences), [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(
        pad_sequences(sequences, padding="post"), [[1, 0, 0], [2, 3, 0], [4, 5, 6]]
    )
    np.testing.assert_array_equal(pad_sequences(sequences, maxlen=2), [[0, 1], [2, 3], [5, 6]])
    assert pad_sequences(sequences).dtype == np.int32


def test_dtypes_strings_and_item_shapes(keras):
    _same(keras, [[0.5, 1.5], [2.5]], dtype="float32", value=0.25)
    _same(keras, [np.array([1, 2]), (3,)], dtype="int64")
    _same(keras, [["a", "bb"], ["ccc"]], dtype=object, value="")
    _same(keras, [["a", "bb"], ["ccc"]], dtype="<U3", value="-")
    _same(keras, [[[1, 2], [3, 4]], [[5, 6]]], maxlen=3)  # items of shape (2,)
    _same(keras, [[], [1, 2]], padding="post")


def test_errors_as_keras():
    with pytest.raises(ValueError, match="`sequences` must be iterable"):
        pad_sequences(5)
    with pytest.raises(ValueError, match="must be a list of iterables. Found non-iterable: 3"):
        pad_sequences([[1], 3])
    with pytest.raises(ValueError, match="`dtype` int32 is not compatible with `value`'s type"):
        pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match='Truncating type "middle" not understood'):
        pad_sequences([[1, 2]], truncating="middle")
    with pytest.raises(ValueError, match='Padding type "both" not understood'):
        pad_sequences([[1, 2]], padding="both")
    with pytest.raises(ValueError, match=r"Shape of sample \(3,\) of sequence at position 1"):
        pad_sequences([[[1, 2]], [[1, 2, 3]]])
