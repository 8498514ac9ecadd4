"""CategoryEncoding, Discretization, Hashing and HashedCrossing: against the real Keras where
it runs them (Hashing and HashedCrossing need TensorFlow there: against the values Keras's
own tests and docstrings give)."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

import cornu
from cornu import layers
from cornu.testing import run_layer_test

# ---- CategoryEncoding ----------------------------------------------------------------------


@pytest.mark.parametrize("output_mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize(
    "inputs", [np.array([1, 0, 3]), np.array([[1], [3], [0]]), np.array([[1, 2, 2], [0, 3, 1]])]
)
def test_category_encoding_matches_keras(oracle, keras, output_mode, inputs):
    ours = layers.CategoryEncoding(num_tokens=5, output_mode=output_mode)
    theirs = keras.layers.CategoryEncoding(num_tokens=5, output_mode=output_mode)
    out = oracle.layer(ours, theirs, inputs)
    assert out.shape == ours.compute_output_shape(inputs.shape)


def test_category_encoding_count_weights_and_config(oracle, keras):
    x, w = np.array([[1, 2, 2], [0, 3, 1]]), np.array([[0.5, 1.0, 2.0], [1.0, 1.0, 3.0]])
    ours = layers.CategoryEncoding(4, output_mode="count")
    theirs = keras.layers.CategoryEncoding(4, output_mode="count")
    oracle.values(ours(x, count_weights=w), theirs(x, count_weights=w))
    config = {k: v for k, v in ours.get_config().items() if k != "dtype"}
    expected = {k: v for k, v in theirs.get_config().items() if k != "dtype"}
    assert sorted(config) == sorted(expected)
    run_layer_test(
        layers.CategoryEncoding,
        {"num_tokens": 4, "output_mode": "multi_hot"},
        input_data=np.array([[0, 1], [3, 3]]),
        expected_output=[[1, 1, 0, 0], [0, 0, 0, 1]],
    )


def test_category_encoding_errors():
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="`num_tokens` must be >= 1"):
        layers.CategoryEncoding(0)
    with pytest.raises(ValueError, match="Unknown arg for output_mode: tf_idf"):
        layers.CategoryEncoding(3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        layers.CategoryEncoding(3)(np.array([[1]]), count_weights=np.array([[1.0]]))
    with pytest.raises(
        ValueError, match=r"0 <= values < num_tokens=3. Received values from 0 to 5"
    ):
        layers.CategoryEncoding(3)(np.array([[0, 5]]))


# ---- Discretization ------------------------------------------------------------------------


@pytest.mark.parametrize("output_mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_with_boundaries_matches_keras(oracle, keras, output_mode):
    x = np.array([[-1.5, 0.0, 0.2], [1.0, 2.5, 1.0]], dtype="float32")
    kwargs = dict(bin_boundaries=[0.0, 1.0, 2.0], output_mode=output_mode)
    out = oracle.layer(layers.Discretization(**kwargs), keras.layers.Discretization(**kwargs), x)
    if output_mode == "int":
        assert out.tolist() == [[0, 1, 1], [2, 3, 2]]


@pytest.mark.parametrize("num_bins, epsilon", [(4, 0.01), (3, 0.1), (7, 0.001)])
def test_discretization_adapt_matches_keras(keras, num_bins, epsilon):
    data = np.random.default_rng(0).normal(size=(300, 2)).astype("float32")
    ours = layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    theirs = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)

    def keras_adapt(batches):  # Keras's adapt() looks for tf.data first: run its steps
        theirs.reset_state()
        for batch in batches:
            theirs.update_state(batch)
        theirs.finalize_state()

    ours.adapt(data)
    keras_adapt([data])
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    batches = [data[:100], data[100:250], data[250:]]
    ours.adapt(batches)
    keras_adapt(batches)
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    np.testing.assert_array_equal(
        cornu.ops.convert_to_numpy(ours(data)), keras.ops.convert_to_numpy(theirs(data))
    )
    assert ours.get_config() == {**theirs.get_config(), "name": ours.name}
    clone = layers.Discretization.from_config(ours.get_config())
    assert clone.bin_boundaries == ours.bin_boundaries


def test_discretization_layer_test_and_errors():
    run_layer_test(
        layers.Discretization,
        {"bin_boundaries": [0.0, 1.0], "output_mode": "one_hot"},
        input_data=np.array([[-1.0], [0.5], [3.0]], dtype="float32"),
        expected_output=[[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    )
    with pytest.raises(ValueError, match="You need to set either `num_bins` or `bin_boundaries`"):
        layers.Discretization()
    with pytest.raises(ValueError, match="Both `num_bins` and `bin_boundaries` should not be set"):
        layers.Discretization(bin_boundaries=[1.0], num_bins=2)
    with pytest.raises(ValueError, match="`num_bins` must be greater than or equal to 0"):
        layers.Discretization(num_bins=-1)
    with pytest.raises(ValueError, match="Cannot adapt a Discretization layer"):
        layers.Discretization(bin_boundaries=[1.0]).adapt(np.ones(3))
    with pytest.raises(ValueError, match="call `adapt\\(dataset\\)` before"):
        layers.Discretization(num_bins=3)(np.ones(3))
    with pytest.raises(ValueError, match="Unknown value for `output_mode`"):
        layers.Discretization(num_bins=3, output_mode="tf_idf")


# ---- Hashing ---------------------------------------------------------------------------------

LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]
NAMES = [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]]


@pytest.mark.parametrize(
    "kwargs, inputs, expected",
    [  # values from Keras's hashing_test.py and the Hashing docstring (computed by TensorFlow)
        (dict(num_bins=3), LETTERS, [[1], [0], [1], [1], [2]]),
        (
            dict(num_bins=3, mask_value=""),
            [["A"], ["B"], [""], ["C"], ["D"]],
            [[1], [1], [0], [2], [2]],
        ),
        (dict(num_bins=3, salt=[133, 137]), LETTERS, [[1], [2], [1], [0], [2]]),
        (dict(num_bins=3, salt=133), LETTERS, [[0], [0], [2], [1], [0]]),
        (dict(num_bins=1), LETTERS, [[0]] * 5),
        (dict(num_bins=2), NAMES, [[0], [0], [1], [0], [0]]),
        (dict(num_bins=3, mask_value=""), NAMES, [[1], [1], [2], [1], [1]]),
        (dict(num_bins=3, mask_value="omar"), NAMES, [[0], [1], [2], [1], [1]]),
        (dict(num_bins=3), np.array([[0], [1], [2], [3], [4]]), [[1], [0], [1], [0], [2]]),
        (dict(num_bins=2, salt=[133, 137]), NAMES, [[0], [1], [0], [1], [0]]),
        (dict(num_bins=2, salt=[211, 137]), NAMES, [[1], [0], [1], [0], [1]]),
        (
            dict(num_bins=3, salt=[133, 137]),
            np.array([[0], [1], [2], [3], [4]]),
            [[1], [1], [2], [0], [1]],
        ),
    ],
)
def test_hashing_gives_keras_bins(kwargs, inputs, expected):
    out = layers.Hashing(**kwargs)(inputs)
    assert cornu.backend.standardize_dtype(out.dtype) == backend_dtype("int64")
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(out), expected)


def test_hashing_inputs_of_any_kind_and_encodings():
    layer = layers.Hashing(num_bins=3)
    expected = [1, 0, 1, 1, 2]
    for inputs in (
        ["A", "B", "C", "D", "E"],
        np.array(["A", "B", "C", "D", "E"]),
        np.array([b"A", b"B", b"C", b"D", b"E"], dtype=object),
    ):
        np.testing.assert_array_equal(cornu.ops.convert_to_numpy(layer(inputs)), expected)
    ints = cornu.ops.convert_to_tensor(np.array([[0], [1], [2], [3], [4]]))
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(layer(ints)).ravel(), [1, 0, 1, 0, 2])
    floats = np.array([[0.7], [1.2], [2.9], [3.0], [4.5]])  # truncated to int64 first
    np.testing.assert_array_equal(
        cornu.ops.convert_to_numpy(layer(floats)).ravel(), [1, 0, 1, 0, 2]
    )
    one_hot = layers.Hashing(num_bins=3, output_mode="one_hot")(LETTERS)
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(one_hot), np.eye(3)[expected])
    multi = layers.Hashing(num_bins=3, output_mode="multi_hot")([["A", "B"], ["C", "E"]])
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(multi), [[1, 1, 0], [0, 1, 1]])
    count = layers.Hashing(num_bins=3, output_mode="count")([["A", "C"], ["B", "B"]])
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(count), [[0, 2, 0], [2, 0, 0]])
    assert cornu.backend.standardize_dtype(count.dtype) == "float32"
    run_layer_test(
        layers.Hashing,
        {"num_bins": 3},
        input_data=np.array([[0], [1], [2], [3], [4]]),
        expected_output=[[1], [0], [1], [0], [2]],
        run_training_check=False,
    )


def test_hashing_config_matches_keras(keras):
    theirs = {  # Keras's Hashing needs TensorFlow to be built: its get_config keys
        "name",
        "trainable",
        "dtype",
        "num_bins",
        "salt",
        "mask_value",
        "output_mode",
        "sparse",
    }
    layer = layers.Hashing(num_bins=4, salt=7, mask_value="")
    config = layer.get_config()
    assert set(config) == theirs and config["salt"] == [7, 7]
    assert layers.Hashing.from_config(config).get_config() == config


def test_hashing_errors():
    with pytest.raises(ValueError, match="cannot be `None` or non-positive"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="can only be a tuple of size 2 integers"):
        layers.Hashing(num_bins=3, salt="pepper")
    with pytest.raises(ValueError, match="Invalid value for argument `output_mode`"):
        layers.Hashing(num_bins=3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="`dtype` should be an integer type"):
        layers.Hashing(num_bins=3, dtype="float32")


# ---- HashedCrossing --------------------------------------------------------------------------


def test_hashed_crossing_gives_keras_bins():
    feat1 = np.array(["A", "B", "A", "B", "A"])
    feat2 = np.array([101, 101, 101, 102, 102])
    out = layers.HashedCrossing(num_bins=5)((feat1, feat2))
    assert cornu.backend.standardize_dtype(out.dtype) == backend_dtype("int64")
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(out), [1, 4, 1, 1, 3])
    one_hot = layers.HashedCrossing(num_bins=5, output_mode="one_hot")((feat1, feat2))
    assert cornu.backend.standardize_dtype(one_hot.dtype) == "float32"
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(one_hot), np.eye(5)[[1, 4, 1, 1, 3]])
    column = layers.HashedCrossing(num_bins=5)((feat1[:, None], feat2[:, None]))
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(column), [[1], [4], [1], [1], [3]])
    scalar = layers.HashedCrossing(num_bins=5)(("A", 101))
    assert int(cornu.ops.convert_to_numpy(scalar)) == 1


def test_hashed_crossing_config_and_errors(keras):
    layer = layers.HashedCrossing(num_bins=5, name="cross")
    assert layer.get_config() == {
        "num_bins": 5,
        "output_mode": "int",
        "sparse": False,
        "name": "cross",
        "dtype": "int64",
    }
    assert layers.HashedCrossing.from_config(layer.get_config()).num_bins == 5
    with pytest.raises(ValueError, match="should be called on a list or tuple of inputs"):
        layer(np.array([1, 2]))
    with pytest.raises(ValueError, match="should be called on at least two inputs"):
        layer([np.array([1, 2])])
    with pytest.raises(ValueError, match="should have equal shape"):
        layer((np.array([1, 2]), np.array([1, 2, 3])))
    with pytest.raises(ValueError, match=r"should have shape `\(\)`, `\(batch_size\)`"):
        layer((np.ones((2, 3), "int64"), np.ones((2, 3), "int64")))
    with pytest.raises(ValueError, match="should have an integer or string dtype"):
        layer((np.array([1.5, 2.0]), np.array([1, 2])))
    with pytest.raises(ValueError, match="Unknown value for `output_mode`"):
        layers.HashedCrossing(num_bins=5, output_mode="multi_hot")


def test_structured_layers_in_a_saved_model(tmp_path):
    inputs = cornu.Input((3,))
    x = layers.Discretization(bin_boundaries=[-0.5, 0.5], output_mode="count")(inputs)
    x = layers.Dense(2)(x)
    model = cornu.Model(inputs, x)
    data = np.array([[-1.0, 0.0, 1.0], [2.0, 2.0, 0.1]], dtype="float32")
    model.save(tmp_path / "m.keras")
    loaded = cornu.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        cornu.ops.convert_to_numpy(loaded(data)), cornu.ops.convert_to_numpy(model(data))
    )
    codes = cornu.Input((2,), dtype="int32")
    model = cornu.Model(codes, layers.CategoryEncoding(4, output_mode="multi_hot")(codes))
    model.save(tmp_path / "c.keras")
    loaded = cornu.saving.load_model(tmp_path / "c.keras")
    np.testing.assert_array_equal(
        cornu.ops.convert_to_numpy(loaded(np.array([[0, 3]]))), [[1, 0, 0, 1]]
    )
