"""timeseries_dataset_from_array and split_dataset, against Keras's documented semantics
(Keras's own timeseries dataset needs TensorFlow)."""

import numpy as np
import pytest

import cornu
from cornu.utils import split_dataset, timeseries_dataset_from_array


def _all(ds):
    batches = [ds[i] for i in range(len(ds))]
    if isinstance(batches[0], tuple):
        return tuple(np.concatenate(part) for part in zip(*batches))
    return np.concatenate(batches)


def test_windows_follow_keras_documented_example():
    # Keras's docstring: data [0..99], sequence_length=10, sampling_rate=2 -> first
    # window [0, 2, ..., 18], target 10 steps later.
    data = np.arange(100)
    ds = timeseries_dataset_from_array(
        data[:-10], data[10:], sequence_length=10, sampling_rate=2, batch_size=32
    )
    x, y = ds[0]
    assert x.shape == (32, 10) and x.dtype == data.dtype
    np.testing.assert_array_equal(x[0], np.arange(0, 20, 2))
    assert y[0] == 10
    x, y = _all(ds)
    assert len(x) == 90 - 9 * 2 and x[-1, -1] == 89


def test_stride_start_end_and_unbatched():
    data = np.arange(50, dtype="float32").reshape(25, 2)
    ds = timeseries_dataset_from_array(
        data,
        None,
        sequence_length=4,
        sequence_stride=3,
        start_index=2,
        end_index=20,
        batch_size=None,
    )
    windows = [ds[i] for i in range(len(ds))]
    assert len(windows) == len(range(0, 20 - 2 - 3, 3))
    np.testing.assert_array_equal(windows[0], data[2:6])
    np.testing.assert_array_equal(windows[1], data[5:9])
    assert windows[-1][-1, 0] < 40  # never past end_index


def test_targets_shorter_than_data_limit_the_windows():
    ds = timeseries_dataset_from_array(np.arange(20), np.arange(5), sequence_length=3)
    x, y = ds[0]
    assert len(x) == 5 and y.tolist() == [0, 1, 2, 3, 4]


def test_shuffle_with_seed_is_reproducible_and_keeps_pairs():
    data = np.arange(40)
    kwargs = dict(sequence_length=5, batch_size=8, shuffle=True, seed=4)
    a = timeseries_dataset_from_array(data, data * 10, **kwargs)
    b = timeseries_dataset_from_array(data, data * 10, **kwargs)
    xa, ya = _all(a)
    np.testing.assert_array_equal(xa, _all(b)[0])
    assert sorted(xa[:, 0].tolist()) == list(range(36)) and xa[:, 0].tolist() != list(range(36))
    np.testing.assert_array_equal(ya, xa[:, 0] * 10)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(start_index=-1), "`start_index` must be 0 or greater"),
        (dict(start_index=30), "`start_index` must be lower than the length of the data"),
        (dict(start_index=5, end_index=5), "`end_index` must be higher than `start_index`"),
        (dict(end_index=30), "`end_index` must be lower than the length of the data"),
        (dict(sampling_rate=0), "`sampling_rate` must be higher than 0"),
        (dict(sequence_stride=20), "`sequence_stride` must be lower than the length"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        timeseries_dataset_from_array(np.arange(20), None, sequence_length=3, **kwargs)


def test_map_on_windows():
    ds = timeseries_dataset_from_array(np.arange(10), np.arange(10), sequence_length=3)
    x, y = ds.map(lambda x, y: (x * 2, y + 1))[0]
    np.testing.assert_array_equal(x[0], [0, 2, 4])
    assert y[0] == 1


def test_fit_on_windows():
    data = np.sin(np.arange(200, dtype="float32") / 5)[:, None]
    ds = timeseries_dataset_from_array(data[:-8], data[8:], sequence_length=8, batch_size=16)
    model = cornu.Sequential([cornu.Input((8, 1)), cornu.layers.LSTM(4), cornu.layers.Dense(1)])
    model.compile("adam", "mse")
    assert len(model.fit(ds, epochs=1, verbose=0).history["loss"]) == 1


def test_split_dataset_arrays_in_order_and_shuffled(keras):
    x, y = np.arange(10).reshape(10, 1), np.arange(10) * 2
    left, right = split_dataset((x, y), left_size=0.8)
    assert left[0].ravel().tolist() == list(range(8)) and right[1].tolist() == [16, 18]
    left, right = split_dataset(x, right_size=3, shuffle=True, seed=1)
    assert len(left) == 7 and len(right) == 3
    assert sorted(np.concatenate([left, right]).ravel().tolist()) == list(range(10))
    again = split_dataset(x, right_size=3, shuffle=True, seed=1)
    np.testing.assert_array_equal(again[1], right)
    if keras.backend.backend() == "torch":  # Keras on jax splits through tf.data (TensorFlow)
        theirs = keras.utils.split_dataset(x, left_size=0.8)
        assert (len(theirs[0]), len(theirs[1])) == (8, 2)
    parts = split_dataset({"a": x, "b": y}, left_size=4)
    assert parts[0]["a"].shape == (4, 1) and parts[1]["b"].shape == (6,)


def test_split_dataset_of_an_indexable_dataset():
    class Items:
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return i * i

    left, right = split_dataset(Items(), left_size=2)
    assert [left[i] for i in range(len(left))] == [0, 1]
    assert [right[i] for i in range(len(right))] == [4, 9, 16]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(), ValueError, "At least one of the `left_size` or `right_size`"),
        (dict(left_size=0, right_size=0), ValueError, "Both `left_size` and `right_size` are zero"),
        (dict(left_size=1.5), ValueError, "`left_size` should be either a positive integer"),
        (dict(right_size=10), ValueError, "`right_size` should be either a positive integer"),
        (dict(left_size=0.6, right_size=0.6), ValueError, "greater than 1"),
        (dict(left_size="half"), TypeError, "Invalid `left_size` Type"),
        (dict(left_size=0.01), ValueError, "Resulting left side dataset split will be empty"),
    ],
)
def test_split_dataset_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        split_dataset(np.arange(10), **kwargs)
    with pytest.raises(ValueError, match="must all have the same length"):
        split_dataset((np.arange(3), np.arange(4)), left_size=1)
