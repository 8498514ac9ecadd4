"""The batches of in-memory arrays: the samples of the drawn order, in the dtypes ``fit``
gives them, each with its own data-parallel loss scale, on every backend (JAX gathers them on
the host, torch from one tensor)."""

import warnings

import numpy as np

from cornu import ops
from cornu.core import config
from cornu.core.dtypes import standardize_dtype
from cornu.trainers.data_adapters import ArrayDataAdapter


def _numpy(batch):
    return [np.asarray(ops.convert_to_numpy(t)) for t in batch]


def test_shuffled_batches_are_the_drawn_order():
    x = np.arange(22 * 3, dtype="float64").reshape(22, 3)
    y = np.arange(22, dtype="int64")
    adapter = ArrayDataAdapter(x, y, batch_size=5, shuffle=True)
    np.random.seed(7)
    order = np.random.permutation(22)
    np.random.seed(7)
    batches = list(adapter.batches())
    assert [int(b[0].shape[0]) for b in batches] == [5, 5, 5, 5, 2]
    for start, batch in zip(range(0, 22, 5), batches):
        if config.backend() in ("jax", "tensorflow"):
            # Gathered on the host and handed to the compiled step as NumPy, as Keras-JAX.
            assert isinstance(batch[0], np.ndarray) and isinstance(batch[1], np.ndarray)
        else:
            assert ops.is_tensor(batch[0]) and ops.is_tensor(batch[1])
        assert standardize_dtype(batch[0].dtype) == config.floatx()
        assert standardize_dtype(batch[1].dtype) in ("int32", "int64")
        xb, yb = _numpy(batch)
        np.testing.assert_array_equal(xb, x[order[start : start + 5]].astype("float32"))
        np.testing.assert_array_equal(yb, y[order[start : start + 5]])


def test_first_batch_reads_the_stored_order_without_drawing():
    x = np.arange(10, dtype="float32").reshape(10, 1)
    adapter = ArrayDataAdapter(x, batch_size=4, shuffle=True)
    state = np.random.get_state()[1].copy()
    first = adapter.first_batch()
    np.testing.assert_array_equal(np.asarray(ops.convert_to_numpy(first))[:, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_each_batch_comes_with_its_own_loss_scale():
    # Process 1 of 2 takes the second part of each global batch of 5: 2 samples (scale
    # 2 * 2 / 5), and of the last batch of 1 nothing but a repeated sample of weight 0.
    x = np.arange(11, dtype="float32").reshape(11, 1)
    adapter = ArrayDataAdapter(x, batch_size=5, shuffle=False, shard=(1, 2, "batch"))
    seen = []
    for xb in adapter.batches():
        seen.append((np.asarray(ops.convert_to_numpy(xb))[:, 0].tolist(), adapter.current_scale))
    assert seen == [([3.0, 4.0], 0.8), ([8.0, 9.0], 0.8), ([10.0], 0.0)]


def test_finite_values_whose_sum_overflows_give_no_warning():
    x = np.full((4, 3), 3e38, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ArrayDataAdapter(x, np.zeros(4), batch_size=2)
    x[1, 2] = -np.inf
    x[2, 0] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ArrayDataAdapter(x, np.zeros(4), batch_size=2)
    assert [str(w.message)[:44] for w in caught] == ["`x` holds 2 NaN or infinite value(s) (of 12)"]
