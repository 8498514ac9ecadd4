"""TextVectorization. Keras's layer needs TensorFlow, which is not installed: the expected
values are Keras's documented examples and the values of its own tests."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

from cornu import layers, ops


def _np(x):
    return ops.convert_to_numpy(x)


def test_documented_examples():
    layer = layers.TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    out = layer([["foo qux bar"], ["qux baz"]])
    assert ops.dtype(out) == backend_dtype("int64")
    np.testing.assert_array_equal(_np(out), [[4, 1, 3, 0], [1, 2, 0, 0]])
    given = layers.TextVectorization(
        max_tokens=5000, output_sequence_length=4, vocabulary=["earth", "wind", "and", "fire"]
    )
    assert given.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]
    assert given.vocabulary_size() == 6


def test_sequences_padded_to_the_longest_or_cut():
    layer = layers.TextVectorization(vocabulary=["foo", "bar", "baz"])
    np.testing.assert_array_equal(
        _np(layer(np.array(["foo qux bar", "qux baz", "foo", ""]))),
        [[2, 1, 3], [1, 4, 0], [2, 0, 0], [0, 0, 0]],
    )
    short = layers.TextVectorization(vocabulary=["foo", "bar", "baz"], output_sequence_length=2)
    np.testing.assert_array_equal(_np(short(["foo qux bar", "baz"])), [[2, 1], [4, 0]])


def test_standardization_and_splitting_as_keras_tests():
    sentence = ["Hello, World!. This is just a nice test!"]
    vocab = ["hello", "world", "this", "is", "nice", "test"]
    np.testing.assert_array_equal(
        _np(layers.TextVectorization(vocabulary=vocab)(sentence)), [[2, 3, 4, 5, 1, 1, 6, 7]]
    )
    lower = layers.TextVectorization(
        standardize="lower", vocabulary=["hello,", "hello", "world", "this", "is", "nice", "test"]
    )
    np.testing.assert_array_equal(_np(lower(sentence)), [[2, 1, 5, 6, 1, 1, 7, 1]])
    strip = layers.TextVectorization(
        standardize="strip_punctuation", vocabulary=["Hello", "World", "Test"]
    )
    np.testing.assert_array_equal(_np(strip(["Hello, World! Test."])), [[2, 3, 4]])
    none = layers.TextVectorization(standardize=None, vocabulary=["Hello", "world"])
    np.testing.assert_array_equal(_np(none(["Hello hello"])), [[2, 1]])
    chars = layers.TextVectorization(split="character", vocabulary=list("abcde"))
    np.testing.assert_array_equal(_np(chars(["abcf"])), [[2, 3, 4, 1]])
    custom = layers.TextVectorization(
        split=lambda text: [s.split("|") for s in text], vocabulary=["foo", "bar", "foobar"]
    )
    # "|" is punctuation: stripped before the split, which then finds "foobar" (Keras's test).
    np.testing.assert_array_equal(_np(custom(["foo|bar"])), [[4]])
    custom = layers.TextVectorization(
        standardize=None, split=lambda text: [s.split("|") for s in text], vocabulary=["a", "b"]
    )
    np.testing.assert_array_equal(_np(custom(["b|a|c", "a"])), [[3, 2, 1], [2, 0, 0]])
    whole = layers.TextVectorization(split=None, vocabulary=["foo", "bar", "baz"])
    np.testing.assert_array_equal(_np(whole([["foo"], ["bar"], ["unknown"]])), [[2], [3], [1]])


def test_tensorflow_standardization_details():
    # Only ASCII letters are lowercased and only ASCII punctuation removed (as tf.strings).
    layer = layers.TextVectorization(standardize="lower_and_strip_punctuation", split=None)
    layer.adapt(["ÉTÉ Ab-C’d\u00a0x"])
    assert layer.get_vocabulary(include_special_tokens=False) == ["ÉtÉ abc’d\u00a0x"]
    spaces = layers.TextVectorization()
    spaces.adapt(["  a \t b\n\nc  "])
    assert sorted(spaces.get_vocabulary(include_special_tokens=False)) == ["a", "b", "c"]


def test_numpy_standardize_callable_receives_unicode_arrays():
    seen = []

    def standardize(text):
        seen.append(text.dtype.kind)
        return np.char.replace(np.char.lower(text), ",", "")

    layer = layers.TextVectorization(standardize=standardize)
    layer.adapt(["Hello, world."])
    assert seen and set(seen) == {"U"}
    assert set(layer.get_vocabulary()) == {"", "[UNK]", "hello", "world."}


def test_ngrams():
    layer = layers.TextVectorization(ngrams=2)
    layer.adapt(["foo bar baz"])
    assert {"foo bar", "bar baz", "foo", "bar", "baz"} == set(
        layer.get_vocabulary(include_special_tokens=False)
    )
    tri = layers.TextVectorization(ngrams=(1, 3), vocabulary=["foo", "bar", "baz", "foo bar baz"])
    np.testing.assert_array_equal(_np(tri(["foo bar baz"])), [[2, 3, 4, 5]])


def test_encoded_output_modes():
    multi = layers.TextVectorization(output_mode="multi_hot", vocabulary=["foo", "bar", "baz"])
    np.testing.assert_array_equal(
        _np(multi(["foo bar", "baz foo foo"])), [[0, 1, 1, 0], [0, 1, 0, 1]]
    )
    count = layers.TextVectorization(output_mode="count", vocabulary=["foo", "bar", "baz"])
    np.testing.assert_array_equal(
        _np(count(["foo bar", "baz foo foo"])), [[0, 1, 1, 0], [0, 2, 0, 1]]
    )
    tf_idf = layers.TextVectorization(
        output_mode="tf_idf", vocabulary=["foo", "bar", "baz"], idf_weights=[0.3, 0.5, 0.2]
    )
    np.testing.assert_allclose(
        _np(tf_idf(["foo bar", "baz foo foo"])), [[0, 0.3, 0.5, 0], [0, 0.6, 0, 0.2]], atol=1e-6
    )
    padded = layers.TextVectorization(
        output_mode="multi_hot", max_tokens=6, pad_to_max_tokens=True, vocabulary=["a", "b"]
    )
    assert tuple(padded(["a c"]).shape) == (1, 6)


def test_adapted_tf_idf_and_max_tokens():
    layer = layers.TextVectorization(max_tokens=4, output_mode="tf_idf")
    layer.adapt(["a b a", "b c", "b d e"])
    # b: 3 times in 3 documents; a: 2 in 1; then c, d, e once each: e is kept (ties by term).
    assert layer.get_vocabulary() == ["[UNK]", "b", "a", "e"]
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))
    np.testing.assert_allclose(_np(layer(["a a x"])), [[idf.mean(), 0, 2 * idf[1], 0]], rtol=1e-6)
    ints = layers.TextVectorization(max_tokens=4)
    ints.adapt(["a b a", "b c", "b d e"])
    assert ints.get_vocabulary() == ["", "[UNK]", "b", "a"]


def test_adapt_on_batches_and_config_round_trip():
    layer = layers.TextVectorization(output_sequence_length=3, ngrams=(1, 2))
    layer.adapt(iter([np.array(["a b", "b"]), np.array(["c b"])]))
    assert layer.get_vocabulary()[:3] == ["", "[UNK]", "b"]
    config = layer.get_config()
    assert config["vocabulary_size"] == layer.vocabulary_size() and config["ngrams"] == (1, 2)
    given = layers.TextVectorization(vocabulary=["x", "y"], output_sequence_length=2)
    clone = layers.TextVectorization.from_config(given.get_config())
    np.testing.assert_array_equal(_np(clone(["y z x"])), [[3, 1]])


def test_errors():
    with pytest.raises(ValueError, match=r"`standardize` argument.*'upper'"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match=r"`split` argument.*'comma'"):
        layers.TextVectorization(split="comma")
    with pytest.raises(ValueError, match=r"`ngrams` must be None, an integer"):
        layers.TextVectorization(ngrams="invalid")
    with pytest.raises(ValueError, match=r"`output_sequence_length` must not be set"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match=r"`ragged=True` can only be used with the TensorFlow"):
        layers.TextVectorization(ragged=True)
    layer = layers.TextVectorization(vocabulary=["a"], name="tv")
    with pytest.raises(ValueError, match=r"'tv'.*last shape dimension must be 1.*\(1, 2\)"):
        layer([["a b", "c"]])
    with pytest.raises(TypeError, match=r"'tv' expects strings"):
        layer(ops.ones((2,)))
