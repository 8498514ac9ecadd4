"""The Metric base: variables, custom metrics, reset, configs, and no host syncs in updates."""

import numpy as np
import pytest

from cornu import backend, metrics, ops
from cornu.backend import convert_to_numpy


class Positives(metrics.Metric):
    def __init__(self, name="positives", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")
        self.hist = self.add_variable(shape=(2,), initializer="zeros", name="hist")

    def update_state(self, values):
        positive = ops.cast(ops.greater(ops.convert_to_tensor(values), 0), self.dtype)
        self.count.assign_add(ops.sum(positive))
        self.hist.assign_add(ops.stack([ops.sum(1 - positive), ops.sum(positive)]))

    def result(self):
        return ops.copy(self.count.value)


def test_custom_metric_accumulates_and_resets():
    metric = Positives()
    assert [v.name for v in metric.variables] == ["count", "hist"]
    assert not any(v.trainable for v in metric.variables)
    metric.update_state([1.0, -2.0, 3.0])
    assert float(convert_to_numpy(metric([4.0, 0.0]))) == 3.0
    np.testing.assert_array_equal(metric.hist.numpy(), [2.0, 3.0])
    metric.reset_state()
    assert float(convert_to_numpy(metric.result())) == 0.0
    np.testing.assert_array_equal(metric.hist.numpy(), [0.0, 0.0])


def test_result_is_a_tensor_that_later_updates_do_not_change():
    mean = metrics.Mean()
    mean.update_state([1.0, 3.0])
    first = mean.result()
    assert backend.is_tensor(first)
    mean.update_state([10.0])
    assert float(convert_to_numpy(first)) == 2.0
    total = metrics.Sum()
    total.update_state([1.0, 2.0])
    snapshot = total.result()
    total.update_state([5.0])
    assert float(convert_to_numpy(snapshot)) == 3.0


def test_names_dtype_and_repr():
    assert Positives().name == "positives"
    assert metrics.Mean().name == "mean"
    assert metrics.Mean(dtype="float64").result().dtype == ops.zeros((), "float64").dtype
    assert metrics.Mean(dtype="float64").variables[0].dtype == "float64"
    assert repr(metrics.Accuracy()) == "<Accuracy name=accuracy>"

    class MyMetric(metrics.Metric):
        pass

    assert MyMetric().name == "my_metric"
    assert MyMetric().name == "my_metric_1"


def test_sub_metrics_variables_are_tracked():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.first = metrics.Mean(name="first")
            self.second = metrics.Sum(name="second")

    pair = Pair()
    assert [v.name for v in pair.variables] == ["total", "count", "total"]


def test_forgetting_super_init_is_explained():
    class Broken(metrics.Metric):
        def __init__(self):
            self.v = self.add_variable((), "zeros")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_config_round_trip():
    metric = metrics.Mean(name="loss_mean", dtype="float64")
    assert metric.get_config() == {"name": "loss_mean", "dtype": "float64"}
    again = metrics.Mean.from_config(metric.get_config())
    assert again.name == "loss_mean" and again.dtype == "float64"


@pytest.mark.backends("torch")  # torch's meta device
def test_updates_run_on_the_meta_device_so_never_sync_with_the_host():
    """Meta tensors hold no data: any read back to the host (item, bool, numpy) would fail."""
    rng = np.random.default_rng(0)
    probs = rng.random((4, 3)).astype("float32")
    labels = rng.integers(0, 3, (4,))
    one_hot = np.eye(3, dtype="float32")[labels]
    with backend.device_scope("meta"):
        cases = [
            (metrics.Accuracy(), (labels, labels)),
            (metrics.BinaryAccuracy(), (one_hot, probs)),
            (metrics.CategoricalAccuracy(), (one_hot, probs)),
            (metrics.SparseCategoricalAccuracy(), (labels, probs)),
            (metrics.SparseCategoricalAccuracy(), (labels[:, None].astype("float32"), probs)),
            (metrics.Mean(), (probs,)),
            (metrics.Sum(), (probs,)),
            (metrics.MeanSquaredError(), (one_hot, probs)),
            (metrics.SparseCategoricalCrossentropy(ignore_class=0), (labels, probs)),
        ]
        for metric, args in cases:
            for sample_weight in (None, np.ones(4, dtype="float32")):
                metric.update_state(*args, sample_weight=sample_weight)
            result = metric.result()
            assert result.device.type == "meta" and tuple(result.shape) == ()
            assert all(v.value.device.type == "meta" for v in metric.variables)
