"""StringLookup and IntegerLookup. Keras's lookup layers need TensorFlow, which is not
installed, so the expected values are Keras's documented examples and numbers derived from
its rules (vocabulary by count, ties by decreasing term; TensorFlow's FarmHash buckets)."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

from cornu import layers, ops
from cornu.layers.preprocessing import farmhash

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
DATA4 = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
INT_VOCAB = [12, 36, 1138, 42]
INT_DATA4 = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])


def _np(x):
    return ops.convert_to_numpy(x)


def test_string_lookup_documented_examples():
    out = layers.StringLookup(vocabulary=VOCAB)(DATA)
    assert ops.is_tensor(out) and ops.dtype(out) == backend_dtype("int64")
    np.testing.assert_array_equal(_np(out), [[1, 3, 4], [4, 0, 2]])
    layer = layers.StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    np.testing.assert_array_equal(_np(layer(DATA)), [[5, 3, 1], [1, 2, 4]])
    two_oov = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    np.testing.assert_array_equal(
        _np(two_oov([["a", "c", "d"], ["m", "z", "b"]])), [[2, 4, 5], [0, 1, 3]]
    )
    one_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")
    np.testing.assert_array_equal(
        _np(one_hot(["a", "b", "c", "d", "z"])), np.eye(5)[[1, 2, 3, 4, 0]]
    )
    multi = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")
    np.testing.assert_array_equal(_np(multi(DATA4)), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = layers.StringLookup(vocabulary=VOCAB, output_mode="count")
    np.testing.assert_array_equal(_np(count(DATA4)), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])


def test_tf_idf_with_given_weights():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    expected = [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]]  # OOV weight: the mean
    out = layer(DATA4)
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(_np(out), expected, atol=1e-6)
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(["[UNK]"] + VOCAB, idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(_np(layer(DATA4))[1, 0], 1.8, atol=1e-6)
    ints = layers.IntegerLookup(
        output_mode="tf_idf", vocabulary=INT_VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4]
    )
    np.testing.assert_allclose(_np(ints(INT_DATA4)), expected, atol=1e-6)


def test_tf_idf_adapted():
    docs = [["a", "b", "a"], ["b", "c", "c"], ["b", "d", "e"]]
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt(iter([np.array(d) for d in docs]))  # each 1-D batch is one document
    # Counts: b 3, a 2, c 2, d 1, e 1 -> b, c, a, e, d (ties by decreasing term).
    assert layer.get_vocabulary() == ["[UNK]", "b", "c", "a", "e", "d"]
    documents = np.array([3, 1, 1, 1, 1])
    idf = np.log(1 + 3 / (1 + documents))
    np.testing.assert_allclose(layer.idf_weights, np.r_[idf.mean(), idf], rtol=1e-6)
    np.testing.assert_allclose(
        _np(layer(["a", "a", "z"])), np.r_[idf.mean(), 0, 0, 2 * idf[2], 0, 0], rtol=1e-6
    )


def test_integer_lookup_documented_examples():
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    np.testing.assert_array_equal(
        _np(layers.IntegerLookup(vocabulary=INT_VOCAB)(data)), [[1, 3, 4], [4, 0, 2]]
    )
    layer = layers.IntegerLookup()
    layer.adapt(data)
    assert layer.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    np.testing.assert_array_equal(_np(layer(data)), [[5, 2, 1], [1, 3, 4]])
    two_oov = layers.IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=2)
    np.testing.assert_array_equal(
        _np(two_oov(np.array([[12, 1138, 42], [37, 1000, 36]]))), [[2, 4, 5], [1, 0, 3]]
    )
    values = np.array([100, 300, 700, 1100, 1700, 2000])
    floormod = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4)
    np.testing.assert_array_equal(_np(floormod(values)), [0] * 6)
    hashed = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="farmhash")
    np.testing.assert_array_equal(_np(hashed(values)), [3, 3, 2, 2, 0, 1])
    multi = layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="multi_hot")
    np.testing.assert_array_equal(_np(multi(INT_DATA4)), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="count")
    np.testing.assert_array_equal(
        _np(count(ops.convert_to_tensor(INT_DATA4))), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]
    )


def test_inverse_lookups():
    indices = [[1, 3, 4], [4, 0, 2]]
    strings = layers.StringLookup(vocabulary=VOCAB, invert=True)(indices)
    assert isinstance(strings, np.ndarray)
    assert strings.tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    forward = layers.StringLookup(vocabulary=VOCAB)
    backward = layers.StringLookup(vocabulary=forward.get_vocabulary(), invert=True)
    assert backward(forward(DATA)).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    ints = layers.IntegerLookup(vocabulary=INT_VOCAB, invert=True)(np.array(indices))
    np.testing.assert_array_equal(_np(ints), [[12, 1138, 42], [42, -1, 36]])
    masked = layers.StringLookup(vocabulary=VOCAB, mask_token="[MASK]", invert=True)
    assert masked([0, 1, 2, 9]).tolist() == ["[MASK]", "[UNK]", "a", "[UNK]"]


def test_mask_token_and_special_tokens_in_the_vocabulary():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    assert layer.get_vocabulary(include_special_tokens=False) == VOCAB
    np.testing.assert_array_equal(_np(layer([["a", "", "q"]])), [[2, 0, 1]])
    # A vocabulary may start with the special tokens, in the layer's order.
    same = layers.StringLookup(vocabulary=["", "[UNK]"] + VOCAB, mask_token="")
    assert same.vocabulary_size() == 6
    # Outside "int" mode the mask token has no index and is dropped.
    multi = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    np.testing.assert_array_equal(_np(multi([["", "a"]])), [[0, 1, 0, 0, 0]])
    ints = layers.IntegerLookup(vocabulary=INT_VOCAB, mask_token=0)
    np.testing.assert_array_equal(_np(ints(np.array([12, 0, 5]))), [2, 0, 1])


def test_adapt_orders_by_count_then_term_and_cuts_to_max_tokens():
    data = np.array(["x", "y", "y", "z", "z", "w", "b", "a"])
    layer = layers.StringLookup(max_tokens=4)
    layer.adapt(data)
    assert layer.get_vocabulary() == ["[UNK]", "z", "y", "x"]
    ints = layers.IntegerLookup(mask_token=0, max_tokens=5)
    ints.adapt(np.array([[5, 5, 0, 0, 0, 9], [1, 9, 2, -1, 3, 3]]))  # 0 and -1 not learned
    assert ints.get_vocabulary() == [0, -1, 9, 5, 3]
    bytes_layer = layers.StringLookup(vocabulary=VOCAB)
    np.testing.assert_array_equal(_np(bytes_layer(np.array([b"c", b"a"]))), [3, 1])
    np.testing.assert_array_equal(_np(bytes_layer("d")), 4)


def test_vocabulary_file_and_config_round_trip(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\nd\n", encoding="utf-8")
    layer = layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]"] + VOCAB
    given = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="count")
    config = given.get_config()
    assert config["vocabulary"] == VOCAB and config["vocabulary_size"] == 5
    assert "vocabulary_dtype" not in config and config["encoding"] == "utf-8"
    clone = layers.StringLookup.from_config(config)
    np.testing.assert_array_equal(_np(clone(DATA4)), _np(given(DATA4)))
    int_config = layers.IntegerLookup(vocabulary=np.array(INT_VOCAB), oov_token=-7).get_config()
    assert int_config["vocabulary"] == INT_VOCAB and int_config["oov_token"] == -7
    assert layers.IntegerLookup.from_config(int_config).get_vocabulary() == [-7] + INT_VOCAB


def test_symbolic_integer_lookup_in_a_saved_model(tmp_path):
    import cornu

    inputs = layers.Input((3,), dtype="int64")
    layer = layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="multi_hot")
    out = layer(inputs)
    assert tuple(out.shape) == (None, 5) and out.dtype == "int64"
    model = cornu.Model(inputs, out)
    model.save(tmp_path / "lookup.keras")
    again = cornu.saving.load_model(tmp_path / "lookup.keras")
    data = np.array([[12, 7, 42]])
    np.testing.assert_array_equal(_np(again(data)), [[1, 1, 0, 0, 1]])


def test_farmhash_fingerprint_known_values():
    # TensorFlow's to_hash_bucket_fast(["m", "z"], 2) is [0, 1] (Keras's documented example).
    assert [farmhash.fingerprint64(s) % 2 for s in (b"m", b"z")] == [0, 1]
    assert farmhash.fingerprint64(b"") == 0x9AE16A3B2F90404F
    # Each length branch, against Google's C++ FarmHash (the pyfarmhash bindings).
    known = {
        5: 0xB4BFA9E87732C149,
        12: 0x9FD5DF33AEFC3D7D,
        20: 0x8DD7E7F1BF16A0E9,
        40: 0x08F45B937B49468C,
        100: 0x3CFF0F886D8D6195,
        300: 0x466E14BA9CECE0F5,
    }
    for n, value in known.items():
        assert farmhash.fingerprint64(bytes(i % 251 for i in range(n))) == value


def test_errors():
    with pytest.raises(ValueError, match=r"`max_tokens` must be greater than 1"):
        layers.StringLookup(max_tokens=1)
    with pytest.raises(ValueError, match=r"`output_mode` must be `'int'` when `invert`"):
        layers.StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match=r"`output_mode`.*Received: output_mode='bad'"):
        layers.StringLookup(output_mode="bad")
    with pytest.raises(ValueError, match=r"repeated term.*\['a'\]"):
        layers.StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(ValueError, match=r"reserved mask token.*vocabulary index 2"):
        layers.StringLookup(vocabulary=["a", "b", ""], mask_token="")
    with pytest.raises(ValueError, match=r"vocabulary size is 5; `max_tokens` is 3"):
        layers.StringLookup(vocabulary=VOCAB, max_tokens=3)
    with pytest.raises(ValueError, match=r"'sl'.*`num_oov_indices=0`.*\['z'\]"):
        layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0, name="sl")(DATA)
    with pytest.raises(ValueError, match=r"Cannot adapt layer 'sl2' after setting a static"):
        layers.StringLookup(vocabulary=VOCAB, name="sl2").adapt(DATA)
    with pytest.raises(RuntimeError, match=r"must set the layer's vocabulary before calling"):
        layers.StringLookup(output_mode="multi_hot")(DATA)
    with pytest.raises(ValueError, match=r"the `idf_weights` argument must also be provided"):
        layers.StringLookup(vocabulary=VOCAB, output_mode="tf_idf")
    with pytest.raises(TypeError, match=r"StringLookup 'sl3' expects strings"):
        layers.StringLookup(vocabulary=VOCAB, name="sl3")(np.array([1, 2]))
    with pytest.raises(ValueError, match=r"Only `vocabulary_dtype='int64'`"):
        layers.IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(ValueError, match=r"Vocabulary file .*missing.txt does not exist"):
        layers.StringLookup(vocabulary="missing.txt")
