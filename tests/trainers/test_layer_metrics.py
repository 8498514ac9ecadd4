"""Metrics that layers (and subclassed models) hold as attributes and update in ``call``:
listed in ``model.metrics``, reset with the others and reported in the logs, as in Keras."""

import numpy as np
import pytest

import cornu

X = np.arange(8, dtype="float32").reshape(4, 2)
Y = np.ones((4, 1), "float32")


def _counting_layer(lib, metric_name="batch_sum"):
    class Counting(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.tracker = lib.metrics.Mean(name=metric_name)

        def call(self, x):
            self.tracker.update_state(lib.ops.sum(x))
            return x

    return Counting()


def _keras_libs(keras):
    """The Keras to compare with: Keras on JAX refuses a metric updated in a layer's ``call``
    (its stateless step raises "'NoneType' object is not callable"), so under cornu on jax the
    tests check cornu against the known values alone."""
    return () if keras.backend.backend() == "jax" else (keras,)


def _model(lib):
    model = lib.Sequential([lib.Input((2,)), _counting_layer(lib), lib.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model


def test_fit_history_and_evaluate_report_the_layer_metric(keras):
    def run(lib):
        model = _model(lib)
        history = model.fit(X, Y, batch_size=2, epochs=2, verbose=0, validation_data=(X, Y))
        logs = model.evaluate(X, Y, batch_size=2, verbose=0, return_dict=True)
        return model, history.history, logs

    model, history, logs = run(cornu)
    assert model.metrics_names == ["loss", "compile_metrics", "batch_sum"]
    for lib in _keras_libs(keras):
        their_model, their_history, their_logs = run(lib)
        assert model.metrics_names == their_model.metrics_names
        assert list(history) == list(their_history)
        assert history["batch_sum"] == their_history["batch_sum"]
        assert history["val_batch_sum"] == their_history["val_batch_sum"]
        assert list(logs) == list(their_logs)
    # Each epoch (and each evaluation) starts afresh: the mean of the batch sums 6 and 22.
    assert history["batch_sum"] == [14.0, 14.0]
    assert history["val_batch_sum"] == [14.0, 14.0]
    assert list(logs) == ["batch_sum", "loss", "mae"]
    assert logs["batch_sum"] == 14.0
    assert model.evaluate(X, Y, batch_size=2, verbose=0)[-1] == 14.0


def test_train_on_batch_reports_that_batch(keras):
    for lib in (cornu, *_keras_libs(keras)):
        model = _model(lib)
        model.evaluate(X, Y, batch_size=2, verbose=0)
        logs = model.train_on_batch(X, Y, return_dict=True)
        assert logs["batch_sum"] == 28.0, lib.__name__


def test_subclassed_model_metric_attribute_is_reported(keras):
    def run(lib):
        class Net(lib.Model):
            def __init__(self):
                super().__init__()
                self.dense = lib.layers.Dense(1, kernel_initializer="ones")
                self.activation_mean = lib.metrics.Mean(name="activation_mean")

            def call(self, x):
                out = self.dense(x)
                self.activation_mean.update_state(out)
                return out

        model = Net()
        model.compile("sgd", "mse")
        logs = model.evaluate(X, Y, batch_size=4, verbose=0, return_dict=True)
        return model, logs

    model, logs = run(cornu)
    assert model.metrics_names == ["loss", "activation_mean"]
    assert logs["activation_mean"] == pytest.approx(7.0)
    for lib in _keras_libs(keras):
        their_model, their_logs = run(lib)
        assert model.metrics_names == their_model.metrics_names
        assert their_logs["activation_mean"] == pytest.approx(7.0)


def test_nested_layers_list_metrics_as_keras_does(keras):
    def names(lib):
        class Block(lib.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.inner = _counting_layer(lib, "inner_sum")
                self.own = lib.metrics.Sum(name="block_sum")

            def call(self, x):
                self.own.update_state(lib.ops.sum(x))
                return self.inner(x)

        model = lib.Sequential([lib.Input((2,)), Block(), lib.layers.Dense(1)])
        model.compile("sgd", "mse")
        history = model.fit(X, Y, batch_size=4, verbose=0)
        return model.metrics_names, history.history

    ours = names(cornu)
    for lib in _keras_libs(keras):
        their = names(lib)
        assert ours[0] == their[0]
        assert list(ours[1]) == list(their[1])
    # A metric two levels down is listed twice, by the model and by its block; logged once.
    assert ours[0] == ["loss", "block_sum", "inner_sum", "inner_sum"]
    assert list(ours[1]) == ["block_sum", "inner_sum", "loss"]
    assert ours[1]["inner_sum"] == ours[1]["block_sum"] == [28.0]


def test_the_loss_tracker_is_not_listed_twice_after_recompiling():
    model = _model(cornu)
    model.compile("adam", "mae")
    assert model.metrics_names == ["loss", "batch_sum"]
    assert cornu.layers.Dense(2).metrics == []
